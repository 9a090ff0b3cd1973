// What a device reports of itself, written by the real muster-sync-server into the hub's
// devices row (`muster device list` shows it), and a removed device refused like a revoked one.
#include "http_probe.hpp"
#include "sync_fixture.hpp"

#include "command.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace muster;
using namespace muster::test;

namespace {

struct Status {
    std::optional<std::int64_t> seen, queued, skew;
    std::optional<std::string> version;
};

Status status_of(const SyncHub& hub, const std::string& id) {
    db::Database d(hub.hub + "/hub.db", db::OpenMode::read_only);
    auto s = d.prepare("SELECT last_seen_ms, last_queued, last_clock_skew_ms, last_version FROM devices WHERE id = ?1");
    s.bind(1, id);
    REQUIRE(s.step());
    return {s.opt_int64(0), s.opt_int64(1), s.opt_int64(2), s.opt_text(3)};
}

int poll(const RunningHub& h, const std::string& query, const std::string& device = "entrance-1") {
    return signed_request(h.port(), "GET", "/v1/changes?since=0" + query, "", h.hub.as(device)).status;
}

}  // namespace

TEST_CASE("A changes poll writes the device's last seen, version, queue and clock, throttled when nothing changed",
          "[server][devices]") {
    RunningHub h;
    CHECK_FALSE(status_of(h.hub, "entrance-1").seen);
    REQUIRE(poll(h, "&queued=3&version=0.1.0&skew=200000") == 200);
    auto first = status_of(h.hub, "entrance-1");
    REQUIRE(first.seen);
    CHECK(*first.seen == Approx(uk_time::now_ms()).margin(10'000));
    CHECK(first.queued == 3);
    CHECK(first.version == "0.1.0");
    CHECK(first.skew == 200000);

    // The same report again within 30 s: no write (a 2 s poll does not write every time).
    REQUIRE(poll(h, "&queued=3&version=0.1.0&skew=200100") == 200);
    CHECK(status_of(h.hub, "entrance-1").seen == first.seen);

    // A change is written at once.
    REQUIRE(poll(h, "&queued=0&version=0.1.0&skew=200000") == 200);
    CHECK(status_of(h.hub, "entrance-1").queued == 0);

    // Values out of range or not printable are ignored, never an error.
    REQUIRE(poll(h, "&queued=-5&version=bad%20version%0a&skew=abc") == 200);
    REQUIRE(poll(h, "&queued=4&version=" + std::string(40, 'v')) == 200);
    auto after = status_of(h.hub, "entrance-1");
    CHECK(after.version == "0.1.0");
    CHECK(after.queued == 4);
    CHECK(after.skew == 200000);

    // An old kiosk's bare poll: seen, nothing else changed.
    REQUIRE(poll(h, "", "room-1") == 200);
    auto room = status_of(h.hub, "room-1");
    CHECK(room.seen);
    CHECK_FALSE(room.version);
    CHECK_FALSE(room.queued);

    // An upload reports the batch's clock skew.
    auto body = upload_body({make_check_in("room-1", 1, 3)}, uk_time::now_ms() + 3 * 60'000);
    REQUIRE(signed_request(h.port(), "POST", "/v1/upload", body, h.hub.as("room-1")).status == 200);
    REQUIRE(status_of(h.hub, "room-1").skew);
    CHECK(*status_of(h.hub, "room-1").skew == Approx(180'000).margin(10'000));
}

TEST_CASE("A removed device is refused like a revoked one and keeps its records on the hub", "[server][devices]") {
    RunningHub h;
    auto body = upload_body({make_check_in("entrance-1", 1, 1)});
    REQUIRE(signed_request(h.port(), "POST", "/v1/upload", body, h.hub.as()).status == 200);
    std::ostringstream out, err;
    REQUIRE(admin::run_cli({"device", "remove", "--hub", h.hub.hub, "--id", "entrance-1"}, out, err) == 0);
    auto refused = poll(h, "&queued=0");
    CHECK(refused == 403);
    auto reply = signed_request(h.port(), "GET", "/v1/changes?since=0", "", h.hub.as());
    CHECK_THAT(reply.body, Catch::Contains("\"code\":\"revoked\"") && Catch::Contains("removed"));
    CHECK(h.hub.stored_check_ins() == 1);
}
