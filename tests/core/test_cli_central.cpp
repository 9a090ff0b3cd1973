// `muster central status|retry` (docs/central.md, "Command line"): a real hub made with the
// tool, an event signed off with two targets registered, entries moved through the outbox's
// own functions (as the server's worker would), then what the tool prints and changes.
#include "cli_run.hpp"

#include "muster/csv/csv_reader.hpp"
#include "muster/store/central_outbox.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace muster;
using namespace muster::test;
using Kind = store::DeliveryResult::Kind;

namespace {

const char* roster_csv =
    "first_name,last_name,email,trn,school,urn,role,programme,cohort,year\n"
    "Siân,O'Brien,sian@oak.sch.uk,0123456,Oakfield Junior School,012345,ECT,ECT,2025,1\n"
    "Zoë,Evans,zoe@oak.sch.uk,2345678,Oakfield Junior School,012345,ECT,ECT,2025,1\n"
    "Rhys,Jones,rhys@brook.sch.uk,3456789,Brook Lane,234567,ECT,ECT,2025,1\n";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// Event 1 three days ago, everyone present at both parts; targets "crm" (https) and "lp"
// (evidence-csv) registered; signed off, so each of the three records is queued for both.
struct CentralHub : CliHub {
    CentralHub() : CliHub(roster_csv) {
        auto date = uk_time::format_date(uk_time::now_ms() - 3 * 86'400'000LL);
        auto made = run({"event", "create", "--cohort", "2025", "--venue", "Leeds", "--programme", "ect-y1", "--item",
                         "conference-1", "--date", date});
        if (made.code != 0) throw std::runtime_error("event create failed: " + made.err);
        auto db = open();
        auto e = *store::load_event(*db, 1);
        int seq = 0;
        for (ParticipantId p = 1; p <= 3; ++p)
            for (const auto& s : e.sessions) {
                auto& insert = db->cached(
                    "INSERT INTO check_ins (uuid, device_id, device_seq, participant_id, event_id, session_id, direction, "
                    "method, outcome, device_ms, device_offset_min) VALUES (?1, 'door-1', ?2, ?3, 1, ?4, 'entry', 'qr', "
                    "'checked_in', ?5, 60)");
                using I = std::int64_t;
                ++seq;
                insert.bind_all("0190a1b2-0000-7000-8000-0000000000" + std::to_string(10 + seq), I{seq}, I{p}, I{s.id},
                                I{s.starts_ms - 60'000});
                insert.run();
            }
        std::vector<store::CentralTarget> targets = {{"crm", store::TargetKind::https}, {"lp", store::TargetKind::evidence_csv}};
        store::register_central_targets(*db, targets, uk_time::now_ms());
        db.reset();
        auto signed_off = run({"event", "sign-off", "--event", "1", "--author", "Ann Example"});
        if (signed_off.code != 0) throw std::runtime_error("sign-off failed: " + signed_off.err);
    }
    std::unique_ptr<db::Database> open() const { return store::open_database(hub + "/hub.db"); }

    // What the server's worker would do for "crm": the first record delivered, the second
    // rejected by the CRM, the third to be tried again in an hour.
    void deliver_crm() const {
        auto db = open();
        TimeMs now = uk_time::now_ms();
        auto claimed = store::claim_due_deliveries(*db, "crm", 10, now);
        if (claimed.size() != 3) throw std::runtime_error("expected 3 claimed, got " + std::to_string(claimed.size()));
        std::vector<store::DeliveryResult> results(3);
        for (std::size_t i = 0; i < 3; ++i) results[i].delivery_id = claimed[i].delivery_id;
        results[0].kind = Kind::delivered;
        results[0].http_status = 201;
        results[0].remote_id = "crm-77";
        results[1].kind = Kind::rejected;
        results[1].http_status = 422;
        results[1].error = "field trn: not accepted";
        results[2].kind = Kind::retry;
        results[2].http_status = 503;
        results[2].error = "HTTP 503";
        results[2].next_attempt_ms = now + 3'600'000;
        store::record_delivery_results(*db, results, now);
        rejected_id = claimed[1].delivery_id;
        retry_at = results[2].next_attempt_ms;
    }
    std::int64_t count(const std::string& sql) const {
        return open()->prepare(sql).query_one([](const db::Statement& r) { return r.int64(0); }).value_or(-1);
    }
    mutable std::int64_t rejected_id = 0;
    mutable TimeMs retry_at = 0;
};

}  // namespace

TEST_CASE("central status shows totals per target, then each signed-off event", "[cli][central]") {
    CentralHub hub;
    hub.deliver_crm();
    auto shown = hub.run({"central", "status"});
    REQUIRE(shown.code == 0);
    CHECK_THAT(shown.out, Catch::Contains("crm") && Catch::Contains("https") && Catch::Contains("evidence-csv"));
    CHECK_THAT(shown.out, Catch::Contains("Event 1: ") && Catch::Contains("3 record(s)"));
    CHECK_THAT(shown.out, Catch::Contains("last delivered"));
    // crm: pending 1, sending 0, delivered 1, rejected 1, superseded 0; lp: 3 pending.
    CHECK_THAT(shown.out, Catch::Contains("1        0        1          1         0"));
    CHECK_THAT(shown.out, Catch::Contains("3        0        0          0         0"));

    auto csv = hub.run({"central", "status", "--csv"});
    REQUIRE(csv.code == 0);
    CHECK(csv.out.rfind("\xEF\xBB\xBF" "event_id,event_date,event_title,records,target,kind,pending", 0) == 0);
    csv::Reader reader(csv.out);
    reader.next();
    int rows = 0;
    while (auto r = reader.next()) {
        ++rows;
        CHECK(r->fields.at(0) == "1");
        if (r->fields.at(4) == "crm") CHECK(r->fields.at(9) == "1");  // rejected
    }
    CHECK(rows == 2);

    std::string path = hub.dir.file("central.csv");
    auto file = hub.run({"central", "status", "--out", path});
    REQUIRE(file.code == 0);
    CHECK_THAT(file.out, Catch::Contains("Wrote 2 row(s) to " + path));
    CHECK(slurp(path) == csv.out);
}

TEST_CASE("central status of an event lists every entry with its state, error and next attempt", "[cli][central]") {
    CentralHub hub;
    hub.deliver_crm();
    auto shown = hub.run({"central", "status", "--event", "1"});
    REQUIRE(shown.code == 0);
    CHECK_THAT(shown.out, Catch::Contains("6 delivery entries"));
    CHECK_THAT(shown.out, Catch::Contains("Siân O'Brien") && Catch::Contains("Zoë Evans") && Catch::Contains("Rhys Jones"));
    CHECK_THAT(shown.out, Catch::Contains("rejected") && Catch::Contains("422") && Catch::Contains("field trn: not accepted"));
    CHECK_THAT(shown.out, Catch::Contains("delivered") && Catch::Contains("pending"));
    CHECK_THAT(shown.out, Catch::Contains(uk_time::format_local(hub.retry_at)));  // the next attempt, UK time

    auto csv = hub.run({"central", "status", "--event", "1", "--csv"});
    REQUIRE(csv.code == 0);
    csv::Reader reader(csv.out);
    auto header = reader.next()->fields;
    CHECK(header.at(0) == "delivery_id");
    int rows = 0, rejected = 0;
    while (auto r = reader.next()) {
        ++rows;
        if (r->fields.at(8) == "rejected") {
            ++rejected;
            CHECK(r->fields.at(0) == std::to_string(hub.rejected_id));
            CHECK(r->fields.at(10) == "422");
        }
    }
    CHECK(rows == 6);
    CHECK(rejected == 1);
}

TEST_CASE("central retry puts rejected entries back, once, and says who asked", "[cli][central]") {
    CentralHub hub;
    hub.deliver_crm();
    SECTION("by event") {
        auto retried = hub.run({"central", "retry", "--event", "1", "--author", "Ann Example"});
        REQUIRE(retried.code == 0);
        CHECK_THAT(retried.out, Catch::Contains("Retried 1 rejected entry") && Catch::Contains("poll interval"));
        CHECK(hub.count("SELECT COUNT(*) FROM central_deliveries WHERE state = 'rejected'") == 0);
        CHECK(hub.count("SELECT COUNT(*) FROM central_deliveries WHERE id = " + std::to_string(hub.rejected_id) +
                        " AND state = 'pending'") == 1);
        auto again = hub.run({"central", "retry", "--event", "1", "--author", "Ann Example"});
        CHECK(again.code == 1);
        CHECK_THAT(again.err, Catch::Contains("nothing retried"));
        auto shown = hub.run({"central", "status", "--event", "1", "--csv"});
        CHECK_THAT(shown.out, Catch::Contains("Ann Example"));
    }
    SECTION("by entry") {
        auto retried = hub.run({"central", "retry", "--delivery", std::to_string(hub.rejected_id), "--author", "Ann Example"});
        REQUIRE(retried.code == 0);
        CHECK_THAT(retried.out, Catch::Contains("Retried 1") && Catch::Contains("entry " + std::to_string(hub.rejected_id)));
    }
    SECTION("by target: lp had nothing rejected") {
        auto none = hub.run({"central", "retry", "--target", "lp", "--author", "Ann Example"});
        CHECK(none.code == 1);
        CHECK(hub.run({"central", "retry", "--target", "crm", "--event", "1", "--author", "Ann Example"}).code == 0);
        CHECK(hub.count("SELECT COUNT(*) FROM central_deliveries WHERE state = 'rejected'") == 0);
    }
}

TEST_CASE("central commands refuse what they cannot act on with a clear message and exit 2", "[cli][central]") {
    CentralHub hub;
    struct Case {
        std::vector<std::string> args;
        std::string says;
    };
    for (const auto& c : std::vector<Case>{
             {{"central", "retry", "--author", "Ann"}, "say what to retry"},
             {{"central", "retry", "--event", "1"}, "--author"},
             {{"central", "retry", "--delivery", "3", "--event", "1", "--author", "Ann"}, "give it alone"},
             {{"central", "retry", "--target", "Bad Name!", "--author", "Ann"}, "--target takes"},
             {{"central", "retry", "--target", "nowhere", "--author", "Ann"}, "no target 'nowhere'"},
             {{"central", "retry", "--event", "99", "--author", "Ann"}, "no event 99"},
             {{"central", "status", "--event", "99"}, "no event 99"},
             {{"central", "status", "--event", "one"}, "--event"},
             {{"central", "status", "--out", ""}, "--out needs a file name"},
             {{"central", "status", "--everything"}, "everything"},
         }) {
        INFO(c.args.at(1) + " " + c.says);
        auto r = hub.run(c.args);
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains(c.says));
        CHECK_THAT(r.err, Catch::Contains("Usage: muster central"));
    }
    // Nothing was changed by any of them.
    CHECK(hub.count("SELECT COUNT(*) FROM central_deliveries WHERE state = 'pending'") == 6);
}

TEST_CASE("central status on a hub without targets says where they come from", "[cli][central]") {
    CliHub hub(roster_csv);
    auto r = hub.run({"central", "status"});
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::Contains("[[central.target]]"));
    auto help = muster_cli({"help", "central"});
    CHECK(help.code == 0);
    CHECK_THAT(help.out, Catch::Contains("rejected") && Catch::Contains("superseded") && Catch::Contains("muster central retry"));
    auto usage = hub.run({"central", "retry", "--help"});
    CHECK(usage.code == 0);
    CHECK_THAT(usage.out, Catch::Contains("--delivery") && Catch::Contains("Entry states"));
}
