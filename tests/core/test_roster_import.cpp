#include "temp_dir.hpp"
#include "test_database.hpp"

#include "muster/roster/roster_import.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/schema.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace muster;

namespace {

const std::string header = "first_name,last_name,email,trn,school,urn,role,cohort,year,part_time\n";

// The single error (or warning) a one-row file produces.
std::vector<roster::Issue> errors_of(const std::string& csv) { return roster::parse_roster(csv).errors; }

bool has_error(const std::string& csv, const std::string& column, const std::string& words) {
    for (const auto& e : errors_of(csv))
        if (e.column == column && e.message.find(words) != std::string::npos) return true;
    return false;
}

// A hub database: SQLite, or PostgreSQL in the engines' second run (test_database.hpp).
struct Store {
    test::TempDir dir;
    test::TestDatabase database{dir};
    std::unique_ptr<db::Database> db = store::open_database(database.location());
};

}  // namespace

TEST_CASE("a clean roster imports with accents and apostrophes intact", "[roster][engines]") {
    Store s;
    auto report = roster::import_roster(*s.db, header +
        "Siân,O'Brien,sian@oak.sch.uk,1234567,\"Oakfield, Junior\",123456,ECT,2025,1,no\n"
        "Zoë,Ó Súilleabháin,zoe@oak.sch.uk,2345678,Oakfield,123456,Mentor,2025,,yes\n");
    REQUIRE(report.errors.empty());
    CHECK(report.committed);
    CHECK(report.inserted == 2);
    auto p = store::find_participant(*s.db, *store::find_participant_by_trn(*s.db, "1234567"));
    CHECK(p->first_name == "Siân");
    CHECK(p->last_name == "O'Brien");
    CHECK(p->school_name == "Oakfield, Junior");
    CHECK(p->role == Role::ect);
    CHECK(p->programme_year == 1);
    auto z = store::find_participant(*s.db, *store::find_participant_by_trn(*s.db, "2345678"));
    CHECK(z->last_name == "Ó Súilleabháin");
    CHECK(z->part_time);
}

TEST_CASE("header names are matched case-insensitively with aliases, unknown columns warn", "[roster]") {
    auto parsed = roster::parse_roster(
        "\xEF\xBB\xBF" "Forename,SURNAME,E-mail Address,Teacher Reference Number,Participant Type,Shoe size\r\n"
        "Rhys,Jones,rhys@brook.sch.uk,3456789,Early career teacher,9\r\n");
    REQUIRE(parsed.errors.empty());
    REQUIRE(parsed.rows.size() == 1);
    CHECK(parsed.rows[0].person.first_name == "Rhys");
    CHECK(parsed.rows[0].person.trn == "3456789");
    REQUIRE(parsed.warnings.size() == 1);
    CHECK(parsed.warnings[0].column == "Shoe size");
}

TEST_CASE("a single name column is split into first and last name", "[roster]") {
    auto parsed = roster::parse_roster("Name,Email,Role\nMary Anne O'Neill,mao@x.org.uk,guest\n");
    REQUIRE(parsed.errors.empty());
    CHECK(parsed.rows[0].person.first_name == "Mary Anne");
    CHECK(parsed.rows[0].person.last_name == "O'Neill");
}

TEST_CASE("a TRN that lost its leading zero is repaired with a warning, Excel decimals too", "[roster]") {
    auto parsed = roster::parse_roster(header + "A,B,a@b.org.uk,123456,S,123456.0,ECT,2025,1,\n");
    REQUIRE(parsed.errors.empty());
    CHECK(parsed.rows[0].person.trn == "0123456");
    CHECK(parsed.rows[0].person.school_urn == "123456");
    REQUIRE(parsed.warnings.size() == 1);
    CHECK(parsed.warnings[0].line == 2);
    CHECK(parsed.warnings[0].column == "trn");
    CHECK_THAT(parsed.warnings[0].message, Catch::Contains("leading zero"));
}

