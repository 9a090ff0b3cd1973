// `muster roster ...`: people managed without SQL, and imports whose summary says what
// changed and whose new people follow the roster into future events.
#include "cli_run.hpp"
#include "hub_dir.hpp"

#include "muster/store/event_store.hpp"
#include "muster/store/participant_admin.hpp"
#include "muster/store/participant_store.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using test::CliHub;

namespace {

const std::string roster_csv =
    "first_name,last_name,preferred_name,email,trn,school,urn,role,cohort,year\n"
    "Siân,O'Brien,,sian@oak.sch.uk,1234567,Oakfield Primary,123456,ECT,2025,1\n"
    "Rhys,Jones,,rhys@brook.sch.uk,2345678,Brook Academy,234567,ECT,2025,1\n"
    "Zoë,Adams,Zo,zoe@elm.sch.uk,3456789,Elm School,345678,mentor,2025,\n"
    "Fran,Cole,,fran@hub.org.uk,4567890,,,facilitator,,\n";

std::unique_ptr<db::Database> open_hub(const CliHub& h) { return admin::HubDir(h.hub).open(); }

// "Created event 7: ..." -> 7
EventId created_event(const test::CliRun& r) {
    REQUIRE(r.code == 0);
    auto at = r.out.find("Created event ");
    REQUIRE(at != std::string::npos);
    return std::stoll(r.out.substr(at + 14));
}

EventId make_event(const CliHub& h, const std::string& item, const std::string& date, int rooms = 2) {
    return created_event(h.run({"event", "create", "--programme", "ect-y1", "--item", item, "--cohort", "2025", "--date",
                                date, "--venue", "Hub Centre", "--rooms", std::to_string(rooms)}));
}

bool enrolled(const CliHub& h, EventId event, ParticipantId p) {
    auto db = open_hub(h);
    return store::find_enrolment(*db, event, p).has_value();
}

std::size_t count_lines_starting(const std::string& text, const std::string& prefix) {
    std::size_t n = 0, at = 0;
    while (at < text.size()) {
        if (text.compare(at, prefix.size(), prefix) == 0) ++n;
        auto nl = text.find('\n', at);
        if (nl == std::string::npos) break;
        at = nl + 1;
    }
    return n;
}

}  // namespace

TEST_CASE("roster list shows everyone with ids, and filters by role and withdrawn", "[cli][roster]") {
    CliHub h(roster_csv);
    auto all = h.run({"roster", "list"});
    REQUIRE(all.code == 0);
    CHECK_THAT(all.out, Catch::Contains("#1  Siân O'Brien  ect  Oakfield Primary  TRN 1234567  sian@oak.sch.uk"));
    CHECK_THAT(all.out, Catch::Contains("#4  Fran Cole  facilitator  -  TRN 4567890"));
    CHECK_THAT(all.out, Catch::Contains("4 people"));
    auto mentors = h.run({"roster", "list", "--role", "mentor"});
    CHECK(mentors.code == 0);
    CHECK_THAT(mentors.out, Catch::Contains("Zoë Adams"));
    CHECK(mentors.out.find("Siân") == std::string::npos);
    auto bad_role = h.run({"roster", "list", "--role", "wizard"});
    CHECK(bad_role.code == 2);
    CHECK_THAT(bad_role.err, Catch::Contains("unknown role 'wizard'"));
    auto none_withdrawn = h.run({"roster", "list", "--withdrawn"});
    CHECK(none_withdrawn.code == 1);
    CHECK_THAT(none_withdrawn.err, Catch::Contains("No one on the roster matches"));
    REQUIRE(h.run({"roster", "withdraw", "2", "--reason", "moved abroad"}).code == 0);
    auto withdrawn = h.run({"roster", "list", "--withdrawn"});
    CHECK(withdrawn.code == 0);
    CHECK_THAT(withdrawn.out, Catch::Contains("#2  Rhys Jones") && Catch::Contains("WITHDRAWN"));
    CHECK_THAT(withdrawn.out, Catch::Contains("1 person"));

    CliHub empty;
    auto nobody = empty.run({"roster", "list"});
    CHECK(nobody.code == 1);
    CHECK_THAT(nobody.err, Catch::Contains("muster roster import"));
}

