// `muster school report|progress` and `muster notice draft|sent|list`: the list of schools,
// one school's report, the CSVs for Excel, a notice drafted, recorded once, and the next
// draft leaving those people out.
#include "cli_run.hpp"

#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace muster;
using namespace muster::test;

namespace {

// Two ECTs and an induction tutor at one school (URN with a leading zero), one ECT at another.
const char* school_roster =
    "first_name,last_name,email,trn,school,urn,role,programme,cohort,year\n"
    "Siân,O'Brien,sian@oak.sch.uk,0123456,Oakfield Junior School,012345,ECT,ECT,2025,1\n"
    "Zoë,=Evans,zoe@oak.sch.uk,2345678,Oakfield Junior School,012345,ECT,ECT,2025,1\n"
    "Tomos,Price,tomos@oak.sch.uk,,Oakfield Junior School,012345,Induction tutor,,,\n"
    "Rhys,Jones,rhys@brook.sch.uk,3456789,Brook Lane,234567,ECT,ECT,2025,1\n";

// Conference 1 three days ago (held, nobody came), and Zoë's absence excused by a mark.
struct SchoolCliHub : CliHub {
    SchoolCliHub() : CliHub(school_roster) {
        auto made = run({"event", "create", "--programme", "ect-y1", "--item", "conference-1", "--cohort", "2025", "--date",
                         uk_time::format_date(uk_time::now_ms() - 3 * 86'400'000LL), "--venue", "Leeds"});
        if (made.code != 0) throw std::runtime_error("event create failed: " + made.err);
        auto db = store::open_database(dir.file("hub/hub.db"));
        db->exec("INSERT INTO corrections (uuid, kind, participant_id, event_id, status, reason, author, created_ms) "
                 "SELECT 'm1', 'mark', id, 1, 'excused', 'illness', 'Hub Staff', 0 FROM participants WHERE last_name = '=Evans'");
    }
};

}  // namespace

TEST_CASE("school report lists an event's schools and gives one school in full or as CSV", "[cli][school]") {
    SchoolCliHub hub;
    auto list = hub.run({"school", "report", "--event", "1"});
    REQUIRE(list.code == 0);
    CHECK_THAT(list.out, Catch::Contains("012345  Oakfield Junior School"));
    CHECK_THAT(list.out, Catch::Contains("234567  Brook Lane"));

    auto one = hub.run({"school", "report", "--event", "1", "--urn", "012345"});
    REQUIRE(one.code == 0);
    CHECK_THAT(one.out, Catch::Contains("Induction tutor: Tomos Price"));
    CHECK_THAT(one.out, Catch::Contains("Siân O'Brien"));
    CHECK_THAT(one.out, Catch::Contains("Absent"));
    CHECK_THAT(one.out, Catch::Contains("Excused (marked by Hub Staff)"));
    CHECK_THAT(one.out, Catch::Contains("conferences 0/2"));
    CHECK_THAT(one.out, !Catch::Contains("Rhys"));

    auto csv = hub.run({"school", "report", "--event", "1", "--urn", "012345", "--csv"});
    REQUIRE(csv.code == 0);
    CHECK(csv.out.rfind("\xEF\xBB\xBF" "event_id,event_date,event,school_urn,school,participant_id,trn,", 0) == 0);
    CHECK_THAT(csv.out, Catch::Contains("\"=\"\"012345\"\"\",Oakfield Junior School,"));  // URN kept as text
    CHECK_THAT(csv.out, Catch::Contains("\"=\"\"0123456\"\"\",Siân,O'Brien,ect,yes,absent,"));
    CHECK_THAT(csv.out, Catch::Contains(",Zoë,'=Evans,"));  // neutralised
    CHECK_THAT(csv.out, !Catch::Contains("illness"));       // a mark's reason is not in the school's report
    CHECK_THAT(csv.out, Catch::Contains("\r\n"));

    auto all_csv = hub.run({"school", "report", "--event", "1", "--csv"});
    REQUIRE(all_csv.code == 0);
    CHECK_THAT(all_csv.out, Catch::Contains("Rhys") && Catch::Contains("Siân"));

    // --out writes the same CSV to a file, replaced whole, and says how many rows (the three
    // ECTs; the induction tutor is in no school report).
    auto file = hub.dir.file("schools.csv");
    auto written = hub.run({"school", "report", "--event", "1", "--out", file});
    REQUIRE(written.code == 0);
    CHECK_THAT(written.out, Catch::Contains("Wrote 3 row(s) to " + file));
    std::ifstream in(file, std::ios::binary);
    std::string on_disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(on_disk == all_csv.out);
    CHECK(hub.run({"school", "report", "--event", "1", "--out", ""}).code == 2);

    CHECK(hub.run({"school", "report", "--event", "1", "--urn", "12345"}).code == 2);
    CHECK(hub.run({"school", "report", "--event", "99"}).code == 2);
    CHECK(hub.run({"school", "report"}).code == 2);
}