TEST_CASE("every row error names its line, column and reason", "[roster]") {
    CHECK(has_error(header + "A,B,a@b.org.uk,12345X7,S,123456,ECT,2025,1,\n", "trn", "7 digits"));
    CHECK(has_error(header + "A,B,a@b.org.uk,12345678,S,123456,ECT,2025,1,\n", "trn", "7 digits"));
    CHECK(has_error(header + "A,B,not-an-email,1234567,S,123456,ECT,2025,1,\n", "email", "not an email"));
    CHECK(has_error(header + "A,B,a@b,1234567,S,123456,ECT,2025,1,\n", "email", "not an email"));
    CHECK(has_error(header + "A,B,a@b.org.uk,1234567,S,12345,ECT,2025,1,\n", "urn", "6 digits"));
    CHECK(has_error(header + "A,B,a@b.org.uk,1234567,S,123456,Headteacher,2025,1,\n", "role", "unknown role"));
    CHECK(has_error(header + "A,B,a@b.org.uk,1234567,S,123456,,2025,1,\n", "role", "missing"));
    CHECK(has_error(header + "A,B,a@b.org.uk,1234567,S,123456,ECT,25,1,\n", "cohort", "year"));
    CHECK(has_error(header + "A,B,a@b.org.uk,1234567,S,123456,ECT,2025,4,\n", "year", "1, 2 or 3"));
    CHECK(has_error(header + "A,B,a@b.org.uk,1234567,S,123456,ECT,2025,1,sometimes\n", "part_time", "yes or no"));
    CHECK(has_error(header + ",B,a@b.org.uk,1234567,S,123456,ECT,2025,1,\n", "first_name", "missing"));
    CHECK(has_error(header + "A,,a@b.org.uk,1234567,S,123456,ECT,2025,1,\n", "last_name", "missing"));
    CHECK(has_error(header + "A,B,,,S,123456,ECT,2025,1,\n", "", "TRN or an email"));
    CHECK(has_error(header + "A,B,a@b.org.uk,1234567,S,123456,ECT,2025,1,no,extra\n", "", "fields but the header has"));
    CHECK(has_error(header + "Si\xE2n,B,a@b.org.uk,1234567,S,123456,ECT,2025,1,\n", "", "UTF-8"));
    auto e = errors_of(header + "A,B,a@b.org.uk,1234567,S,123456,ECT,2025,1,\nC,D,c@d.org.uk,1234567,S,123456,ECT,2025,1,\n");
    REQUIRE(e.size() == 1);
    CHECK(e[0].line == 3);
    CHECK_THAT(e[0].message, Catch::Contains("also on line 2"));
    CHECK(has_error(header + "A,B,a@b.org.uk,1234567,S,123456,ECT,2025,1,\nC,D,A@B.org.uk,,S,123456,ECT,2025,1,\n", "email", "also on line 2"));
    CHECK(roster::format_issue({7, "TRN", "bad"}) == "line 7, column TRN: bad");
}

TEST_CASE("every field of a roster line is held to the field limits, by line and column", "[roster][limits][engines]") {
    const std::string ok_row = "A,B,a@b.org.uk,1234567,S,123456,ECT,2025,1,\n";
    CHECK(errors_of(header + ok_row).empty());
    CHECK(has_error(header + std::string(101, 'A') + ",B,a@b.org.uk,1234567,S,123456,ECT,2025,1,\n", "first_name",
                    "longer than 100 characters"));
    CHECK(has_error(header + "A," + std::string(101, 'B') + ",a@b.org.uk,1234567,S,123456,ECT,2025,1,\n", "last_name",
                    "longer than 100 characters"));
    CHECK(has_error(header + "A,B," + std::string(250, 'a') + "@b.org.uk,1234567,S,123456,ECT,2025,1,\n", "email",
                    "longer than 254 characters"));
    CHECK(has_error(header + "A,B,a@b.org.uk,1234567," + std::string(201, 'S') + ",123456,ECT,2025,1,\n", "school",
                    "longer than 200 characters"));
    CHECK(has_error(header + "A,B,a@b.org.uk," + std::string(5000, '1') + ",S,123456,ECT,2025,1,\n", "trn",
                    "longer than 100 characters"));
    // 100 accented letters are 200 bytes but 100 characters: accepted.
    std::string hundred;
    for (int i = 0; i < 100; ++i) hundred += "\xC3\xA2";
    CHECK(errors_of(header + hundred + ",B,a@b.org.uk,1234567,S,123456,ECT,2025,1,\n").empty());

    // Control characters inside a value; the value itself is never quoted back.
    CHECK(has_error(header + "\"Si\tan\",B,a@b.org.uk,1234567,S,123456,ECT,2025,1,\n", "first_name", "control character"));
    CHECK(has_error(header + "A,B,a@b.org.uk,1234567,\"Oak\nfield\",123456,ECT,2025,1,\n", "school", "control character"));
    CHECK(has_error(header + "A,\"B\x7f\",a@b.org.uk,1234567,S,123456,ECT,2025,1,\n", "last_name", "control character"));
    CHECK(has_error(header + std::string("A\0x,B,a@b.org.uk,1234567,S,123456,ECT,2025,1,\n", 46), "first_name", "NUL"));
    // A NUL in a column that is not imported still marks the line.
    CHECK(has_error("first_name,last_name,trn,role,notes\n" + std::string("A,B,1234567,ECT,n\0te\n", 21), "notes", "NUL"));
    for (const auto& e : errors_of(header + "A," + std::string(101, 'Q') + ",a@b.org.uk,1234567,S,123456,ECT,2025,1,\n"))
        CHECK(e.message.find("QQQ") == std::string::npos);
    // Spaces, tabs and line breaks around a value are trimmed, as before.
    CHECK(errors_of(header + "\"\tA \",\" B\n\",a@b.org.uk,1234567,S,123456,ECT,2025,1,\n").empty());

    // The line is reported with its number and nothing is imported, as for any bad line.
    Store s;
    auto r = roster::import_roster(*s.db, header + ok_row + "C,\"D\x01\",c@d.org.uk,2345678,S,123456,ECT,2025,1,\n");
    CHECK_FALSE(r.committed);
    REQUIRE(r.errors.size() == 1);
    CHECK(roster::format_issue(r.errors[0]) == "line 3, column last_name: holds a control character");
    CHECK(store::count_participants(*s.db) == 0);
}

