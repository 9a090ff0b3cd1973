// The SQLite sync store on a real hub database: idempotent ingest, refusals, clock skew,
// and the changes a device downloads.
#include "sqlite_sync_store.hpp"
#include "sync_fixture.hpp"

#include "muster/store/badge_store.hpp"
#include "muster/store/participant_store.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using namespace muster::test;
using muster::server::DeviceRecord;
using muster::server::SqliteSyncStore;

namespace {

DeviceRecord device_of(SqliteSyncStore& store, const std::string& id) {
    auto d = store.find_device(id);
    REQUIRE(d);
    return *d;
}

}  // namespace

TEST_CASE("Devices are found with their secret and revocation", "[sync][store]") {
    SyncHub hub;
    SqliteSyncStore store(hub.hub + "/hub.db");
    auto d = device_of(store, "entrance-1");
    CHECK(d.event_id == 1);
    REQUIRE(d.secret);
    CHECK(*d.secret == hub.secret("entrance-1"));
    CHECK_FALSE(d.revoked);
    CHECK_FALSE(store.find_device("nobody"));
    CHECK(store.healthy());
}

TEST_CASE("The same upload twice stores each record once and acks both times", "[sync][store]") {
    SyncHub hub;
    SqliteSyncStore store(hub.hub + "/hub.db");
    auto device = device_of(store, "entrance-1");
    sync::UploadBatch batch;
    TimeMs now = uk_time::now_ms();
    batch.device_time_ms = now;
    for (int i = 1; i <= 20; ++i) batch.check_ins.push_back(make_check_in("entrance-1", i, i));
    auto first = store.ingest(device, batch, now);
    CHECK(first.acked.size() == 20);
    CHECK(first.rejected.empty());
    CHECK_FALSE(first.clock_flagged);
    auto again = store.ingest(device, batch, now + 1000);  // a retry after a lost reply
    CHECK(again.acked.size() == 20);
    CHECK(hub.stored_check_ins() == 20);
    CHECK(hub.count("SELECT COUNT(*) FROM check_ins WHERE received_ms = " + std::to_string(now)) == 20);
    CHECK(hub.count("SELECT COUNT(*) FROM check_ins WHERE clock_skew_ms IS NOT NULL") == 0);
}

TEST_CASE("Records that are not the device's own are rejected, the rest stored", "[sync][store]") {
    SyncHub hub;
    SqliteSyncStore store(hub.hub + "/hub.db");
    auto device = device_of(store, "entrance-1");
    TimeMs now = uk_time::now_ms();
    sync::UploadBatch batch;
    batch.device_time_ms = now;
    batch.check_ins.push_back(make_check_in("entrance-1", 1));
    batch.check_ins.push_back(make_check_in("room-1", 1));  // another device's name
    auto other_event = make_check_in("entrance-1", 2);
    other_event.event_id = 2;
    batch.check_ins.push_back(other_event);
    auto reused_seq = make_check_in("entrance-1", 1, 5);  // same sequence, different record
    batch.check_ins.push_back(reused_seq);
    auto reply = store.ingest(device, batch, now);
    CHECK(reply.acked == std::vector<std::string>{batch.check_ins[0].uuid});
    REQUIRE(reply.rejected.size() == 3);
    CHECK(reply.rejected[0].code == sync::RejectionCode::not_this_device);
    CHECK_THAT(reply.rejected[0].reason, Catch::Contains("another device than the one that sent it"));
    CHECK(reply.rejected[1].code == sync::RejectionCode::wrong_event);
    CHECK_THAT(reply.rejected[1].reason, Catch::Contains("not this device's event"));
    CHECK(reply.rejected[2].code == sync::RejectionCode::sequence_taken);
    CHECK_THAT(reply.rejected[2].reason, Catch::Contains("device sequence 1 is already used"));
    CHECK(hub.stored_check_ins() == 1);
}

