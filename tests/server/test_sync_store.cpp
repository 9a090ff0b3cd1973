// The SQLite sync store on a real hub database: idempotent ingest, refusals, clock skew,
// and the changes a device downloads.
#include "database_sync_store.hpp"
#include "sync_fixture.hpp"

#include "muster/store/badge_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace muster;
using namespace muster::test;
using muster::server::DeviceRecord;
using muster::server::DatabaseSyncStore;

namespace {

DeviceRecord device_of(DatabaseSyncStore& store, const std::string& id) {
    auto d = store.find_device(id);
    REQUIRE(d);
    return *d;
}

}  // namespace

TEST_CASE("Devices are found with their secret and revocation", "[sync][store]") {
    SyncHub hub;
    DatabaseSyncStore store(hub.hub + "/hub.db", hub.secrets_key());
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
    DatabaseSyncStore store(hub.hub + "/hub.db", hub.secrets_key());
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
    DatabaseSyncStore store(hub.hub + "/hub.db", hub.secrets_key());
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
    DatabaseSyncStore store(hub.hub + "/hub.db", hub.secrets_key());
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
    DatabaseSyncStore store(hub.hub + "/hub.db", hub.secrets_key());
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
    DatabaseSyncStore store(hub.hub + "/hub.db", hub.secrets_key());
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
    DatabaseSyncStore store(hub.hub + "/hub.db", hub.secrets_key(), 1000);
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
    DatabaseSyncStore store(hub.hub + "/hub.db", hub.secrets_key());
    TimeMs now = uk_time::now_ms();
    CHECK(store.remember_nonce("entrance-1", "0123456789abcdef", now));
    CHECK_FALSE(store.remember_nonce("entrance-1", "0123456789abcdef", now + 1));
    CHECK(store.remember_nonce("room-1", "0123456789abcdef", now + 2));
}

TEST_CASE("An upload's nonce is remembered in its own transaction and a replay stores nothing", "[sync][store]") {
    SyncHub hub;
    DatabaseSyncStore store(hub.hub + "/hub.db", hub.secrets_key());
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
    DatabaseSyncStore store(hub.hub + "/hub.db", hub.secrets_key());
    auto room = device_of(store, "room-1");
    TimeMs now = uk_time::now_ms();
    auto current = store.changes_since(room, 0, now).cursor;
    auto ahead = store.changes_since(room, current + 1000, now);  // the hub went back in time
    CHECK(ahead.cursor == current);
    CHECK(ahead.participants.size() == 80);  // event 1's, not the hub's 225
    CHECK_FALSE(ahead.sessions.empty());
}

namespace {

std::set<ParticipantId> ids_of(const sync::Changes& c) {
    std::set<ParticipantId> out;
    for (const auto& p : c.participants) out.insert(p.id);
    return out;
}
bool has_badge(const sync::Changes& c, ParticipantId who) {
    for (const auto& b : c.badges)
        if (b.participant_id == who) return true;
    return false;
}
bool has_card(const sync::Changes& c, ParticipantId who) {
    for (const auto& n : c.nfc_cards)
        if (n.participant_id == who) return true;
    return false;
}

}  // namespace

TEST_CASE("A device gets the people its event needs, and someone enrolled after its cursor with their badge", "[sync][store]") {
    SyncHub hub;
    DatabaseSyncStore store(hub.hub + "/hub.db", hub.secrets_key());
    auto room = device_of(store, "room-1");  // event 1
    TimeMs now = uk_time::now_ms();
    auto first = store.changes_since(room, 0, now);
    // Exactly event 1's enrolled people and its rooms' facilitators, with only their badges.
    std::set<ParticipantId> needed;
    {
        db::Database d(hub.hub + "/hub.db", db::OpenMode::read_only);
        auto s = d.prepare("SELECT participant_id FROM enrolments WHERE event_id = 1 UNION SELECT f.participant_id "
                           "FROM room_facilitators f JOIN rooms r ON r.id = f.room_id WHERE r.event_id = 1");
        s.for_each_row([&](const db::Statement& r) { needed.insert(r.int64(0)); });
    }
    REQUIRE(needed.size() == 80);
    CHECK(ids_of(first) == needed);
    for (const auto& b : first.badges) CHECK(needed.count(b.participant_id) == 1);
    // 121 is enrolled at event 2 only; 181 is enrolled nowhere and has a badge.
    REQUIRE(hub.count("SELECT COUNT(*) FROM enrolments WHERE participant_id = 121 AND event_id = 1") == 0);
    REQUIRE(hub.count("SELECT COUNT(*) FROM enrolments WHERE participant_id = 181") == 0);
    REQUIRE(hub.count("SELECT COUNT(*) FROM badges WHERE participant_id = 181") == 1);
    CHECK(ids_of(first).count(121) == 0);
    CHECK_FALSE(has_badge(first, 121));
    {
        auto db = store::open_database(hub.hub + "/hub.db");
        db::Transaction tx(*db);
        auto change = store::next_change(*db);
        store::attach_card(*db, "04A1B2C3D4E5F6", 181, now, change);  // before the enrolment, for event 1 nobody's
        store::attach_card(*db, "04A1B2C3D4E5F7", 121, now, change);
        tx.commit();
    }
    auto before_enrolment = store.changes_since(room, first.cursor, now);
    CHECK(before_enrolment.participants.empty());
    CHECK(before_enrolment.nfc_cards.empty());
    {
        auto db = store::open_database(hub.hub + "/hub.db");
        db::Transaction tx(*db);
        auto change = store::next_change(*db);
        store::enrol(*db, 1, 181, std::nullopt, change);  // their rows are older than the cursor
        store::enrol(*db, 2, 181, std::nullopt, change);
        store::update_participant(*db, 121, *store::find_participant(*db, 121), change);  // a change at event 2 only
        tx.commit();
    }
    auto second = store.changes_since(room, before_enrolment.cursor, now);
    CHECK(ids_of(second) == std::set<ParticipantId>{181});
    CHECK(has_badge(second, 181));
    CHECK(has_card(second, 181));
    CHECK(second.enrolments.size() == 1);
    CHECK_FALSE(has_badge(second, 121));
    CHECK_FALSE(has_card(second, 121));
    // The device of event 2 gets 121's change and card, never event 1's people.
    auto other = store.changes_since(DeviceRecord{"event-2-kiosk", 2, std::nullopt, std::nullopt, false}, 0, now);
    CHECK(ids_of(other).count(121) == 1);
    CHECK(has_card(other, 121));
    for (auto id : ids_of(other))
        CHECK(hub.count("SELECT COUNT(*) FROM enrolments WHERE event_id = 2 AND participant_id = " + std::to_string(id)) +
                  hub.count("SELECT COUNT(*) FROM room_facilitators f JOIN rooms r ON r.id = f.room_id WHERE r.event_id = 2 "
                            "AND f.participant_id = " + std::to_string(id)) >= 1);
}