TEST_CASE("file-level errors: empty, header only, missing columns, duplicate columns, broken quotes", "[roster]") {
    CHECK_THAT(errors_of("").at(0).message, Catch::Contains("empty"));
    CHECK_THAT(errors_of(header).at(0).message, Catch::Contains("no participants"));
    CHECK_THAT(errors_of("email,role\na@b.org.uk,ECT\n").at(0).message, Catch::Contains("no name columns"));
    CHECK_THAT(errors_of("first name,last name,email\nA,B,a@b.org.uk\n").at(0).message, Catch::Contains("no role column"));
    CHECK_THAT(errors_of("first name,last name,role\nA,B,ECT\n").at(0).message, Catch::Contains("trn or an email"));
    CHECK_THAT(errors_of("first name,last name,role,email,E-mail\nA,B,ECT,a@b.org.uk,a@b.org.uk\n").at(0).message,
               Catch::Contains("twice"));
    auto quote = errors_of(header + "\"A,B,a@b.org.uk,1234567,S,123456,ECT,2025,1,\n");
    REQUIRE(quote.size() == 1);
    CHECK(quote[0].line == 2);
    CHECK_THAT(quote[0].message, Catch::Contains("never closed"));
}

TEST_CASE("one bad row and nothing is imported, every bad row is reported", "[roster][engines]") {
    Store s;
    auto report = roster::import_roster(*s.db, header +
        "A,B,a@b.org.uk,1234567,S,123456,ECT,2025,1,\n"
        "C,D,c@d.org.uk,BADTRN,S,123456,ECT,2025,1,\n"
        "E,F,e@f.org.uk,7654321,S,123456,Wizard,2025,1,\n");
    CHECK_FALSE(report.committed);
    REQUIRE(report.errors.size() == 2);
    CHECK(report.errors[0].line == 3);
    CHECK(report.errors[1].line == 4);
    CHECK(store::count_participants(*s.db) == 0);
}