TEST_CASE("roster search matches names, TRN, email and school, and says when no one matches", "[cli][roster]") {
    CliHub h(roster_csv);
    auto by_last = h.run({"roster", "search", "o'brien"});
    REQUIRE(by_last.code == 0);
    CHECK_THAT(by_last.out, Catch::Contains("#1  Siân O'Brien"));
    CHECK(h.run({"roster", "search", "Siân"}).out.find("#1 ") != std::string::npos);  // accents as stored
    CHECK_THAT(h.run({"roster", "search", "SIÂN O'B"}).err, Catch::Contains("No one matches"));  // Â is not folded
    CHECK_THAT(h.run({"roster", "search", "zo"}).out, Catch::Contains("#3  Zoë Adams"));  // preferred name
    CHECK_THAT(h.run({"roster", "search", "2345678"}).out, Catch::Contains("#2  Rhys Jones"));
    CHECK_THAT(h.run({"roster", "search", "FRAN@HUB"}).out, Catch::Contains("#4  Fran Cole"));
    auto school = h.run({"roster", "search", "elm school"});
    CHECK_THAT(school.out, Catch::Contains("#3  Zoë Adams"));
    CHECK(school.out.find("Rhys") == std::string::npos);
    auto none = h.run({"roster", "search", "Nobody"});
    CHECK(none.code == 1);
    CHECK_THAT(none.err, Catch::Contains("No one matches 'Nobody'"));
    CHECK(h.run({"roster", "search"}).code == 2);
}

TEST_CASE("roster show gives every field, enrolments, badge serial and cards, and refuses an unknown id", "[cli][roster]") {
    CliHub h(roster_csv);
    EventId ev = make_event(h, "conference-1", "2099-10-14");
    REQUIRE(h.run({"badges", "issue", "--participant", "1"}).code == 0);
    REQUIRE(h.run({"card", "attach", "--uid", "04:a1:b2:c3", "--participant", "1"}).code == 0);
    auto shown = h.run({"roster", "show", "1"});
    REQUIRE(shown.code == 0);
    CHECK_THAT(shown.out, Catch::Contains("#1 Siân O'Brien"));
    CHECK_THAT(shown.out, Catch::Contains("TRN:              1234567"));
    CHECK_THAT(shown.out, Catch::Contains("URN:              123456"));
    CHECK_THAT(shown.out, Catch::Contains("cohort:           2025"));
    CHECK_THAT(shown.out, Catch::Contains("badge:            serial 1"));
    CHECK_THAT(shown.out, Catch::Contains("NFC cards:        04A1B2C3"));
    CHECK_THAT(shown.out, Catch::Contains("event " + std::to_string(ev) + "  2099-10-14  Conference 1"));
    CHECK_THAT(shown.out, Catch::Contains("Room "));
    CHECK(shown.out.find("WITHDRAWN") == std::string::npos);

    auto unknown = h.run({"roster", "show", "99"});
    CHECK(unknown.code == 1);
    CHECK_THAT(unknown.err, Catch::Contains("no participant 99") && Catch::Contains("muster roster search"));
    auto not_id = h.run({"roster", "show", "Siân"});
    CHECK(not_id.code == 2);
    CHECK_THAT(not_id.err, Catch::Contains("'Siân' is not a participant id"));
}

