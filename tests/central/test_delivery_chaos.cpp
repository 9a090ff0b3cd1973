// End to end through failures (docs/central.md): a real hub signed off, a real
// muster-sync-server delivering its outbox to the stand-in CRM (muster-crm-stand-in) that
// fails on purpose, a SIGKILL of the server mid-delivery, and of the CRM itself. The CRM must
// end with every record version exactly once by idempotency key, a correction after the
// record it corrects, and the refused record shown to staff, retried after the fix and
// delivered. And a CRM holding its reply does not hold up a device's upload. Every wait is
// on a condition (the stand-in's /stats, the hub's outbox) with a deadline.
#include "central_hub.hpp"
#include "crm_stand_in_process.hpp"
#include "http_probe.hpp"
#include "server_process.hpp"

#include "muster/store/event_store.hpp"
#include "muster/sync/request_signing.hpp"
#include "muster/sync/sync_messages.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/uuid.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>

using namespace muster;
using namespace muster::test;
using namespace std::chrono_literals;

namespace {

std::string stats_text(const StandInStats& s) {
    std::string out = "requests " + std::to_string(s.requests) + ", records " + std::to_string(s.records) +
                      ", duplicates " + std::to_string(s.duplicates) + ", slow " + std::to_string(s.slow) + ", status";
    for (auto [code, n] : s.status) out += " " + std::to_string(code) + ":" + std::to_string(n);
    return out;
}

// The store holds every expected key exactly once and nothing else; the hub's remote ids are
// the ids the CRM gave.
void check_exactly_once(CentralHub& h, const std::string& store) {
    auto stored = read_stand_in_store(store);
    std::map<std::string, int> seen;
    std::map<std::string, std::string> ids;
    for (const auto& r : stored) ++seen[r.key], ids[r.key] = r.id;
    auto expected = h.expected_keys();
    REQUIRE_FALSE(expected.empty());
    CHECK(stored.size() == expected.size());
    for (const auto& key : expected) {
        INFO(key);
        CHECK(seen[key] == 1);
    }
    auto deliveries = *store::event_deliveries(*h.db, h.event);  // a copy: the loop must not run over a temporary's inside
    for (const auto& d : deliveries) {
        if (d.state != store::DeliveryState::delivered) continue;
        auto key = d.target + ":" + d.record_id + ":" + std::to_string(d.version);
        INFO(key);
        REQUIRE(d.remote_id);
        CHECK(*d.remote_id == ids[key]);
    }
}

}  // namespace

TEST_CASE("Through 500s, slow replies, 429s, a 422 and a killed sync server, every record version reaches the CRM once",
          "[central][chaos]") {
    CentralHub h(80, "Malformed");
    std::string store = h.dir.file("crm.jsonl");
    StandInProcess crm(store, {"--seed", "7", "--fail-rate", "0.25", "--slow-rate", "0.25", "--slow-ms", "1000",
                               "--throttle-every", "6", "--reject-last-name", "Malformed", "--token", "stand-in-token"});
    // 10 requests a second of 5 records: the 80 records take several seconds, so the server
    // is killed with most of them still to send.
    h.add_https_target(crm.port(), CentralTargetOptions::paced(5, 10));
    auto server = std::make_unique<ServerProcess>(h.config(), h.log());
    h.sign_off();
    REQUIRE(h.expected_keys().size() == 80);

    REQUIRE(wait_until([&] { return crm.stats().records >= 10; }, 30s));
    server->kill_hard();
    auto at_kill = crm.stats();
    INFO("at the kill: " << stats_text(at_kill));
    REQUIRE(at_kill.records < 79);

    // Restarted: entries the killed server left `sending` go again (the CRM answers duplicate).
    server = std::make_unique<ServerProcess>(h.config(), h.log());
    auto settled = [&] {
        auto c = h.counts();
        return c.delivered == 79 && c.rejected == 1;
    };
    REQUIRE(wait_until(settled, 90s));

    // The refused record waits for a person, and staff see why.
    auto rejected = *store::event_deliveries(*h.db, h.event);
    auto bad = std::find_if(rejected.begin(), rejected.end(),
                            [](const auto& d) { return d.state == store::DeliveryState::rejected; });
    REQUIRE(bad != rejected.end());
    CHECK(bad->participant_id == h.people.back());
    CHECK(bad->last_status == 422);
    CHECK_FALSE(bad->last_error.empty());
    auto status = store::central_status(*h.db);
    REQUIRE(status.size() == 1);
    REQUIRE(status[0].targets.size() == 1);
    CHECK(status[0].targets[0].counts.rejected == 1);
    CHECK(status[0].targets[0].counts.delivered == 79);

    // An amendment after delivery: version 2, sent as a correction.
    ParticipantId amended = h.people.front();
    REQUIRE(h.amend(amended, store::StaffAction::excused, "illness").outcome == store::CorrectionOutcome::stored);
    REQUIRE(h.expected_keys().size() == 81);
    REQUIRE(wait_until([&] { return h.counts().delivered == 80; }, 60s));

    // The CRM is fixed; staff retry the refused record and it goes.
    REQUIRE(crm.control(R"({"reject_last_name":""})"));
    store::RetrySelection all_of_event;
    all_of_event.event_id = h.event;
    CHECK(store::retry_rejected(*h.db, all_of_event, "Test Staff", uk_time::now_ms()) == 1);
    REQUIRE(wait_until([&] { return h.counts().delivered == 81 && h.counts().rejected == 0; }, 60s));

    auto end = crm.stats();
    INFO("at the end: " << stats_text(end));
    check_exactly_once(h, store);
    // The chaos happened: refused, throttled, failed and slow replies (slow ones come back
    // as duplicates once the timed-out request is sent again).
    CHECK(end.status[422] >= 1);
    CHECK(end.status[429] >= 1);
    CHECK(end.status[500] >= 1);
    CHECK(end.slow >= 1);
    CHECK(end.duplicates >= 1);

    // Version 2 of the amended record arrived after version 1, marked as a correction.
    auto stored = read_stand_in_store(store);
    auto deliveries = *store::event_deliveries(*h.db, h.event);
    auto v2 = std::find_if(deliveries.begin(), deliveries.end(), [&](const auto& d) { return d.version == 2; });
    REQUIRE(v2 != deliveries.end());
    CHECK(v2->participant_id == amended);
    CHECK(v2->correction);
    auto line_of = [&](int version) {
        return std::find_if(stored.begin(), stored.end(),
                            [&](const auto& r) { return r.record_id == v2->record_id && r.version == version; });
    };
    REQUIRE(line_of(1) != stored.end());
    REQUIRE(line_of(2) != stored.end());
    CHECK(line_of(1) < line_of(2));
    CHECK_FALSE(line_of(1)->correction);
    CHECK(line_of(2)->correction);
    // The refused record arrived once, after the fix.
    CHECK(std::count_if(stored.begin(), stored.end(), [](const auto& r) { return r.last_name == "Malformed"; }) == 1);
}