TEST_CASE("re-importing updates people by TRN, else by email, never duplicating them", "[roster][engines]") {
    Store s;
    const std::string aisha = "Aisha,Khan,aisha@brook.sch.uk,4567890,Brook,234567,Mentor,2025,,\n";
    REQUIRE(roster::import_roster(*s.db, header +
        "Siân,O'Brien,sian@oak.sch.uk,1234567,Oak,123456,ECT,2025,1,\n"
        "Guest,Speaker,guest@x.org.uk,,,,guest,,,\n" + aisha).committed);
    auto r = roster::import_roster(*s.db, header +
        "Siân,O'Brien-Jones,sian.new@oak.sch.uk,1234567,Oak,123456,ECT,2025,2,\n"  // same TRN, new name and email
        "Guest,Speaker,GUEST@x.org.uk,,,,guest,,,\n"                              // matched by email whatever its case
        + aisha +                                                                  // identical: left alone
        "Rhys,Jones,rhys@brook.sch.uk,3456789,Brook,234567,ECT,2025,1,\n");
    REQUIRE(r.committed);
    CHECK(r.inserted == 1);
    CHECK(r.updated == 2);
    CHECK(r.unchanged == 1);
    CHECK(store::count_participants(*s.db) == 4);
    auto p = store::find_participant(*s.db, *store::find_participant_by_trn(*s.db, "1234567"));
    CHECK(p->last_name == "O'Brien-Jones");
    CHECK(p->programme_year == 2);
}

TEST_CASE("a TRN and an email that belong to two different people is refused", "[roster][engines]") {
    Store s;
    REQUIRE(roster::import_roster(*s.db, header +
        "A,B,a@b.org.uk,1234567,S,123456,ECT,2025,1,\n"
        "C,D,c@d.org.uk,2345678,S,123456,ECT,2025,1,\n").committed);
    auto r = roster::import_roster(*s.db, header + "A,B,c@d.org.uk,1234567,S,123456,ECT,2025,1,\n");
    CHECK_FALSE(r.committed);
    REQUIRE(r.errors.size() == 1);
    CHECK_THAT(r.errors[0].message, Catch::Contains("two different people"));
    CHECK(store::find_participant(*s.db, *store::find_participant_by_trn(*s.db, "1234567"))->email == "a@b.org.uk");
}

TEST_CASE("a new TRN with an existing person's email is refused, not merged into that person", "[roster][identity][engines]") {
    // Issue 10: this row used to rewrite Siân (name, TRN, role, school) and report "1 updated".
    Store s;
    REQUIRE(roster::import_roster(*s.db, header + "Siân,O'Brien,sian@oak.sch.uk,1234567,Oak,123456,ECT,2025,1,\n").committed);
    auto r = roster::import_roster(*s.db, header +
        "Rhys,Jones,rhys@brook.sch.uk,3456789,Brook,234567,ECT,2025,1,\n"
        "Mallory,Smith,SIAN@oak.sch.uk,7654321,Elm,345678,Mentor,2025,,\n");
    CHECK_FALSE(r.committed);
    CHECK(r.updated == 0);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].line == 3);
    CHECK(r.errors[0].column == "email");
    CHECK_THAT(r.errors[0].message, Catch::Contains("different TRN"));
    // The report names no one: no name, TRN or email in the message.
    CHECK(r.errors[0].message.find("sian") == std::string::npos);
    CHECK(r.errors[0].message.find("7654321") == std::string::npos);
    CHECK(r.errors[0].message.find("1234567") == std::string::npos);

    auto sian = store::find_participant(*s.db, *store::find_participant_by_email(*s.db, "sian@oak.sch.uk"));
    CHECK(sian->first_name == "Siân");
    CHECK(sian->trn == "1234567");
    CHECK(sian->role == Role::ect);
    CHECK(sian->school_name == "Oak");
    CHECK_FALSE(store::find_participant_by_trn(*s.db, "7654321"));
    CHECK(store::count_participants(*s.db) == 1);  // all or nothing: Rhys waits for the file to be fixed
}

TEST_CASE("an email matches a person who has no TRN yet, and the row's TRN is added", "[roster][identity][engines]") {
    Store s;
    REQUIRE(roster::import_roster(*s.db, header + "Guest,Speaker,guest@x.org.uk,,,,guest,,,\n").committed);
    auto r = roster::import_roster(*s.db, header + "Guest,Speaker,guest@x.org.uk,1234567,,,guest,,,\n");
    REQUIRE(r.committed);
    CHECK(r.updated == 1);
    CHECK(store::count_participants(*s.db) == 1);
    CHECK(store::find_participant_by_trn(*s.db, "1234567") == store::find_participant_by_email(*s.db, "guest@x.org.uk"));
}