TEST_CASE("roster edit validates as the import does, refuses clashes by id, and moves the change clock", "[cli][roster]") {
    CliHub h(roster_csv);
    std::int64_t before = [&] { auto db = open_hub(h); return store::current_change(*db); }();
    auto edited = h.run({"roster", "edit", "1", "--email", "sian.obrien@oak.sch.uk", "--school", "", "--preferred-name", "Sia"});
    REQUIRE(edited.code == 0);
    CHECK_THAT(edited.out, Catch::Contains("Changed #1 Siân O'Brien: preferred name, email, school (cleared)"));
    {
        auto db = open_hub(h);
        auto p = store::find_participant(*db, 1);
        CHECK(p->email == "sian.obrien@oak.sch.uk");
        CHECK_FALSE(p->school_name);
        CHECK(p->preferred_name == "Sia");
        CHECK(store::current_change(*db) > before);
        auto changed_at = db->prepare("SELECT changed_at FROM participants WHERE id = 1").query_one([](const db::Statement& r) {
            return r.int64(0);
        });
        CHECK(*changed_at == store::current_change(*db));  // devices are sent the new name
    }
    auto bad_trn = h.run({"roster", "edit", "1", "--trn", "12ab"});
    CHECK(bad_trn.code == 2);
    CHECK_THAT(bad_trn.err, Catch::Contains("--trn: TRN must be 7 digits, got '12ab'"));
    auto bad_year = h.run({"roster", "edit", "1", "--year", "4"});
    CHECK_THAT(bad_year.err, Catch::Contains("programme year must be 1, 2 or 3"));
    auto bad_email = h.run({"roster", "edit", "1", "--email", "not-an-email"});
    CHECK_THAT(bad_email.err, Catch::Contains("is not an email address"));
    auto six_digits = h.run({"roster", "edit", "1", "--trn", "765432"});  // repaired, as the import repairs it
    CHECK(six_digits.code == 0);
    CHECK_THAT(six_digits.err, Catch::Contains("leading zero"));

    auto clash_trn = h.run({"roster", "edit", "1", "--trn", "2345678"});
    CHECK(clash_trn.code == 1);
    CHECK_THAT(clash_trn.err, Catch::Contains("TRN 2345678 already belongs to participant 2"));
    auto clash_email = h.run({"roster", "edit", "1", "--email", "ZOE@elm.sch.uk"});
    CHECK(clash_email.code == 1);
    CHECK_THAT(clash_email.err, Catch::Contains("already belongs to participant 3"));
    {
        auto db = open_hub(h);
        CHECK(store::find_participant(*db, 1)->trn == "0765432");  // the refusals changed nothing
    }
    auto same = h.run({"roster", "edit", "1", "--preferred-name", "Sia"});
    CHECK(same.code == 1);
    CHECK_THAT(same.err, Catch::Contains("nothing changed"));
    auto nothing = h.run({"roster", "edit", "1"});
    CHECK(nothing.code == 2);
    CHECK_THAT(nothing.err, Catch::Contains("give at least one field"));
    auto unknown = h.run({"roster", "edit", "42", "--school", "X"});
    CHECK(unknown.code == 1);
    CHECK_THAT(unknown.err, Catch::Contains("no participant 42"));
    CHECK(h.run({"roster", "edit", "1", "--role", ""}).code == 2);  // a required field is never cleared
}