TEST_CASE("Records over the byte budget come over several pages, none lost and none twice", "[sync][store]") {
    SyncHub hub;
    TimeMs now = uk_time::now_ms();
    std::vector<std::string> sent;
    std::int64_t start = 0;
    {
        DatabaseSyncStore writer(hub.hub + "/hub.db", hub.secrets_key());
        auto entrance = device_of(writer, "entrance-1");
        start = writer.changes_since(device_of(writer, "room-1"), 0, now).cursor;
        for (int u = 0; u < 10; ++u) {  // 10 uploads of 40 scans and 10 voids, each ~45 KB
            sync::UploadBatch batch;
            batch.device_time_ms = now;
            for (int i = 0; i < 40; ++i) {
                auto c = make_check_in("entrance-1", u * 40 + i + 1, i + 1);
                c.reason = std::string(400, 'r');
                batch.check_ins.push_back(c);
                sent.push_back(c.uuid);
            }
            for (int i = 0; i < 10; ++i) {
                Correction v;
                v.uuid = new_uuid(now);
                v.kind = CorrectionKind::void_scan;
                const auto& target = batch.check_ins[static_cast<std::size_t>(i)];
                v.target_uuid = target.uuid;  // a void names what it cancels, as the kiosk's does
                v.participant_id = target.participant_id;
                v.session_id = target.session_id;
                v.event_id = 1;
                v.reason = std::string(400, 'v');
                v.author = "staff";
                v.created_ms = now;
                batch.corrections.push_back(v);
                sent.push_back(v.uuid);
            }
            REQUIRE(writer.ingest(entrance, batch, now).acked.size() == 50);
        }
    }
    const std::set<std::string> expected(sent.begin(), sent.end());
    // All pages for room-1 from `start`: every uuid received, and how many pages it took.
    auto download = [&](std::size_t budget, std::size_t& pages, std::size_t& largest) {
        DatabaseSyncStore store(hub.hub + "/hub.db", hub.secrets_key(), 5000, budget);
        auto room = device_of(store, "room-1");
        std::vector<std::string> received;
        auto cursor = start;
        pages = largest = 0;
        for (;;) {
            auto page = store.changes_since(room, cursor, now);
            ++pages;
            largest = std::max(largest, sync::to_json(page).size());
            for (const auto& c : page.check_ins) received.push_back(c.uuid);
            for (const auto& c : page.corrections) received.push_back(c.uuid);
            REQUIRE(page.cursor > cursor);  // always forward
            cursor = page.cursor;
            if (!page.more) break;
            REQUIRE(pages < 50);
        }
        return received;
    };
    std::size_t pages = 0, largest = 0;
    auto received = download(100'000, pages, largest);  // about two uploads a page
    CHECK(received.size() == sent.size());  // none twice
    CHECK(std::set<std::string>(received.begin(), received.end()) == expected);  // none lost
    CHECK(pages >= 4);
    CHECK(largest < 100'000 + 60'000);  // the budget plus at most one upload (and the roster)
    // A budget smaller than one upload still moves on: one whole upload a page.
    received = download(1, pages, largest);
    CHECK(pages == 10);
    CHECK(std::set<std::string>(received.begin(), received.end()) == expected);
    CHECK(received.size() == sent.size());
    // Without a byte budget worth the name it is one page.
    received = download(64 << 20, pages, largest);
    CHECK(pages == 1);
    CHECK(received.size() == sent.size());
}