TEST_CASE("school progress gives each ECT and mentor over the programme", "[cli][school]") {
    SchoolCliHub hub;
    auto p = hub.run({"school", "progress", "--urn", "012345"});
    REQUIRE(p.code == 0);
    CHECK_THAT(p.out, Catch::Contains("Oakfield Junior School (URN 012345)"));
    CHECK_THAT(p.out, Catch::Contains("Siân O'Brien (ect, ECT year 1): conferences 0/2, clinics 0/3"));
    CHECK_THAT(p.out, !Catch::Contains("Tomos"));  // the tutor has no programme
    auto csv = hub.run({"school", "progress", "--urn", "012345", "--csv"});
    REQUIRE(csv.code == 0);
    CHECK(csv.out.rfind("\xEF\xBB\xBF" "participant_id,trn,first_name,last_name,school_urn,", 0) == 0);
    CHECK_THAT(csv.out, Catch::Contains("conference-1 absent"));
    CHECK(hub.run({"school", "progress", "--urn", "999999"}).code == 1);
}

TEST_CASE("a notice is drafted, recorded as sent once, and not repeated in the next draft", "[cli][school][notice]") {
    SchoolCliHub hub;
    auto draft = hub.run({"notice", "draft", "--event", "1", "--urn", "012345"});
    REQUIRE(draft.code == 0);
    CHECK_THAT(draft.out, Catch::Contains("Dear Tomos Price,"));
    CHECK_THAT(draft.out, Catch::Contains("- Siân O'Brien (ECT): absent"));
    CHECK_THAT(draft.out, Catch::Contains("Excused (not counted as missing):\n- Zoë =Evans (ECT)"));
    CHECK_THAT(draft.out, !Catch::Contains("0123456"));
    auto at = draft.out.find("-- version ");
    REQUIRE(at != std::string::npos);
    std::string version = draft.out.substr(at + 11, 64);

    auto sent = hub.run({"notice", "sent", "--event", "1", "--urn", "012345", "--author", "Ann Example", "--version", version});
    REQUIRE(sent.code == 0);
    CHECK_THAT(sent.out, Catch::Contains("recorded as sent") && Catch::Contains("Siân O'Brien: Absent"));
    auto again = hub.run({"notice", "sent", "--event", "1", "--urn", "012345", "--author", "Ann Example", "--version", version});
    CHECK(again.code == 0);
    CHECK_THAT(again.out, Catch::Contains("Already recorded: notice 1"));

    auto next = hub.run({"notice", "draft", "--event", "1", "--urn", "012345"});
    CHECK(next.code == 1);
    CHECK_THAT(next.err, Catch::Contains("nothing new to tell") && Catch::Contains("2 already told"));
    CHECK(hub.run({"notice", "sent", "--event", "1", "--urn", "012345", "--author", "Ann Example"}).code == 1);
    CHECK(hub.run({"notice", "sent", "--event", "1", "--urn", "012345", "--author", "Ann Example", "--version", "x"}).code == 2);

    // The other school, without --version: the draft as it stands.
    auto brook = hub.run({"notice", "sent", "--event", "1", "--urn", "234567", "--author", "Bo Example"});
    REQUIRE(brook.code == 0);
    CHECK_THAT(brook.out, Catch::Contains("Rhys Jones: Absent"));

    auto list = hub.run({"notice", "list", "--event", "1"});
    REQUIRE(list.code == 0);
    CHECK_THAT(list.out, Catch::Contains("Notice 2: event 1") && Catch::Contains("school 234567") &&
                             Catch::Contains("by Bo Example"));
    CHECK(list.out.find("Notice 2") < list.out.find("Notice 1"));  // newest first
    CHECK(hub.run({"notice", "list", "--event", "5"}).code == 1);
}

TEST_CASE("school and notice help name their columns and rules", "[cli][school]") {
    auto topic = muster_cli({"help", "school-columns"});
    CHECK(topic.code == 0);
    CHECK_THAT(topic.out, Catch::Contains("missed_sessions"));
    auto help = muster_cli({"notice", "draft", "--help"});
    CHECK(help.code == 0);
    CHECK_THAT(help.out, Catch::Contains("induction_tutor") && Catch::Contains("No TRNs"));
}
