// A kiosk moved to the next event with `muster device move`: its report of an empty outbox
// lets the move go ahead, the new folder's first scan syncs through the real server without
// sequence_taken, and the old folder can no longer sync.
#include "device_config.hpp"
#include "sync_client.hpp"
#include "sync_world.hpp"

#include "muster/checkin/check_in_desk.hpp"
#include "muster/store/event_store.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using namespace muster::test;
using muster::kiosk::SyncClient;

namespace {

void scan(const SyncWorld& world, const kiosk::DeviceConfig& config, EventId event, SessionId session,
          std::vector<ParticipantId> who) {
    auto db = store::open_database(config.database.string());
    checkin::CheckInDesk desk(*db, world.key->public_key(),
                              {config.device_id, DeviceMode::entrance, event, session, std::nullopt, Direction::entry});
    for (auto p : who) desk.scan({Method::qr, world.token(p), ""}, uk_time::now_ms());
}

}  // namespace

TEST_CASE("A device moved to a second event syncs its first scan without sequence_taken", "[sync][devices]") {
    SyncWorld world;
    auto server = world.start_server();
    auto first = kiosk::load_device_config(world.device_toml("entrance-1"));
    scan(world, first, 1, 1, {1, 2, 3});
    {
        SyncClient client(first.sync_settings());
        client.start();
        REQUIRE(client.flush(std::chrono::seconds(15)));
        REQUIRE(client.status().queued == 0);
    }
    // The kiosk's polls told the hub its outbox is empty and its version.
    REQUIRE(eventually([&] { return world.count("SELECT count(*) FROM devices WHERE id = 'entrance-1' AND last_queued = 0 "
                                                "AND last_version IS NOT NULL") == 1; },
                       std::chrono::seconds(10)));

    std::ostringstream out, err;
    REQUIRE(admin::run_cli({"device", "move", "--hub", world.hub, "--id", "entrance-1", "--event", "2", "--pin", "2468"}, out,
                           err) == 0);  // no --force: the report says nothing would be lost
    world.point_at_server("entrance-1", 300);
    auto moved = kiosk::load_device_config(world.device_toml("entrance-1"));
    SessionId session = world.count("SELECT min(id) FROM sessions WHERE event_id = 2");
    scan(world, moved, 2, session, {1});
    SyncClient client(moved.sync_settings());
    client.start();
    REQUIRE(client.flush(std::chrono::seconds(15)));
    CHECK(client.status().queued == 0);
    CHECK(client.status().rejected == 0);
    CHECK(world.count("SELECT count(*) FROM check_ins WHERE device_id = 'entrance-1' AND event_id = 2 AND device_seq = 4") == 1);

    // The old folder's secret no longer signs: a forgotten old kiosk cannot sync into the new event.
    auto old = kiosk::load_device_config(world.hub + "/devices/entrance-1.before-1/device.toml");
    scan(world, old, 1, 1, {4});
    SyncClient stale(old.sync_settings());
    stale.start();
    REQUIRE(eventually([&] { return !stale.status().last_error.empty(); }, std::chrono::seconds(10)));
    CHECK_FALSE(stale.status().online);
    CHECK(world.count("SELECT count(*) FROM check_ins WHERE device_id = 'entrance-1'") == 4);
}