TEST_CASE("roster withdraw takes someone off events from a date, once, and reinstate says how to enrol again", "[cli][roster]") {
    CliHub h(roster_csv);
    EventId past = make_event(h, "conference-1", "2020-10-14");
    EventId future = make_event(h, "conference-2", "2099-11-14");
    REQUIRE(enrolled(h, past, 1));
    REQUIRE(enrolled(h, future, 1));
    std::int64_t before = [&] { auto db = open_hub(h); return store::current_change(*db); }();

    auto out = h.run({"roster", "withdraw", "1", "--reason", "left teaching"});
    REQUIRE(out.code == 0);
    CHECK_THAT(out.out, Catch::Contains("Withdrew #1 Siân O'Brien (left teaching)"));
    CHECK_THAT(out.out, Catch::Contains("Taken off 1 event") && Catch::Contains("event " + std::to_string(future)));
    CHECK(enrolled(h, past, 1));  // history kept
    CHECK_FALSE(enrolled(h, future, 1));
    {
        auto db = open_hub(h);
        auto person = store::find_person(*db, 1);
        CHECK(person->withdrawn_ms);
        CHECK(person->withdrawn_reason == "left teaching");
        CHECK(store::current_change(*db) > before);
        auto removal = db->prepare("SELECT count(*) FROM enrolment_removals WHERE participant_id = 1").query_one(
            [](const db::Statement& r) { return r.int64(0); });
        CHECK(*removal == 1);  // devices hear of it
    }
    CHECK_THAT(h.run({"roster", "show", "1"}).out, Catch::Contains("WITHDRAWN") && Catch::Contains("left teaching"));

    auto twice = h.run({"roster", "withdraw", "1", "--reason", "again"});
    CHECK(twice.code == 1);
    CHECK_THAT(twice.err, Catch::Contains("already withdrawn") && Catch::Contains("muster roster reinstate 1"));
    CHECK(h.run({"roster", "withdraw", "2"}).code == 2);  // --reason is required
    CHECK_THAT(h.run({"roster", "withdraw", "2", "--reason", "x", "--from", "14/10/2099"}).err, Catch::Contains("not a date"));
    CHECK(h.run({"roster", "withdraw", "77", "--reason", "x"}).code == 1);

    // A withdrawn person is not enrolled by a new event.
    EventId later = make_event(h, "clinic-1", "2099-12-14");
    CHECK_FALSE(enrolled(h, later, 1));
    CHECK(enrolled(h, later, 2));

    auto back = h.run({"roster", "reinstate", "1"});
    REQUIRE(back.code == 0);
    CHECK_THAT(back.out, Catch::Contains("muster event enrol --event EVENT_ID --participant 1"));
    CHECK_FALSE(enrolled(h, future, 1));  // not re-enrolled automatically
    auto again = h.run({"roster", "reinstate", "1"});
    CHECK(again.code == 1);
    CHECK_THAT(again.err, Catch::Contains("is not withdrawn"));
}

TEST_CASE("roster withdraw --from keeps events before that date", "[cli][roster]") {
    CliHub h(roster_csv);
    EventId a = make_event(h, "conference-1", "2099-01-10");
    EventId b = make_event(h, "conference-2", "2099-03-10");
    auto out = h.run({"roster", "withdraw", "2", "--reason", "maternity leave", "--from", "2099-02-01"});
    REQUIRE(out.code == 0);
    CHECK(enrolled(h, a, 2));
    CHECK_FALSE(enrolled(h, b, 2));
}

TEST_CASE("roster import refuses a workbook or UTF-16 file and reads a semicolon or tab file", "[cli][roster][formats]") {
    CliHub h;
    auto xlsx = h.run({"roster", "import", h.write("roster.xlsx", std::string("PK\x03\x04\x14\x00\x06\x00", 8) + "rest")});
    CHECK(xlsx.code == 1);
    CHECK_THAT(xlsx.err, Catch::Contains("this is an Excel workbook, not CSV: in Excel choose File > Save As > CSV UTF-8 (comma delimited)"));
    auto xls = h.run({"roster", "import", h.write("roster.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")});
    CHECK_THAT(xls.err, Catch::Contains("Excel workbook"));
    auto utf16 = h.run({"roster", "import", h.write("roster.txt", std::string("\xFF\xFE" "f\0i\0", 6))});
    CHECK(utf16.code == 1);
    CHECK_THAT(utf16.err, Catch::Contains("UTF-16") && Catch::Contains("CSV UTF-8"));

    auto semi = h.run({"roster", "import", h.write("semi.csv", "first_name;last_name;email;role;school\n"
                                                               "Ann;Lee;ann@x.org.uk;ECT;\"St Mary's; Juniors\"\n")});
    REQUIRE(semi.code == 0);
    CHECK_THAT(semi.out, Catch::Contains("read as semicolon-separated"));
    CHECK_THAT(semi.out, Catch::Contains("added: #1 Ann Lee"));
    auto tab = h.run({"roster", "import", h.write("tab.csv", "first_name\tlast_name\temail\trole\nBo\tKing\tbo@x.org.uk\tmentor\n")});
    REQUIRE(tab.code == 0);
    CHECK_THAT(tab.out, Catch::Contains("read as tab-separated"));
    auto db = open_hub(h);
    CHECK(store::find_participant(*db, 1)->school_name == "St Mary's; Juniors");
    CHECK(store::find_participant(*db, 2)->role == Role::mentor);
}

