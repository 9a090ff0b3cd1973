// The sync client in process against a real muster-sync-server over HTTPS.
#include "device_config.hpp"
#include "sync_client.hpp"
#include "sync_world.hpp"

#include "muster/store/check_in_store.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace muster;
using namespace muster::test;
using muster::kiosk::SyncClient;

namespace {

void queue_scans(const std::string& db_path, const std::string& device, int n, TimeMs at, int first_seq = 1) {
    auto db = store::open_database(db_path);
    db::Transaction tx(*db);
    for (int i = 0; i < n; ++i) {
        auto c = make_check_in(device, first_seq + i, i % 200 + 1);
        c.device_ms = at + i;
        store::insert_check_in(*db, c, true);
    }
    tx.commit();
}

TimeMs five_minutes_fast() { return uk_time::now_ms() + 5 * 60'000; }

}  // namespace

TEST_CASE("Scans made while the server is down are all sent once it is back", "[sync][client]") {
    SyncWorld world;
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    queue_scans(config.database, "entrance-1", 40, uk_time::now_ms());
    SyncClient client(config.sync_settings());
    client.start();
    REQUIRE(eventually([&] { return !client.status().last_error.empty(); }, std::chrono::seconds(10)));
    auto offline = client.status();
    CHECK_FALSE(offline.online);
    CHECK(offline.queued == 40);
    CHECK(offline.next_retry_ms);
    CHECK_THAT(kiosk::describe(offline), Catch::Contains("offline") && Catch::Contains("40 queued"));

    auto server = world.start_server();
    // Backoff is at most a few seconds after a short outage.
    REQUIRE(eventually([&] { return client.status().queued == 0 && client.status().online; }, std::chrono::seconds(15)));
    CHECK(client.status().sent == 40);
    CHECK(world.stored_check_ins() == 40);
    CHECK_THAT(kiosk::describe(client.status()), Catch::Contains("online, 0 queued, last sync"));
}

TEST_CASE("A device clock five minutes fast still syncs, is shown to staff, and its records are flagged", "[sync][client]") {
    SyncWorld world;
    auto server = world.start_server();
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    queue_scans(config.database, "entrance-1", 3, five_minutes_fast());
    SyncClient client(config.sync_settings(), &five_minutes_fast);
    client.start();
    REQUIRE(client.flush(std::chrono::seconds(15)));
    auto st = client.status();
    CHECK(st.clock_flagged);
    CHECK(st.clock_offset_ms == Approx(-5 * 60'000).margin(3000));
    CHECK_THAT(kiosk::describe(st), Catch::Contains("DEVICE CLOCK 4 min fast") || Catch::Contains("DEVICE CLOCK 5 min fast"));
    CHECK(world.count("SELECT COUNT(*) FROM check_ins WHERE clock_skew_ms BETWEEN 290000 AND 310000") == 3);
    CHECK(world.count("SELECT COUNT(*) FROM check_ins WHERE device_ms > received_ms + 290000") == 3);  // both times kept
}

TEST_CASE("A record the hub refuses is kept and shown, the others go", "[sync][client]") {
    SyncWorld world;
    auto server = world.start_server();
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    queue_scans(config.database, "entrance-1", 5, uk_time::now_ms());
    queue_scans(config.database, "room-1", 1, uk_time::now_ms());  // not this device's record
    SyncClient client(config.sync_settings());
    client.start();
    REQUIRE(eventually([&] { return client.status().queued == 0; }, std::chrono::seconds(15)));
    CHECK(client.status().rejected == 1);
    CHECK(world.stored_check_ins() == 5);
    CHECK_THAT(kiosk::describe(client.status()), Catch::Contains("1 refused by the hub"));
    CHECK(world.device_count("entrance-1", "SELECT COUNT(*) FROM outbox WHERE rejected_reason LIKE "
                                           "'not_this_device: %another device%'") == 1);
}

TEST_CASE("A conflict stays in the outbox with its code, is shown, and is never sent again", "[sync][client]") {
    SyncWorld world;
    // The hub already holds a record under the uuid this device is about to send (another
    // device's): acking it would make the device drop a scan the hub does not have.
    auto taken = make_check_in("room-1", 1, 3);
    {
        auto hub_db = store::open_database(world.hub + "/hub.db");
        store::insert_check_in(*hub_db, taken, false);
    }
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    auto mine = make_check_in("entrance-1", 1, 4);
    mine.uuid = taken.uuid;
    {
        auto db = store::open_database(config.database);
        store::insert_check_in(*db, mine, true);
    }
    queue_scans(config.database, "entrance-1", 2, uk_time::now_ms(), 2);
    auto server = world.start_server();
    SyncClient client(config.sync_settings());
    client.start();
    REQUIRE(eventually([&] { return client.status().queued == 0; }, std::chrono::seconds(15)));
    CHECK(client.status().rejected == 1);
    CHECK(world.stored_check_ins() == 3);  // room-1's and the two others
    CHECK(world.count("SELECT COUNT(*) FROM check_ins WHERE uuid = '" + taken.uuid + "' AND device_id = 'room-1'") == 1);
    CHECK_THAT(kiosk::describe(client.status()), Catch::Contains("1 refused by the hub"));
    auto conflicts = "SELECT COUNT(*) FROM outbox WHERE uuid = '" + taken.uuid + "' AND rejected_reason LIKE 'conflict: %'";
    CHECK(world.device_count("entrance-1", conflicts) == 1);
    // A later pass sends nothing more and keeps it.
    queue_scans(config.database, "entrance-1", 1, uk_time::now_ms(), 4);
    REQUIRE(client.flush(std::chrono::seconds(15)));
    CHECK(world.stored_check_ins() == 4);
    CHECK(world.device_count("entrance-1", conflicts) == 1);
    CHECK(world.device_count("entrance-1", "SELECT attempts FROM outbox WHERE uuid = '" + taken.uuid + "'") == 1);
}

TEST_CASE("A revoked device stops syncing, keeps its records and says so", "[sync][client]") {
    SyncWorld world;
    auto server = world.start_server();
    std::ostringstream out, err;
    REQUIRE(admin::run_cli({"device", "revoke", "--hub", world.hub, "--id", "entrance-1"}, out, err) == 0);
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    queue_scans(config.database, "entrance-1", 2, uk_time::now_ms());
    SyncClient client(config.sync_settings());
    client.start();
    REQUIRE(eventually([&] { return client.status().revoked; }, std::chrono::seconds(10)));
    CHECK(client.status().queued == 2);
    CHECK_THAT(kiosk::describe(client.status()), Catch::Contains("REVOKED"));
    CHECK(world.stored_check_ins() == 0);
}

TEST_CASE("A bad secret file is refused at start with the field named", "[sync][client]") {
    SyncWorld world;
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    std::ofstream(config.server_secret) << "not-a-secret\n";
    CHECK_THROWS_WITH(SyncClient(config.sync_settings()), Catch::Contains("server.secret"));
    config.server_secret = world.hub + "/missing.secret";
    CHECK_THROWS_WITH(SyncClient(config.sync_settings()), Catch::Contains("server.secret"));
}

TEST_CASE("A server with another certificate is not trusted", "[sync][client]") {
    SyncWorld world;
    auto server = world.start_server();
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    // Another hub's certificate: the TLS handshake must fail, and nothing is sent.
    SyncWorld other;
    config.server_certificate = other.hub + "/tls/server-cert.pem";
    queue_scans(config.database, "entrance-1", 1, uk_time::now_ms());
    SyncClient client(config.sync_settings());
    client.start();
    REQUIRE(eventually([&] { return !client.status().last_error.empty(); }, std::chrono::seconds(10)));
    CHECK_THAT(client.status().last_error, Catch::Contains("TLS handshake"));
    CHECK(world.stored_check_ins() == 0);
}
