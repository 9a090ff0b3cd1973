// Push (docs/kiosk.md, "Sync"): the sync client's long poll against the real server over
// HTTPS. Kiosk B polls once a minute, so only the push can explain it knowing of a scan at
// kiosk A within seconds.
#include "change_listener.hpp"
#include "device_config.hpp"
#include "fake_hub.hpp"
#include "kiosk_station.hpp"
#include "sync_client.hpp"
#include "sync_world.hpp"

#include <catch2/catch.hpp>

#include <atomic>

using namespace muster;
using namespace muster::test;
using muster::kiosk::SyncClient;

namespace {

using steady = std::chrono::steady_clock;

struct Kiosk {
    kiosk::DeviceConfig config;
    kiosk::KioskStation station;
    SyncClient sync;
    Kiosk(const SyncWorld& world, const std::string& id, bool push)
        : config(configured(world, id, push)), station(config), sync(config.sync_settings()) {}
    static kiosk::DeviceConfig configured(const SyncWorld& world, const std::string& id, bool push) {
        auto c = kiosk::load_device_config(world.device_toml(id));
        c.sync_push = push;
        return c;
    }
    checkin::ScanResult scan(const SyncWorld& world, ParticipantId who) {
        auto result = station.handle(kiosk::RawScan{kiosk::InputKind::wedge, world.token(who), "", steady::now()});
        sync.nudge();
        return result;
    }
    // Online, its first download done, and (push on) its long poll open.
    bool settled(bool push) {
        return eventually([&] { return sync.status().online && sync.status().passes > 0 && (!push || sync.listening()); },
                          std::chrono::seconds(15));
    }
};

}  // namespace

TEST_CASE("A badge scanned at kiosk A is already checked in at kiosk B at once with push on", "[sync][push]") {
    SyncWorld world(1, /*poll_ms=*/60'000);
    auto server = world.start_server();
    Kiosk a(world, "entrance-1", true), b(world, "entrance-2", true);
    a.sync.start();
    b.sync.start();
    REQUIRE(a.settled(true));
    REQUIRE(b.settled(true));
    auto people = store::enrolments(a.station.database(), 1);
    auto who = people.at(4).participant_id;

    auto t0 = steady::now();
    auto at_a = a.scan(world, who);
    REQUIRE(at_a.decision.outcome == Outcome::checked_in);
    // B's next poll is a minute away: only the push brings it this soon.
    REQUIRE(eventually([&] { return world.device_uuids("entrance-2").count(at_a.record.uuid) == 1; }, std::chrono::seconds(10)));
    auto took = std::chrono::duration<double, std::milli>(steady::now() - t0).count();
    CHECK(took < 5000);
    CHECK(b.scan(world, who).decision.outcome == Outcome::already_checked_in);
    CHECK(b.sync.changes_generation() > 0);

    // Stopping does not wait for the held long poll (20 s) to end.
    REQUIRE(eventually([&] { return b.sync.listening(); }, std::chrono::seconds(10)));
    auto stopping = steady::now();
    b.sync.stop();
    CHECK(std::chrono::duration<double, std::milli>(steady::now() - stopping).count() < 2000);
    a.sync.stop();
}

TEST_CASE("With push off a kiosk keeps no long poll open and still uploads", "[sync][push]") {
    SyncWorld world(0, /*poll_ms=*/60'000);
    auto server = world.start_server();
    Kiosk a(world, "entrance-1", false);
    a.sync.start();
    REQUIRE(a.settled(false));
    CHECK_FALSE(a.sync.listening());
    auto people = store::enrolments(a.station.database(), 1);
    auto scanned = a.scan(world, people.at(2).participant_id);
    REQUIRE(eventually([&] { return world.hub_uuids().count(scanned.record.uuid) == 1; }, std::chrono::seconds(10)));
    CHECK_FALSE(a.sync.listening());
}

TEST_CASE("The device file's server.push is read, on by default", "[sync][push]") {
    SyncWorld world;
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    CHECK(config.sync_push);
    CHECK(config.sync_settings().push);
    std::ifstream in(world.device_toml("entrance-1"));
    std::stringstream text;
    text << in.rdbuf();
    std::string with_push_off = text.str();
    auto at = with_push_off.find("poll_ms = ");
    REQUIRE(at != std::string::npos);
    with_push_off.insert(at, "push = false\n");
    std::ofstream(world.device_toml("entrance-1")) << with_push_off;
    auto off = kiosk::load_device_config(world.device_toml("entrance-1"));
    CHECK_FALSE(off.sync_push);
    CHECK_FALSE(off.sync_settings().push);
}

TEST_CASE("Against a hub that ignores wait_ms the listener falls back to the poll interval and does not spin", "[sync][push]") {
    SyncWorld world;
    FakeHub old_hub([](const sync::UploadBatch&) { return std::pair{200, std::string("{}")}; });  // answers changes at once, empty
    auto settings = kiosk::load_device_config(world.device_toml("entrance-1")).sync_settings();
    settings.server_urls = {old_hub.url()};
    settings.poll = std::chrono::milliseconds(300);
    std::atomic<int> heard{0};
    kiosk::ChangeListener listener(settings, nullptr, 0, [] { return std::int64_t{0}; }, [&] { ++heard; });
    auto t0 = steady::now();
    listener.start();
    REQUIRE(eventually([&] { return old_hub.changes_asked() >= 4; }, std::chrono::seconds(10)));
    auto took = std::chrono::duration<double, std::milli>(steady::now() - t0).count();
    // Four asks, three poll intervals apart at least: a spinning listener would take a few ms.
    CHECK(took >= 3 * 300 - 50);
    CHECK(heard == 0);
    CHECK(listener.heard_count() == 0);
    auto stopping = steady::now();
    listener.stop();
    CHECK(std::chrono::duration<double, std::milli>(steady::now() - stopping).count() < 2000);
}