TEST_CASE("roster import keeps a field whose column is absent and clears one with an empty cell, and says so", "[cli][roster]") {
    CliHub h(roster_csv);
    // No school or urn column: schools stay. An empty email cell clears Rhys's email.
    auto out = h.run({"roster", "import", h.write("update.csv", "first_name,last_name,email,trn,role,cohort,year\n"
                                                                 "Siân,O'Brien,sian.new@oak.sch.uk,1234567,ECT,2025,1\n"
                                                                 "Rhys,Jones,,2345678,ECT,2025,1\n"
                                                                 "Zoë,Adams,zoe@elm.sch.uk,3456789,mentor,2025,\n")});
    REQUIRE(out.code == 0);
    CHECK_THAT(out.out, Catch::Contains("3 rows: 0 new, 2 updated, 1 unchanged"));
    CHECK_THAT(out.out, Catch::Contains("changed: #1 Siân O'Brien: email"));
    CHECK_THAT(out.out, Catch::Contains("changed: #2 Rhys Jones: email"));
    CHECK_THAT(out.out, Catch::Contains("cleared: email for 1 person"));
    CHECK_THAT(out.out, Catch::Contains("unchanged: #3 Zoë Adams"));
    auto db = open_hub(h);
    auto sian = store::find_participant(*db, 1);
    CHECK(sian->school_name == "Oakfield Primary");
    CHECK(sian->school_urn == "123456");
    CHECK(sian->email == "sian.new@oak.sch.uk");
    CHECK_FALSE(store::find_participant(*db, 2)->email);
    CHECK(store::find_participant(*db, 3)->preferred_name == "Zo");  // no preferred_name column

    // The import help says so.
    auto help = h.run({"roster", "import", "--help"});
    CHECK_THAT(help.out, Catch::Contains("A column the file") && Catch::Contains("lacks leaves that field as it was"));
}

TEST_CASE("roster import with two thousand rows keeps its summary to capped lists", "[cli][roster]") {
    CliHub h;
    std::string csv = "first_name,last_name,email,role\n";
    for (int i = 0; i < 2000; ++i) csv += "P" + std::to_string(i) + ",Smith,p" + std::to_string(i) + "@x.org.uk,ECT\n";
    auto first = h.run({"roster", "import", h.write("big.csv", csv)});
    REQUIRE(first.code == 0);
    CHECK(count_lines_starting(first.out, "added: ") == 50);
    CHECK_THAT(first.out, Catch::Contains("... and 1950 more added"));
    auto again = h.run({"roster", "import", h.write("big.csv", csv)});
    CHECK_THAT(again.out, Catch::Contains("unchanged: 2000 people (list them with --verbose)"));
    CHECK(count_lines_starting(again.out, "unchanged: #") == 0);
    auto verbose = h.run({"roster", "import", h.write("big.csv", csv), "--verbose"});
    CHECK(count_lines_starting(verbose.out, "unchanged: #") == 50);
    CHECK_THAT(verbose.out, Catch::Contains("... and 1950 more unchanged"));
}

