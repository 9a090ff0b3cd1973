// `muster attendance show|mark|void|history` and `muster event sign-off|audit`: the
// reconciliation from the hub's terminal, through the staff pages' core functions; each test
// checks what the tool prints and what it wrote to hub.db.
#include "cli_run.hpp"

#include "muster/store/event_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace muster;
using namespace muster::test;

namespace {

// Participants 1-3: year-1 ECTs, expected at event 1. 4: a year-2 ECT, expected at event 2
// and scanned at event 1 (an alternate date). 5: hub staff, expected nowhere.
const char* roster_csv =
    "first_name,last_name,email,trn,school,urn,role,programme,cohort,year\n"
    "Siân,O'Brien,sian@oak.sch.uk,0123456,Oakfield Junior School,012345,ECT,ECT,2025,1\n"
    "=Zoë,Evans,zoe@oak.sch.uk,2345678,Oakfield Junior School,012345,ECT,ECT,2025,1\n"
    "Rhys,Jones,rhys@brook.sch.uk,3456789,Brook Lane,234567,ECT,ECT,2025,1\n"
    "Ada,Lovelace,ada@brook.sch.uk,4567890,Brook Lane,234567,ECT,ECT,2025,2\n"
    "Hannah,Price,hannah@hub.org.uk,7890123,,,Hub staff,,,\n";

std::string days_from_today(int days) { return uk_time::format_date(uk_time::now_ms() + days * 86'400'000LL); }

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// Event 1 (ECT conference 1, three days ago, one room) with its scans; event 2 (ECT year 2
// conference 3, ten days ago); event 3 (conference 2, in a month).
struct ReconcileHub : CliHub {
    ReconcileHub() : CliHub(roster_csv) {
        for (auto args : std::vector<std::vector<std::string>>{
                 {"--programme", "ect-y1", "--item", "conference-1", "--date", days_from_today(-3), "--rooms", "1"},
                 {"--programme", "ect-y2", "--item", "conference-3", "--date", days_from_today(-10)},
                 {"--programme", "ect-y1", "--item", "conference-2", "--date", days_from_today(30)}}) {
            std::vector<std::string> create = {"event", "create", "--cohort", "2025", "--venue", "Leeds"};
            create.insert(create.end(), args.begin(), args.end());
            auto made = run(create);
            if (made.code != 0) throw std::runtime_error("event create failed: " + made.err);
        }
        auto e = *store::load_event(*open(), 1);
        const auto& morning = e.sessions.at(0);
        const auto& afternoon = e.sessions.at(1);
        // Siân on time for both parts; Zoë 20 minutes late; Rhys never came; Ada came, unexpected.
        scan("s-sian-am", 1, morning, -5, "checked_in");
        scan("s-sian-pm", 1, afternoon, -5, "checked_in");
        scan("s-zoe-am", 2, morning, 20, "checked_in");
        scan("s-zoe-pm", 2, afternoon, -2, "checked_in");
        scan("s-ada-am", 4, morning, 0, "not_expected");
        scan("s-ada-pm", 4, afternoon, 0, "not_expected");
    }
    std::unique_ptr<db::Database> open() const { return store::open_database(hub + "/hub.db"); }
    void scan(const std::string& uuid, ParticipantId p, const Session& s, int minutes_after_start, const char* outcome) const {
        auto db = open();
        auto& insert = db->cached(
            "INSERT INTO check_ins (uuid, device_id, device_seq, participant_id, event_id, session_id, direction, method, "
            "outcome, device_ms, device_offset_min) VALUES (?1, 'door-1', ?2, ?3, 1, ?4, 'entry', 'qr', ?5, ?6, 60)");
        using I = std::int64_t;
        insert.bind_all(uuid, I{++seq}, I{p}, I{s.id}, outcome, I{s.starts_ms + minutes_after_start * 60'000LL});
        insert.run();
    }
    std::int64_t count(const std::string& sql) const {
        return open()->prepare(sql).query_one([](const db::Statement& r) { return r.int64(0); }).value_or(-1);
    }
    std::string text(const std::string& sql) const {
        return open()->prepare(sql).query_one([](const db::Statement& r) { return r.text(0); }).value_or("(none)");
    }
    // `muster attendance mark --event E --participant P --status S --reason R --author "Ann Example" EXTRA...`
    CliRun mark(int event, int participant, const std::string& status, std::vector<std::string> extra = {}) const {
        std::vector<std::string> args = {"attendance", "mark", "--event", std::to_string(event), "--participant",
                                         std::to_string(participant), "--status", status, "--reason", "checked with the school",
                                         "--author", "Ann Example"};
        args.insert(args.end(), extra.begin(), extra.end());
        return run(args);
    }
    mutable int seq = 0;
};

}  // namespace

TEST_CASE("attendance show lists each expected row with its parts, and the unsettled ones, as a table and CSV",
          "[cli][reconcile]") {
    ReconcileHub hub;
    auto shown = hub.run({"attendance", "show", "--event", "1"});
    REQUIRE(shown.code == 0);
    CHECK_THAT(shown.out, Catch::Contains("3 expected, 2 unsettled, 1 scanned but not expected"));
    CHECK_THAT(shown.out, Catch::Contains("Siân O'Brien") && Catch::Contains("Oakfield Junior School"));
    CHECK_THAT(shown.out, Catch::Contains("Morning") && Catch::Contains("Afternoon"));
    CHECK_THAT(shown.out, Catch::Contains("20 min"));           // Zoë's minutes late
    CHECK_THAT(shown.out, Catch::Contains("UNSETTLED"));
    CHECK_THAT(shown.out, Catch::Contains("Ada Lovelace"));     // in the unexpected list
    CHECK_THAT(shown.out, Catch::Contains("event 2"));          // offered: the event she was expected at

    auto unsettled = hub.run({"attendance", "show", "--event", "1", "--unsettled"});
    REQUIRE(unsettled.code == 0);
    CHECK_THAT(unsettled.out, Catch::Contains("Rhys Jones") && Catch::Contains("Evans"));
    CHECK_THAT(unsettled.out, !Catch::Contains("Siân O'Brien"));

    auto csv = hub.run({"attendance", "show", "--event", "1", "--csv"});
    REQUIRE(csv.code == 0);
    CHECK(csv.out.rfind("\xEF\xBB\xBF" "participant_id,name,school_urn,school,role,room,morning_in,afternoon_in,checked_out,"
                        "status,marked_by_staff,minutes_late,left_early,unsettled,alternate_event_id\r\n",
                        0) == 0);
    CHECK_THAT(csv.out, Catch::Contains("Siân O'Brien,\"=\"\"012345\"\"\",Oakfield Junior School,ect,"));
    CHECK_THAT(csv.out, Catch::Contains(",'=Zoë Evans,"));  // formula injection neutralised
    CHECK_THAT(csv.out, Catch::Contains(",late,no,20,no,yes,\r\n"));
    CHECK_THAT(csv.out, Catch::Contains(",absent,no,,no,yes,\r\n"));

    std::string path = hub.dir.file("rows.csv");
    auto file = hub.run({"attendance", "show", "--event", "1", "--unsettled", "--out", path});
    REQUIRE(file.code == 0);
    CHECK_THAT(file.out, Catch::Contains("Wrote 2 row(s)"));
    CHECK_THAT(slurp(path), Catch::Contains("Rhys Jones") && !Catch::Contains("Siân"));

    auto none = hub.run({"attendance", "show", "--event", "99"});
    CHECK(none.code == 2);
    CHECK_THAT(none.err, Catch::Contains("no event 99"));
    CHECK(hub.run({"attendance", "show"}).code == 2);
}

TEST_CASE("attendance mark records a hub correction with who and why, once, and reaches the devices",
          "[cli][reconcile]") {
    ReconcileHub hub;
    auto clock = hub.count("SELECT value FROM change_clock");
    const std::string uuid = "018f0000-0000-7000-8000-000000000001";
    auto excused = hub.mark(1, 3, "excused", {"--note", "phoned on the day", "--uuid", uuid});
    REQUIRE(excused.code == 0);
    CHECK_THAT(excused.out, Catch::Contains("Recorded: excused for participant 3 at event 1 (" + uuid));
    CHECK(hub.count("SELECT COUNT(*) FROM corrections WHERE uuid = '" + uuid +
                    "' AND kind = 'mark' AND status = 'excused' AND author = 'Ann Example' AND reason = 'checked with the "
                    "school' AND device_id IS NULL AND staff_id IS NULL AND participant_id = 3 AND event_id = 1") == 1);
    CHECK(hub.count("SELECT sync_seq FROM corrections WHERE uuid = '" + uuid + "'") > clock);  // devices download it

    // The same again (a retried script) stores nothing; other content under that uuid is refused.
    auto again = hub.mark(1, 3, "excused", {"--note", "phoned on the day", "--uuid", uuid});
    CHECK(again.code == 1);
    CHECK_THAT(again.err, Catch::Contains("already recorded"));
    auto other = hub.mark(1, 3, "absent", {"--uuid", uuid});
    CHECK(other.code == 1);
    CHECK_THAT(other.err, Catch::Contains("already stored with other content"));
    CHECK(hub.count("SELECT COUNT(*) FROM corrections") == 1);

    // Refusals in words, nothing written.
    auto bad_status = hub.mark(1, 2, "sleeping");
    CHECK(bad_status.code == 2);
    CHECK_THAT(bad_status.err, Catch::Contains("--status must be one of present|late|left_early"));
    auto no_evidence = hub.mark(1, 3, "caught_up", {"--caught-up-on", days_from_today(-1)});
    CHECK(no_evidence.code == 2);
    CHECK_THAT(no_evidence.err, Catch::Contains("--evidence is required"));
    auto stray = hub.mark(1, 3, "present", {"--evidence", "a certificate"});
    CHECK(stray.code == 2);
    CHECK_THAT(stray.err, Catch::Contains("--evidence goes with --status caught_up only"));
    auto no_author = hub.run({"attendance", "mark", "--event", "1", "--participant", "2", "--status", "late", "--reason", "x"});
    CHECK(no_author.code == 2);
    CHECK_THAT(no_author.err, Catch::Contains("--author is required"));
    auto stranger = hub.mark(1, 5, "present");
    CHECK(stranger.code == 2);
    CHECK_THAT(stranger.err, Catch::Contains("participant 5"));
    CHECK(hub.count("SELECT COUNT(*) FROM corrections") == 1);

    // Caught up by recording: the date and the evidence stored with the mark.
    auto caught_up =
        hub.mark(1, 2, "caught_up", {"--caught-up-on", days_from_today(-1), "--evidence", "recording log, 95 minutes"});
    REQUIRE(caught_up.code == 0);
    CHECK(hub.text("SELECT evidence FROM corrections WHERE participant_id = 2") == "recording log, 95 minutes");
    CHECK(hub.text("SELECT caught_up_on FROM corrections WHERE participant_id = 2") == days_from_today(-1));

    auto history = hub.run({"attendance", "history", "--event", "1", "--participant", "3"});
    REQUIRE(history.code == 0);
    CHECK_THAT(history.out, Catch::Contains("Rhys Jones") && Catch::Contains("marked excused") &&
                                Catch::Contains("checked with the school") && Catch::Contains("phoned on the day") &&
                                Catch::Contains("by Ann Example (hub)"));
    auto nowhere = hub.run({"attendance", "history", "--event", "1", "--participant", "5"});
    CHECK(nowhere.code == 1);
    CHECK_THAT(nowhere.err, Catch::Contains("neither expected at event 1 nor scanned there"));
}

TEST_CASE("attendance mark in bulk writes all the people or none of them", "[cli][reconcile]") {
    ReconcileHub hub;
    // Participant 5 is expected nowhere: the whole batch is refused and says who.
    auto refused = hub.run({"attendance", "mark", "--event", "1", "--participant", "2", "--participant", "5", "--participant",
                            "3", "--status", "present", "--reason", "forgot badge", "--author", "Ann Example"});
    CHECK(refused.code == 2);
    CHECK_THAT(refused.err, Catch::Contains("participant 5: ") && Catch::Contains("nothing was written"));
    CHECK(hub.count("SELECT COUNT(*) FROM corrections") == 0);

    auto twice = hub.run({"attendance", "mark", "--event", "1", "--participant", "2", "--participant", "2", "--status",
                          "present", "--reason", "r", "--author", "A"});
    CHECK(twice.code == 2);
    CHECK_THAT(twice.err, Catch::Contains("participant 2 is given twice"));

    auto file = hub.write("ids.txt", "# settled at the desk\n2\n3, \n");
    auto bulk = hub.run({"attendance", "mark", "--event", "1", "--participants-file", file, "--status", "present", "--reason",
                         "forgot badge", "--author", "Ann Example"});
    REQUIRE(bulk.code == 0);
    CHECK_THAT(bulk.out, Catch::Contains("2 correction(s) by Ann Example"));
    CHECK(hub.count("SELECT COUNT(*) FROM corrections WHERE status = 'present' AND participant_id IN (2, 3)") == 2);
    CHECK(hub.count("SELECT COUNT(DISTINCT uuid) FROM corrections") == 2);
    auto shown = hub.run({"attendance", "show", "--event", "1", "--unsettled"});
    CHECK_THAT(shown.out, Catch::Contains("Every row is settled"));

    auto bad_file = hub.run({"attendance", "mark", "--event", "1", "--participants-file", hub.write("bad.txt", "2\nthree\n"),
                             "--status", "present", "--reason", "r", "--author", "A"});
    CHECK(bad_file.code == 2);
    CHECK_THAT(bad_file.err, Catch::Contains("line 2: 'three' is not a participant id"));
}

TEST_CASE("attendance void flags a scan or a mark in the history and the row follows what is left", "[cli][reconcile]") {
    ReconcileHub hub;
    auto voided = hub.run({"attendance", "void", "--event", "1", "--participant", "1", "--scan", "s-sian-pm", "--reason",
                           "scanned by mistake", "--author", "Ann Example"});
    REQUIRE(voided.code == 0);
    CHECK(hub.count("SELECT COUNT(*) FROM corrections WHERE kind = 'void' AND target_uuid = 's-sian-pm' AND participant_id = 1") ==
          1);
    auto history = hub.run({"attendance", "history", "--event", "1", "--participant", "1"});
    CHECK_THAT(history.out, Catch::Contains("s-sian-pm  [voided]") && Catch::Contains("voided s-sian-pm"));
    auto csv = hub.run({"attendance", "show", "--event", "1", "--csv"}).out;
    CHECK_THAT(csv, Catch::Contains("Siân O'Brien") && Catch::Contains(",left_early,no,"));

    // Voiding a mark gives the row back to the scans: Rhys is absent and unsettled again.
    const std::string mark = "018f0000-0000-7000-8000-0000000000aa";
    REQUIRE(hub.mark(1, 3, "excused", {"--uuid", mark}).code == 0);
    CHECK_THAT(hub.run({"attendance", "show", "--event", "1", "--csv"}).out, Catch::Contains("Rhys Jones") &&
                                                                                  Catch::Contains(",excused,yes,,no,no,\r\n"));
    auto unmarked = hub.run({"attendance", "void", "--event", "1", "--participant", "3", "--mark", mark, "--reason",
                             "wrong person", "--author", "Ann Example"});
    REQUIRE(unmarked.code == 0);
    CHECK(hub.count("SELECT COUNT(*) FROM corrections WHERE kind = 'void' AND target_uuid = '" + mark + "'") == 1);
    CHECK_THAT(hub.run({"attendance", "show", "--event", "1", "--csv"}).out, Catch::Contains(",absent,no,,no,yes,\r\n"));

    auto unknown = hub.run({"attendance", "void", "--event", "1", "--participant", "1", "--scan", "no-such-scan", "--reason",
                            "r", "--author", "A"});
    CHECK(unknown.code == 2);
    auto both = hub.run({"attendance", "void", "--event", "1", "--participant", "1", "--scan", "a", "--mark", "b", "--reason",
                         "r", "--author", "A"});
    CHECK(both.code == 2);
    CHECK_THAT(both.err, Catch::Contains("give --scan UUID or --mark UUID"));
    CHECK(hub.count("SELECT COUNT(*) FROM corrections") == 3);
}

TEST_CASE("an alternate-date attendance links the unexpected scans to the event the person was expected at",
          "[cli][reconcile]") {
    ReconcileHub hub;
    auto no_event = hub.mark(2, 4, "alternate");
    CHECK(no_event.code == 2);
    CHECK_THAT(no_event.err, Catch::Contains("--attended-event is required"));
    auto linked = hub.mark(2, 4, "alternate", {"--attended-event", "1"});
    REQUIRE(linked.code == 0);
    CHECK(hub.count("SELECT linked_event_id FROM corrections WHERE participant_id = 4 AND event_id = 2 AND status = "
                    "'alternate'") == 1);
    auto there = hub.run({"attendance", "show", "--event", "1"});
    CHECK_THAT(there.out, Catch::Contains("Ada Lovelace") && Catch::Contains("linked: attended for event 2"));
    auto here = hub.run({"attendance", "show", "--event", "2", "--csv"});
    CHECK_THAT(here.out, Catch::Contains(",alternate,yes,") && Catch::Contains(",1\r\n"));
}

TEST_CASE("event sign-off waits for every row, then a change is an amendment shown in the audit", "[cli][reconcile]") {
    ReconcileHub hub;
    auto early = hub.run({"event", "sign-off", "--event", "1", "--author", "Ann Example"});
    CHECK(early.code == 1);
    CHECK_THAT(early.err, Catch::Contains("event 1 has 2 unsettled row(s)"));
    auto future = hub.run({"event", "sign-off", "--event", "3", "--author", "Ann Example"});
    CHECK(future.code == 1);
    CHECK_THAT(future.err, Catch::Contains("not over yet"));
    CHECK(hub.count("SELECT COUNT(*) FROM event_sign_offs") == 0);

    REQUIRE(hub.mark(1, 2, "late").code == 0);
    REQUIRE(hub.mark(1, 3, "absent").code == 0);
    auto signed_off = hub.run({"event", "sign-off", "--event", "1", "--author", "Ann Example", "--note", "all settled"});
    REQUIRE(signed_off.code == 0);
    CHECK_THAT(signed_off.out, Catch::Contains("Signed off event 1 by Ann Example"));
    CHECK(hub.count("SELECT COUNT(*) FROM event_sign_offs WHERE event_id = 1 AND author = 'Ann Example' AND note = 'all "
                    "settled' AND staff_id IS NULL") == 1);
    auto again = hub.run({"event", "sign-off", "--event", "1", "--author", "Bo"});
    CHECK(again.code == 1);
    CHECK_THAT(again.err, Catch::Contains("already signed off") && Catch::Contains("by Ann Example"));

    auto refused = hub.mark(1, 3, "excused");
    CHECK(refused.code == 2);
    CHECK_THAT(refused.err, Catch::Contains("event 1 is signed off: a change needs --amendment-reason"));
    CHECK(hub.count("SELECT COUNT(*) FROM corrections") == 2);
    auto amended = hub.mark(1, 3, "excused", {"--amendment-reason", "sick note arrived"});
    REQUIRE(amended.code == 0);
    CHECK_THAT(amended.out, Catch::Contains("an amendment after sign-off"));
    CHECK(hub.text("SELECT amendment_reason FROM corrections WHERE status = 'excused'") == "sick note arrived");

    auto audit = hub.run({"event", "audit", "--event", "1"});
    REQUIRE(audit.code == 0);
    CHECK_THAT(audit.out, Catch::Contains("Ann Example") && Catch::Contains("AMENDMENT: sick note arrived") &&
                              Catch::Contains("Rhys Jones"));
    auto csv = hub.run({"event", "audit", "--event", "1", "--csv"});
    REQUIRE(csv.code == 0);
    CHECK(csv.out.rfind("\xEF\xBB\xBF" "at,kind,author,source,participant_id,participant,what,reason,amendment_reason,uuid\r\n",
                        0) == 0);
    CHECK_THAT(csv.out, Catch::Contains("sick note arrived"));
    std::size_t rows = 0;
    for (std::size_t at = 0; (at = csv.out.find("\r\n", at)) != std::string::npos; at += 2) ++rows;
    CHECK(rows == 5);  // header, three corrections, the sign-off

    auto quiet = hub.run({"event", "audit", "--event", "2"});
    CHECK(quiet.code == 1);
    CHECK_THAT(quiet.err, Catch::Contains("no corrections and no sign-off"));
}

TEST_CASE("the reconciliation commands' help names the marks and what each needs", "[cli][reconcile]") {
    auto topic = muster_cli({"help", "marks"});
    REQUIRE(topic.code == 0);
    for (AttendanceStatus s : all_attendance_statuses()) CHECK_THAT(topic.out, Catch::Contains(std::string(to_string(s))));
    CHECK_THAT(topic.out, Catch::Contains("--caught-up-on") && Catch::Contains("--amendment-reason"));
    auto mark_help = muster_cli({"attendance", "mark", "--help"});
    CHECK(mark_help.code == 0);
    CHECK_THAT(mark_help.out, Catch::Contains("--participants-file") && Catch::Contains("Staff marks"));
    auto group = muster_cli({"event", "--help"});
    CHECK_THAT(group.out, Catch::Contains("event sign-off") && Catch::Contains("event audit"));
}
