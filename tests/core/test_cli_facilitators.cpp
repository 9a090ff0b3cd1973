// `muster facilitators`: the text grouped by school then facilitator, the CSV to stdout and to
// a file, the filters, and the refusals of bad options.
#include "cli_run.hpp"

#include "muster/csv/csv_reader.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace muster;
using namespace muster::test;

namespace {

// Two facilitators of two schools (one URN with a leading zero), and an ECT.
const char* facilitator_roster =
    "first_name,last_name,email,trn,school,urn,role,programme,cohort,year\n"
    "Siân,O'Brien,sian@oak.sch.uk,0123456,Oakfield Junior School,012345,ECT,ECT,2025,1\n"
    "Kwame,Mensah,kwame@oak.sch.uk,,Oakfield Junior School,012345,Facilitator,,,\n"
    "Grace,=Hughes,grace@castle.sch.uk,,Castleview School,345678,Facilitator,,,\n";

// Conference 1 three days ago in two rooms (a facilitator leading each): Kwame scanned into
// the morning, Grace was marked present by hub staff, Siân scanned in both.
struct FacilitatorCliHub : CliHub {
    std::string day = uk_time::format_date(uk_time::now_ms() - 3 * 86'400'000LL);
    FacilitatorCliHub() : CliHub(facilitator_roster) {
        auto made = run({"event", "create", "--programme", "ect-y1", "--item", "conference-1", "--cohort", "2025", "--date", day,
                         "--venue", "Leeds", "--rooms", "2"});
        if (made.code != 0) throw std::runtime_error("event create failed: " + made.err);
        auto db = store::open_database(dir.file("hub/hub.db"));
        auto e = store::load_event(*db, 1);
        auto id = [&](const char* last) {
            auto s = db->prepare("SELECT id FROM participants WHERE last_name = ?1");
            return *s.bind(1, last).query_one([](const db::Statement& r) { return r.int64(0); });
        };
        std::int64_t seq = 0;
        auto enter = [&](ParticipantId who, const Session& s) {
            CheckIn c;
            c.uuid = "scan-" + std::to_string(++seq);
            c.device_id = "room-1";
            c.device_seq = seq;
            c.participant_id = who;
            c.event_id = 1;
            c.session_id = s.id;
            c.device_ms = s.starts_ms - 5 * 60'000LL;
            REQUIRE(store::insert_check_in(*db, c, false));
        };
        enter(id("Mensah"), e->sessions.at(0));
        enter(id("O'Brien"), e->sessions.at(0));
        enter(id("O'Brien"), e->sessions.at(1));
        db->exec("INSERT INTO corrections (uuid, kind, participant_id, event_id, status, reason, author, created_ms) "
                 "SELECT 'm1', 'mark', id, 1, 'present', 'forgot badge', 'Hub Staff', 0 FROM participants "
                 "WHERE last_name = '=Hughes'");
    }
};

}  // namespace