TEST_CASE("people imported after event create are enrolled at future events only, never withdrawn ones", "[cli][roster][follow]") {
    CliHub h(roster_csv);
    EventId past = make_event(h, "conference-1", "2020-10-14");
    EventId future = make_event(h, "conference-2", "2099-10-14", 2);
    EventId cancelled = make_event(h, "clinic-1", "2099-11-14");
    {
        auto db = open_hub(h);
        db->exec("UPDATE events SET cancelled_ms = 1 WHERE id = " + std::to_string(cancelled));
    }
    REQUIRE(h.run({"roster", "withdraw", "3", "--reason", "left"}).code == 0);
    // Ann is new and matches; Zoë (withdrawn) changes from mentor to a year-1 ECT; Bo is a mentor.
    auto dry = h.run({"roster", "import", h.write("late.csv", "first_name,last_name,email,trn,role,cohort,year\n"
                                                              "Ann,Lee,ann@x.org.uk,5678901,ECT,2025,1\n"
                                                              "Bo,King,bo@x.org.uk,6789012,mentor,2025,\n"
                                                              "Zoë,Adams,zoe@elm.sch.uk,3456789,ECT,2025,1\n"),
                          "--dry-run"});
    REQUIRE(dry.code == 0);
    CHECK_THAT(dry.out, Catch::Contains("enrolled at event " + std::to_string(future) + " (2099-10-14 Conference 2"));
    CHECK_THAT(dry.out, Catch::Contains("(dry run: nothing written)"));
    CHECK_FALSE(enrolled(h, future, 5));

    auto out = h.run({"roster", "import", h.dir.file("late.csv")});
    REQUIRE(out.code == 0);
    CHECK_THAT(out.out, Catch::Contains("enrolled at event " + std::to_string(future) + " (2099-10-14 Conference 2"));
    CHECK_THAT(out.out, Catch::Contains("): 1 person"));
    auto db = open_hub(h);
    auto ann = *store::find_participant_by_trn(*db, "5678901");
    auto bo = *store::find_participant_by_trn(*db, "6789012");
    CHECK(store::find_enrolment(*db, future, ann));
    CHECK_FALSE(store::find_enrolment(*db, past, ann));
    CHECK_FALSE(store::find_enrolment(*db, cancelled, ann));
    CHECK_FALSE(store::find_enrolment(*db, future, bo));  // not the audience
    CHECK(store::find_participant(*db, 3)->role == Role::ect);
    CHECK_FALSE(store::find_enrolment(*db, future, 3));   // withdrawn
    // The room with fewest enrolled, in the same change as the person.
    auto e = store::find_enrolment(*db, future, ann);
    REQUIRE(e->room_id);
    auto changed = [&](const std::string& sql) {
        return *db->prepare(sql).query_one([](const db::Statement& r) { return r.int64(0); });
    };
    CHECK(changed("SELECT changed_at FROM enrolments WHERE participant_id = " + std::to_string(ann)) ==
          changed("SELECT changed_at FROM participants WHERE id = " + std::to_string(ann)));
    auto in_room = [&](RoomId r) {
        return changed("SELECT count(*) FROM enrolments WHERE room_id = " + std::to_string(r));
    };
    auto ev = store::load_event(*db, future);
    REQUIRE(ev->rooms.size() == 2);
    CHECK(std::abs(in_room(ev->rooms[0].id) - in_room(ev->rooms[1].id)) <= 1);
}

TEST_CASE("a withdrawn facilitator leaves the room they ran at future events", "[cli][roster]") {
    CliHub h(roster_csv);
    EventId future = make_event(h, "conference-2", "2099-11-14", 1);
    RoomId room = [&] { auto db = open_hub(h); return store::load_event(*db, future)->rooms.at(0).id; }();
    {
        auto db = open_hub(h);
        REQUIRE(store::room_facilitators(*db, room) == std::vector<ParticipantId>{4});  // Fran leads the one room
    }
    REQUIRE(h.run({"roster", "withdraw", "4", "--reason", "left the hub"}).code == 0);
    auto db = open_hub(h);
    CHECK(store::room_facilitators(*db, room).empty());
    CHECK_FALSE(store::find_enrolment(*db, future, 4));
}