TEST_CASE("a row without a TRN matched by email keeps the person's TRN", "[roster][identity][engines]") {
    Store s;
    REQUIRE(roster::import_roster(*s.db, header + "Guest,Speaker,guest@x.org.uk,1234567,,,guest,,,\n").committed);
    auto r = roster::import_roster(*s.db, header + "Guest,Speakers,guest@x.org.uk,,,,guest,,,\n");
    REQUIRE(r.committed);
    CHECK(r.updated == 1);
    auto id = store::find_participant_by_email(*s.db, "guest@x.org.uk");
    REQUIRE(id);
    CHECK(store::find_participant_by_trn(*s.db, "1234567") == id);
    CHECK(store::find_participant(*s.db, *id)->last_name == "Speakers");
}

TEST_CASE("dry run validates and matches but writes nothing, progress is reported", "[roster][engines]") {
    Store s;
    std::size_t last_done = 0;
    roster::ImportOptions opts;
    opts.dry_run = true;
    opts.progress = [&](std::size_t done, std::size_t) { last_done = done; };
    auto r = roster::import_roster(*s.db, header + "A,B,a@b.org.uk,1234567,S,123456,ECT,2025,1,\n", opts);
    CHECK(r.errors.empty());
    CHECK(r.inserted == 1);
    CHECK_FALSE(r.committed);
    CHECK(last_done == 1);
    CHECK(store::count_participants(*s.db) == 0);
}

TEST_CASE("garbage never crashes the roster import: it is refused with reasons", "[roster][robustness]") {
    std::mt19937 rng(11);
    const std::string alphabet = "abc,\"\r\n \xC3\xA9\xFF" "0123456789@.";
    for (int i = 0; i < 500; ++i) {
        std::string text = i % 3 == 0 ? header : "";
        auto len = rng() % 400;
        for (unsigned k = 0; k < len; ++k) text.push_back(alphabet[rng() % alphabet.size()]);
        auto parsed = roster::parse_roster(text);
        for (const auto& e : parsed.errors) CHECK_FALSE(e.message.empty());
        CHECK((parsed.errors.empty() || parsed.rows.size() <= 400));
    }
}

// ---- Re-imports that keep what the file does not say, and enrolments that follow the roster.

#include "muster/store/event_store.hpp"

namespace {

const std::string full_header = "first_name,last_name,preferred_name,email,trn,school,urn,role,cohort,year\n";
const std::string two_people = full_header +
    "Siân,O'Brien,Sia,sian@oak.sch.uk,1234567,Oakfield,123456,ECT,2025,1\n"
    "Rhys,Jones,,rhys@brook.sch.uk,2345678,Brook,234567,ECT,2025,1\n";

std::vector<roster::Field> fields_of(const roster::ImportReport& r, ParticipantId id) {
    for (const auto& c : r.changed)
        if (c.id == id) return c.fields;
    return {};
}

EventId event_on(db::Database& db, const std::string& item, const std::string& date) {
    return store::create_event(db, {"ect-y1", item, 2025, date, "Hub", 2, 10});
}

}  // namespace

TEST_CASE("parse_roster names the fields the file has columns for", "[roster][absent]") {
    auto parsed = roster::parse_roster("Name,Email,Role\nMary Anne O'Neill,mao@x.org.uk,guest\n");
    REQUIRE(parsed.errors.empty());
    using F = roster::Field;
    CHECK(parsed.present == std::vector<F>{F::first_name, F::last_name, F::email, F::role});
    CHECK(parsed.delimiter == ',');
}

TEST_CASE("a re-import without a column keeps that field, an empty cell clears it", "[roster][absent][engines]") {
    Store s;
    REQUIRE(roster::import_roster(*s.db, two_people).committed);
    auto report = roster::import_roster(*s.db, "first_name,last_name,trn,email,role,school\n"
                                               "Siân,O'Brien,1234567,sian@oak.sch.uk,ECT,\n"
                                               "Rhys,Jones,2345678,rhys@brook.sch.uk,ECT,Brook\n");
    REQUIRE(report.errors.empty());
    CHECK(report.updated == 1);
    CHECK(report.unchanged == 1);
    CHECK(fields_of(report, 1) == std::vector<roster::Field>{roster::Field::school_name});
    CHECK(report.cleared.at(roster::Field::school_name) == 1);
    REQUIRE(report.same.size() == 1);
    CHECK(report.same[0].id == 2);
    auto sian = store::find_participant(*s.db, 1);
    CHECK_FALSE(sian->school_name);
    CHECK(sian->preferred_name == "Sia");  // no preferred_name column: kept
    CHECK(sian->school_urn == "123456");   // no urn column: kept
    CHECK(sian->cohort == 2025);
    CHECK(sian->programme_year == 1);
}