TEST_CASE("A device clock more than two minutes off is flagged on its records, both times kept", "[sync][store]") {
    SyncHub hub;
    SqliteSyncStore store(hub.hub + "/hub.db");
    auto device = device_of(store, "entrance-1");
    TimeMs now = uk_time::now_ms();
    sync::UploadBatch batch;
    batch.device_time_ms = now + 5 * 60'000;  // five minutes fast
    auto c = make_check_in("entrance-1", 1);
    c.device_ms = now + 5 * 60'000 - 1000;
    batch.check_ins.push_back(c);
    auto reply = store.ingest(device, batch, now);
    CHECK(reply.clock_flagged);
    CHECK(reply.clock_skew_ms == 5 * 60'000);
    CHECK(hub.count("SELECT clock_skew_ms FROM check_ins") == 5 * 60'000);
    CHECK(hub.count("SELECT device_ms FROM check_ins") == c.device_ms);
    CHECK(hub.count("SELECT received_ms FROM check_ins") == now);

    batch.device_time_ms = now + 90'000;  // 90 s: within tolerance
    batch.check_ins = {make_check_in("entrance-1", 2)};
    CHECK_FALSE(store.ingest(device, batch, now).clock_flagged);
}

TEST_CASE("A device downloads other devices' records since its cursor, never its own", "[sync][store]") {
    SyncHub hub;
    SqliteSyncStore store(hub.hub + "/hub.db");
    auto entrance = device_of(store, "entrance-1");
    auto room = device_of(store, "room-1");
    TimeMs now = uk_time::now_ms();
    auto start = store.changes_since(room, 0, now).cursor;

    sync::UploadBatch batch;
    batch.device_time_ms = now;
    batch.check_ins = {make_check_in("entrance-1", 1, 3), make_check_in("entrance-1", 2, 4)};
    store.ingest(entrance, batch, now);

    auto for_room = store.changes_since(room, start, now);
    CHECK(for_room.check_ins.size() == 2);
    CHECK(for_room.cursor > start);
    CHECK_FALSE(for_room.more);
    CHECK(store.changes_since(entrance, start, now).check_ins.empty());
    auto nothing_new = store.changes_since(room, for_room.cursor, now);
    CHECK(nothing_new.check_ins.empty());
    CHECK(nothing_new.participants.empty());
    CHECK(nothing_new.cursor == for_room.cursor);
}

TEST_CASE("Roster and badge changes reach devices without emails", "[sync][store]") {
    SyncHub hub;
    SqliteSyncStore store(hub.hub + "/hub.db");
    auto room = device_of(store, "room-1");
    TimeMs now = uk_time::now_ms();
    auto cursor = store.changes_since(room, 0, now).cursor;
    {
        auto db = store::open_database(hub.hub + "/hub.db");
        db::Transaction tx(*db);
        auto change = store::next_change(*db);
        auto p = store::find_participant(*db, 3);
        REQUIRE(p);
        p->preferred_name = "Bex";
        REQUIRE(store::update_participant(*db, 3, *p, change));
        store::revoke_badge(*db, 4, 1, "lost", now, change);
        tx.commit();
    }
    auto changes = store.changes_since(room, cursor, now);
    REQUIRE(changes.participants.size() == 1);
    CHECK(changes.participants[0].preferred_name == std::string("Bex"));
    CHECK_FALSE(changes.participants[0].email);
    bool revoked = false;
    for (const auto& b : changes.badges) revoked = revoked || (b.participant_id == 4 && b.revoked_ms);
    CHECK(revoked);
    CHECK(sync::to_json(changes).find('@') == std::string::npos);
}

TEST_CASE("A long backlog of other devices' records comes in pages with no gaps", "[sync][store]") {
    SyncHub hub;
    SqliteSyncStore store(hub.hub + "/hub.db", 1000);
    auto entrance = device_of(store, "entrance-1");
    auto room = device_of(store, "room-1");
    TimeMs now = uk_time::now_ms();
    auto cursor = store.changes_since(room, 0, now).cursor;
    std::set<std::string> sent;
    for (int b = 0; b < 5; ++b) {  // 5 uploads of 500: 2,500 records
        sync::UploadBatch batch;
        batch.device_time_ms = now;
        for (int i = 0; i < 500; ++i) {
            batch.check_ins.push_back(make_check_in("entrance-1", b * 500 + i + 1, i % 200 + 1));
            sent.insert(batch.check_ins.back().uuid);
        }
        store.ingest(entrance, batch, now);
    }
    std::set<std::string> received;
    int pages = 0;
    for (;;) {
        auto page = store.changes_since(room, cursor, now);
        ++pages;
        for (const auto& c : page.check_ins) received.insert(c.uuid);
        REQUIRE(page.cursor >= cursor);
        cursor = page.cursor;
        if (!page.more) break;
        REQUIRE(pages < 20);
    }
    CHECK(pages >= 3);
    CHECK(received == sent);
}

TEST_CASE("A nonce is accepted once per device", "[sync][store]") {
    SyncHub hub;
    SqliteSyncStore store(hub.hub + "/hub.db");
    TimeMs now = uk_time::now_ms();
    CHECK(store.remember_nonce("entrance-1", "0123456789abcdef", now));
    CHECK_FALSE(store.remember_nonce("entrance-1", "0123456789abcdef", now + 1));
    CHECK(store.remember_nonce("room-1", "0123456789abcdef", now + 2));
}

TEST_CASE("An upload's nonce is remembered in its own transaction and a replay stores nothing", "[sync][store]") {
    SyncHub hub;
    SqliteSyncStore store(hub.hub + "/hub.db");
    auto device = device_of(store, "entrance-1");
    TimeMs now = uk_time::now_ms();
    sync::UploadBatch batch;
    batch.device_time_ms = now;
    batch.check_ins = {make_check_in("entrance-1", 1)};
    CHECK(store.ingest(device, batch, now, "nonce-0123456789abcdef").acked.size() == 1);
    batch.check_ins = {make_check_in("entrance-1", 2)};
    CHECK_THROWS_AS(store.ingest(device, batch, now, "nonce-0123456789abcdef"), muster::server::ReplayedRequest);
    CHECK(hub.stored_check_ins() == 1);
    CHECK_FALSE(store.remember_nonce("entrance-1", "nonce-0123456789abcdef", now));
}

TEST_CASE("A device whose cursor is ahead of a restored hub gets everything again", "[sync][store]") {
    SyncHub hub;
    SqliteSyncStore store(hub.hub + "/hub.db");
    auto room = device_of(store, "room-1");
    TimeMs now = uk_time::now_ms();
    auto current = store.changes_since(room, 0, now).cursor;
    auto ahead = store.changes_since(room, current + 1000, now);  // the hub went back in time
    CHECK(ahead.cursor == current);
    CHECK(ahead.participants.size() == 225);
    CHECK_FALSE(ahead.sessions.empty());
}