TEST_CASE("muster facilitators groups the sessions by school then facilitator", "[cli][facilitators]") {
    FacilitatorCliHub hub;
    auto r = hub.run({"facilitators"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("3 session(s), 2 facilitator(s)"));
    auto castle = r.out.find("Castleview School (URN 345678): 2 session(s)");
    auto oak = r.out.find("Oakfield Junior School (URN 012345): 1 session(s)");
    REQUIRE(castle != std::string::npos);
    REQUIRE(oak != std::string::npos);
    CHECK(castle < oak);
    CHECK_THAT(r.out, Catch::Contains("Grace =Hughes (id "));
    CHECK_THAT(r.out, Catch::Contains("Kwame Mensah (id "));
    CHECK_THAT(r.out, Catch::Contains(hub.day));
    CHECK_THAT(r.out, Catch::Contains("staff mark, not signed off"));
    CHECK_THAT(r.out, Catch::Contains("Morning"));
    CHECK_THAT(r.out, Catch::Contains("(lead)"));
    CHECK_THAT(r.out, !Catch::Contains("Siân"));  // an ECT delivers nothing

    auto one = hub.run({"facilitators", "--school", "012345", "--from", hub.day, "--to", hub.day});
    REQUIRE(one.code == 0);
    CHECK_THAT(one.out, Catch::Contains("Kwame Mensah"));
    CHECK_THAT(one.out, !Catch::Contains("Grace"));

    auto none = hub.run({"facilitators", "--from", "2099-01-01"});
    CHECK(none.code == 1);
    CHECK_THAT(none.err, Catch::Contains("no delivered sessions from 2099-01-01"));
}

TEST_CASE("muster facilitators writes the CSV to stdout or a file", "[cli][facilitators]") {
    FacilitatorCliHub hub;
    auto csv = hub.run({"facilitators", "--csv"});
    REQUIRE(csv.code == 0);
    REQUIRE(csv.out.rfind("\xEF\xBB\xBF" "facilitator_id,facilitator,school_urn,school,date,event_id,event,", 0) == 0);
    csv::Reader reader(csv.out);
    reader.next();
    std::vector<std::vector<std::string>> rows;
    while (auto row = reader.next()) rows.push_back(row->fields);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0][1] == "Grace =Hughes");  // a cell starting with a letter is no formula
    CHECK(rows[2][1] == "Kwame Mensah");
    CHECK(rows[2][2] == "=\"012345\"");
    CHECK(rows[2][13] == "scan");

    auto path = hub.dir.file("out/facilitators.csv");
    std::filesystem::create_directories(hub.dir.file("out"));
    auto wrote = hub.run({"facilitators", "--out", path});
    INFO(wrote.err);
    REQUIRE(wrote.code == 0);
    CHECK_THAT(wrote.out, Catch::Contains("Wrote 3 row(s) to "));
    std::ifstream f(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    CHECK(text == csv.out);

    auto empty = hub.run({"facilitators", "--out", hub.dir.file("out/none.csv"), "--to", "2000-01-01"});
    CHECK(empty.code == 1);
    CHECK_FALSE(std::filesystem::exists(hub.dir.file("out/none.csv")));
}

TEST_CASE("muster facilitators refuses bad options", "[cli][facilitators]") {
    FacilitatorCliHub hub;
    auto bad_date = hub.run({"facilitators", "--from", "2025-02-30"});
    CHECK(bad_date.code == 2);
    CHECK_THAT(bad_date.err, Catch::Contains("--from: not a date"));
    CHECK(hub.run({"facilitators", "--to", "yesterday"}).code == 2);
    CHECK(hub.run({"facilitators", "--from", "2025-10-02", "--to", "2025-10-01"}).code == 2);
    auto bad_urn = hub.run({"facilitators", "--school", "12345"});
    CHECK(bad_urn.code == 2);
    CHECK_THAT(bad_urn.err, Catch::Contains("--school"));
    CHECK(hub.run({"facilitators", "--out", ""}).code == 2);
    CHECK(hub.run({"facilitators", "--event", "1"}).code == 2);  // not an option of this command
    auto help = muster_cli({"help", "facilitators"});
    REQUIRE(help.code == 0);
    CHECK_THAT(help.out, Catch::Contains("evidence"));
    CHECK_THAT(help.out, Catch::Contains("register"));
}

TEST_CASE("hub staff mark a room's facilitator who came without scanning", "[cli][facilitators]") {
    FacilitatorCliHub hub;
    auto db = store::open_database(hub.dir.file("hub/hub.db"));
    // Without the fixture's mark Grace has no fact at the event: she is listed for a room only.
    db->exec("DELETE FROM corrections");
    auto grace = *db->prepare("SELECT id FROM participants WHERE last_name = '=Hughes'")
                      .query_one([](const db::Statement& r) { return r.int64(0); });
    CHECK_THAT(hub.run({"facilitators", "--school", "345678"}).err, Catch::Contains("no delivered sessions"));
    auto mark = hub.run({"attendance", "mark", "--event", "1", "--participant", std::to_string(grace), "--status", "present",
                         "--reason", "forgot badge", "--author", "Ann Example"});
    INFO(mark.err);
    REQUIRE(mark.code == 0);
    auto r = hub.run({"facilitators", "--school", "345678"});
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("Grace =Hughes (id " + std::to_string(grace) + "): 2 session(s)"));
    CHECK_THAT(r.out, Catch::Contains("staff mark"));
    // Someone neither expected, scanned nor listed for a room is still refused.
    auto ect = hub.run({"attendance", "mark", "--event", "1", "--participant", "999", "--status", "present", "--reason", "x",
                        "--author", "Ann Example"});
    CHECK(ect.code == 2);
}