TEST_CASE("a re-import lists the fields that changed and never clears a TRN", "[roster][absent][engines]") {
    Store s;
    REQUIRE(roster::import_roster(*s.db, two_people).committed);
    auto report = roster::import_roster(*s.db, "first_name,last_name,trn,email,role,year\n"
                                               "Siân,O'Brien-Hughes,,sian@oak.sch.uk,mentor,\n");
    REQUIRE(report.errors.empty());
    using F = roster::Field;
    CHECK(fields_of(report, 1) == std::vector<F>{F::last_name, F::role, F::programme_year});
    CHECK(report.cleared.count(F::trn) == 0);
    CHECK(report.cleared.at(F::programme_year) == 1);
    CHECK(store::find_participant(*s.db, 1)->trn == "1234567");
    REQUIRE(report.changed.size() == 1);
    CHECK(report.changed[0].name == "Siân O'Brien-Hughes");
}

TEST_CASE("import refuses workbooks and UTF-16, and reads semicolon and tab separated files", "[roster][formats][engines]") {
    CHECK_THAT(errors_of(std::string("PK\x03\x04", 4) + "xl/workbook.xml").at(0).message,
               Catch::Contains("this is an Excel workbook, not CSV: in Excel choose File > Save As > CSV UTF-8"));
    CHECK_THAT(errors_of("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1").at(0).message, Catch::Contains("Excel workbook"));
    CHECK_THAT(errors_of(std::string("\xFE\xFF\0f", 4)).at(0).message, Catch::Contains("UTF-16"));
    CHECK(errors_of(std::string("\xFF\xFE" "f\0", 4)).size() == 1);

    auto semi = roster::parse_roster("\xEF\xBB\xBF" "Forename;Surname;Email;Role;School\n"
                                     "Ann;Lee;ann@x.org.uk;ECT;\"St Mary's; Juniors\"\n");
    REQUIRE(semi.errors.empty());
    CHECK(semi.delimiter == ';');
    CHECK(semi.rows.at(0).person.school_name == "St Mary's; Juniors");
    auto tab = roster::parse_roster("first_name\tlast_name\temail\trole\nBo\tKing\tbo@x.org.uk\tmentor\n");
    REQUIRE(tab.errors.empty());
    CHECK(tab.delimiter == '\t');
    CHECK(tab.rows.at(0).person.last_name == "King");
    // A comma header is CSV, whatever the cells hold.
    auto comma = roster::parse_roster("first_name,last_name,email,role,school\nAnn,Lee,ann@x.org.uk,ECT,A; B\n");
    REQUIRE(comma.errors.empty());
    CHECK(comma.delimiter == ',');
    CHECK(comma.rows.at(0).person.school_name == "A; B");
    Store s;
    CHECK(roster::import_roster(*s.db, "first_name;last_name;email;role\nAnn;Lee;ann@x.org.uk;ECT\n").delimiter == ';');
}

TEST_CASE("read_cell gives an edit the import's words", "[roster][fields]") {
    Participant p;
    CHECK(roster::read_cell(roster::Field::trn, "12ab", p).error == "TRN must be 7 digits, got '12ab'");
    CHECK(has_error(header + "A,B,a@b.org.uk,12ab,S,123456,ECT,2025,1,\n", "trn", "TRN must be 7 digits, got '12ab'"));
    CHECK(roster::read_cell(roster::Field::role, "wizard", p).error->find("unknown role 'wizard'") == 0);
    CHECK(roster::read_cell(roster::Field::school_urn, "12345", p).error);
    CHECK(roster::read_cell(roster::Field::part_time, "maybe", p).error);
    CHECK(roster::read_cell(roster::Field::first_name, "  ", p).error == "first name is missing");
    CHECK(roster::read_cell(roster::Field::school_name, std::string(201, 'x'), p).error);
    auto r = roster::read_cell(roster::Field::trn, "123456", p);
    CHECK(r.warning);
    CHECK(p.trn == "0123456");
    p.school_name = "Oak";
    CHECK_FALSE(roster::read_cell(roster::Field::school_name, "", p).error);
    CHECK_FALSE(p.school_name);
}