TEST_CASE("Records wait while the CRM is down and are delivered once when it is back", "[central][chaos]") {
    CentralHub h(40);
    std::string store = h.dir.file("crm.jsonl");
    StandInProcess crm(store, {"--token", "stand-in-token"});
    h.add_https_target(crm.port(), CentralTargetOptions::paced(5, 10));
    ServerProcess server(h.config(), h.log());
    h.sign_off();

    REQUIRE(wait_until([&] { return crm.stats().records >= 5; }, 30s));
    crm.kill_hard();
    CHECK_FALSE(crm.stats().reached);
    // The server keeps trying: an entry is back to pending after a failed attempt, with the
    // error for staff, and nothing is lost.
    auto retried_while_down = [&] {
        auto deliveries = *store::event_deliveries(*h.db, h.event);
        for (const auto& d : deliveries)
            if (d.state == store::DeliveryState::pending && d.attempts >= 2 && !d.last_error.empty()) return true;
        return false;
    };
    REQUIRE(wait_until(retried_while_down, 30s));
    CHECK(h.counts().delivered < 40);

    crm.restart();  // the same port and store
    REQUIRE(wait_until([&] { return h.counts().delivered == 40; }, 60s));
    auto end = crm.stats();
    INFO(stats_text(end));
    CHECK(end.records == 40);
    check_exactly_once(h, store);
}

TEST_CASE("A CRM holding its reply does not hold up device sync", "[central][chaos]") {
    CentralHub h(20);
    // Today's event with a door device, beside the signed-off one whose records go out.
    const EventId today = store::create_event(
        *h.db, {"ect-y1", "conference-2", 2025, uk_time::format_date(uk_time::now_ms()), "Test venue", 0, 10});
    CentralHub::run({"badges", "issue", "--all", "--hub", h.hub});  // serial 1 each
    CentralHub::run({"device", "add", "--id", "door-1", "--event", std::to_string(today), "--pin", "1357", "--hub", h.hub});
    std::ifstream secret_file(h.hub + "/devices/door-1/device.secret");
    std::string secret_hex;
    secret_file >> secret_hex;
    auto secret = sync::secret_from_hex(secret_hex);
    REQUIRE(secret);

    // Every reply held 8 s (the records stored first), within the target's 10 s timeout.
    std::string store = h.dir.file("crm.jsonl");
    StandInProcess crm(store, {"--slow-rate", "1", "--slow-ms", "8000", "--token", "stand-in-token"});
    auto options = CentralTargetOptions::paced(20, 0);
    options.timeout_ms = 10'000;
    h.add_https_target(crm.port(), options);
    ServerProcess server(h.config(), h.log());
    h.sign_off();
    REQUIRE(wait_until([&] { return crm.stats().slow >= 1; }, 30s));  // the worker is waiting on the CRM

    // A device uploads meanwhile: stored and acknowledged while the batch is still out.
    auto event = store::load_event(*h.db, today);
    REQUIRE(event);
    CheckIn scan;
    const TimeMs now = uk_time::now_ms();
    scan.uuid = new_uuid(now);
    scan.device_id = "door-1";
    scan.device_seq = 1;
    scan.participant_id = store::enrolments(*h.db, today).at(0).participant_id;
    scan.event_id = today;
    scan.session_id = event->sessions.at(0).id;
    scan.direction = Direction::entry;
    scan.method = Method::qr;
    scan.outcome = Outcome::checked_in;
    scan.badge_serial = 1;
    scan.device_ms = now;
    scan.device_offset_min = uk_time::offset_minutes(now);
    sync::UploadBatch batch;
    batch.device_time_ms = now;
    batch.check_ins = {scan};
    auto reply = signed_request(server.port(), "POST", "/v1/upload", sync::to_json(batch), SignedParts{"door-1", *secret, {}, {}, {}});
    INFO(reply.body);
    REQUIRE(reply.status == 200);
    auto upload = sync::parse_upload_reply(reply.body);
    REQUIRE(upload.acked.size() == 1);
    CHECK(upload.acked[0] == scan.uuid);
    CHECK(h.counts().sending == 20);  // the CRM still holds its reply: the upload did not wait for it
    server.kill_hard();
}