TEST_CASE("new people join future events of their audience, not past, cancelled or taken-off ones", "[roster][follow][engines]") {
    Store s;
    REQUIRE(roster::import_roster(*s.db, two_people).committed);
    EventId past = event_on(*s.db, "conference-1", "2026-09-01");
    EventId today = event_on(*s.db, "conference-2", "2026-10-14");
    EventId cancelled = event_on(*s.db, "clinic-1", "2026-11-01");
    EventId later = event_on(*s.db, "clinic-2", "2026-12-01");
    s.db->exec("UPDATE events SET cancelled_ms = 1 WHERE id = " + std::to_string(cancelled));
    // Staff took Siân off the later event; a change to her cohort that still matches must not
    // put her back.
    REQUIRE(store::unenrol(*s.db, later, 1, store::next_change(*s.db)));

    roster::ImportOptions opts;
    opts.today = "2026-10-14";
    opts.dry_run = true;
    auto csv = full_header + "Ann,Lee,,ann@x.org.uk,5678901,Elm,345678,ECT,2025,1\n"
                             "Siân,O'Brien,Sia,sian@oak.sch.uk,1234567,Oakfield,123456,ECT,,1\n"
                             "Rhys,Jones,,rhys@brook.sch.uk,2345678,Brook,234567,ECT,2025,2\n"
                             "Rhys2,Jones,,r2@brook.sch.uk,7777777,Brook,234567,ECT,2025,2\n";
    auto dry = roster::import_roster(*s.db, csv, opts);
    REQUIRE(dry.errors.empty());
    CHECK(dry.enrolled.size() == 2);
    CHECK_FALSE(store::find_participant_by_trn(*s.db, "5678901"));  // a dry run writes nothing

    opts.dry_run = false;
    auto report = roster::import_roster(*s.db, csv, opts);
    REQUIRE(report.committed);
    auto ann = *store::find_participant_by_trn(*s.db, "5678901");
    CHECK_FALSE(store::find_enrolment(*s.db, past, ann));
    CHECK(store::find_enrolment(*s.db, today, ann));
    CHECK_FALSE(store::find_enrolment(*s.db, cancelled, ann));
    CHECK(store::find_enrolment(*s.db, later, ann));
    REQUIRE(report.enrolled.size() == 2);
    CHECK(report.enrolled[0].event_id == today);
    CHECK(report.enrolled[0].local_date == "2026-10-14");
    CHECK(report.enrolled[0].participants == std::vector<ParticipantId>{ann});
    CHECK(report.enrolled[1].event_id == later);
    CHECK(fields_of(report, 1) == std::vector<roster::Field>{roster::Field::cohort});
    CHECK_FALSE(store::find_enrolment(*s.db, later, 1));  // staff's removal stands
    // Rhys2 is year 2: not the audience of year-1 events. Nobody is taken off when they stop matching.
    auto rhys2 = *store::find_participant_by_trn(*s.db, "7777777");
    CHECK_FALSE(store::find_enrolment(*s.db, today, rhys2));
    CHECK(store::find_enrolment(*s.db, today, 2));  // Rhys, now year 2, stays where he was
}

TEST_CASE("a late registrant goes to the room with fewest people, ties to the lowest id", "[roster][follow][engines]") {
    Store s;
    REQUIRE(roster::import_roster(*s.db, two_people).committed);
    EventId ev = event_on(*s.db, "conference-1", "2026-12-01");  // Siân and Rhys: one in each room
    auto rooms = store::load_event(*s.db, ev)->rooms;
    REQUIRE(rooms.size() == 2);
    roster::ImportOptions opts;
    opts.today = "2026-10-14";
    REQUIRE(roster::import_roster(*s.db, full_header + "Ann,Lee,,ann@x.org.uk,5678901,,,ECT,2025,1\n", opts).committed);
    auto ann = *store::find_participant_by_trn(*s.db, "5678901");
    CHECK(store::find_enrolment(*s.db, ev, ann)->room_id == rooms[0].id);  // a tie: the lower id
    REQUIRE(roster::import_roster(*s.db, full_header + "Bo,King,,bo@x.org.uk,6789012,,,ECT,2025,1\n", opts).committed);
    auto bo = *store::find_participant_by_trn(*s.db, "6789012");
    CHECK(store::find_enrolment(*s.db, ev, bo)->room_id == rooms[1].id);  // the emptier room
}
