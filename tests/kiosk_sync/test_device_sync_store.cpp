// The device side of sync on a real device database made by `muster demo`.
#include "device_sync_store.hpp"
#include "muster/store/device_privacy.hpp"
#include "kiosk_station.hpp"
#include "sync_fixture.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/outbox_store.hpp"
#include "muster/store/participant_store.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using namespace muster::test;
using muster::kiosk::DeviceSyncStore;

namespace {

void queue_scans(const std::string& db_path, const std::string& device, int n, TimeMs first_ms) {
    auto db = store::open_database(db_path);
    db::Transaction tx(*db);
    for (int i = 1; i <= n; ++i) {
        auto c = make_check_in(device, i, i);
        c.device_ms = first_ms + i;
        store::insert_check_in(*db, c, true);
    }
    tx.commit();
}

}  // namespace

TEST_CASE("The outbox goes oldest first in limited batches and only acknowledged rows leave", "[sync][device_store]") {
    DemoHub hub;
    queue_scans(hub.device_db(), "entrance-1", 7, 1000);
    DeviceSyncStore store(hub.device_db());
    CHECK(store.pending() == 7);
    auto batch = store.next_batch(5, 42);
    REQUIRE(batch.check_ins.size() == 5);
    CHECK(batch.device_time_ms == 42);
    for (int i = 0; i < 5; ++i) CHECK(batch.check_ins[static_cast<std::size_t>(i)].device_seq == i + 1);
    store.acknowledge({batch.check_ins[0].uuid, batch.check_ins[1].uuid, batch.check_ins[2].uuid});
    CHECK(store.pending() == 4);
    auto next = store.next_batch(10, 43);
    REQUIRE(next.check_ins.size() == 4);
    CHECK(next.check_ins[0].device_seq == 4);  // the unacknowledged ones are sent again
}

TEST_CASE("A record the hub refuses stays on the device and is not sent again", "[sync][device_store]") {
    DemoHub hub;
    queue_scans(hub.device_db(), "entrance-1", 3, 1000);
    DeviceSyncStore store(hub.device_db());
    auto batch = store.next_batch(10, 0);
    store.note_failure(batch, "cannot connect");
    store.reject({{batch.check_ins[1].uuid, "device sequence 2 is already used", sync::RejectionCode::sequence_taken}});
    CHECK(store.pending() == 2);
    CHECK(store.rejected() == 1);
    auto again = store.next_batch(10, 0);
    REQUIRE(again.check_ins.size() == 2);
    CHECK(again.check_ins[0].uuid != batch.check_ins[1].uuid);
    CHECK(again.check_ins[1].uuid != batch.check_ins[1].uuid);
    auto db = store::open_database(hub.device_db());
    CHECK(store::find_check_in(*db, batch.check_ins[1].uuid));  // the record itself is kept
    auto s = db->prepare("SELECT attempts, last_error FROM outbox WHERE uuid = ?1");
    s.bind(1, batch.check_ins[0].uuid);
    REQUIRE(s.step());
    CHECK(s.int64(0) == 1);
    CHECK(s.text(1) == "cannot connect");
    // Staff see the hub's code before its reason, in the outbox list.
    bool listed = false;
    for (const auto& e : store::outbox_entries(*db, 10))
        if (e.uuid == batch.check_ins[1].uuid) listed = e.problem == "sequence_taken: device sequence 2 is already used";
    CHECK(listed);
}

TEST_CASE("Changes applied twice leave the same state, with the cursor stored", "[sync][device_store]") {
    DemoHub hub;
    DeviceSyncStore store(hub.device_db());
    auto start = store.cursor();
    CHECK(start > 0);  // provisioning set it
    sync::Changes c;
    c.cursor = start + 5;
    Participant p;
    p.id = 9999;
    p.first_name = "New";
    p.last_name = "Starter";
    p.trn = "7654321";
    c.participants.push_back(p);
    c.enrolments.push_back(Enrolment{1, 9999, std::nullopt});
    c.badges.push_back(sync::BadgeRow{9999, 1, 5, std::nullopt, std::nullopt, std::string(64, 'a')});
    c.check_ins.push_back(make_check_in("entrance-2", 1, 3));
    store.apply(c);
    store.apply(c);
    CHECK(store.cursor() == start + 5);
    auto db = store::open_database(hub.device_db());
    CHECK(store::find_participant(*db, 9999)->last_name == "Starter");
    CHECK_FALSE(store::find_participant(*db, 9999)->email);
    // The TRN arrives in clear over TLS and is stored only as its hash under the device's key.
    CHECK_FALSE(store::find_participant(*db, 9999)->trn);
    auto key = store::read_trn_key(hub.hub + "/devices/entrance-1/trn.key");
    REQUIRE(key);
    auto found = store::search_device_participants(*db, *key, "7654321");
    REQUIRE(found.size() == 1);
    CHECK(found[0].id == 9999);
    auto count = db->prepare("SELECT (SELECT COUNT(*) FROM check_ins), (SELECT COUNT(*) FROM outbox), "
                             "(SELECT COUNT(*) FROM enrolments WHERE participant_id = 9999)");
    count.step();
    CHECK(count.int64(0) == 1);
    CHECK(count.int64(1) == 0);  // another device's record is not ours to send
    CHECK(count.int64(2) == 1);
}

TEST_CASE("After another kiosk's scan arrives, this kiosk says already checked in", "[sync][device_store]") {
    DemoHub hub;
    auto config = kiosk::load_device_config(hub.entrance());
    kiosk::KioskStation station(config);
    // Who the demo expects at event 1's entrance.
    auto enrolled = store::enrolments(station.database(), 1);
    REQUIRE_FALSE(enrolled.empty());
    ParticipantId who = enrolled.front().participant_id;
    auto elsewhere = make_check_in("entrance-2", 1, who);
    elsewhere.session_id = station.session().id;
    elsewhere.device_ms = uk_time::now_ms() - 60'000;
    sync::Changes c;
    c.cursor = 100;
    c.check_ins.push_back(elsewhere);
    DeviceSyncStore(hub.device_db()).apply(c);
    auto result = station.handle(kiosk::RawScan{kiosk::InputKind::wedge, hub.token(who), "", std::chrono::steady_clock::now()});
    CHECK(result.decision.outcome == Outcome::already_checked_in);
}

TEST_CASE("Check-ins and corrections share one batch in queue order, at most 500", "[sync][device_store]") {
    DemoHub hub;
    queue_scans(hub.device_db(), "entrance-1", 600, 10'000);
    {
        auto db = store::open_database(hub.device_db());
        Correction v;
        v.uuid = new_uuid(5'000);
        v.kind = CorrectionKind::void_scan;
        v.participant_id = 1;
        v.event_id = 1;
        v.reason = "scanned by mistake";
        v.author = "staff";
        v.device_id = "entrance-1";
        v.created_ms = 5'000;  // queued before every scan
        store::insert_correction(*db, v, true);
    }
    DeviceSyncStore store(hub.device_db());
    auto batch = store.next_batch(sync::max_batch_records, 0);
    CHECK(batch.check_ins.size() + batch.corrections.size() == sync::max_batch_records);
    REQUIRE(batch.corrections.size() == 1);
    CHECK(batch.check_ins.front().device_seq == 1);
    CHECK(batch.check_ins.back().device_seq == 499);
}

TEST_CASE("Sync state and cursor survive reopening the database", "[sync][device_store]") {
    DemoHub hub;
    {
        DeviceSyncStore store(hub.device_db());
        store.save_sync_state({1'700'000'000'000, "cannot connect to hub:8443", -300'000});
        sync::Changes c;
        c.cursor = 4242;
        store.apply(c);
    }
    DeviceSyncStore again(hub.device_db());
    auto st = again.sync_state();
    CHECK(st.last_ok_ms == 1'700'000'000'000);
    CHECK(st.last_error == "cannot connect to hub:8443");
    CHECK(st.clock_offset_ms == -300'000);
    CHECK(again.cursor() == 4242);
    again.save_sync_state({std::nullopt, "", -300'000});  // no new success: the last one stays
    CHECK(again.sync_state().last_ok_ms == 1'700'000'000'000);
    CHECK(again.sync_state().last_error.empty());
}

TEST_CASE("A steady online kiosk does not write its sync state at every poll", "[sync][device_store]") {
    DemoHub hub;
    DeviceSyncStore store(hub.device_db());
    TimeMs t = 1'700'000'000'000;
    store.save_sync_state({t, "", 40});
    store.save_sync_state({t + 2'000, "", 43});  // 2 s later, the offset moved by network jitter
    CHECK(store.sync_state().last_ok_ms == t);
    CHECK(store.sync_state().clock_offset_ms == 40);
    store.save_sync_state({t + 30'000, "", 38});
    CHECK(store.sync_state().last_ok_ms == t + 30'000);
    CHECK(store.sync_state().clock_offset_ms == 38);  // written along with it
    store.save_sync_state({t + 31'000, "", 5'038});  // the clock was set: a second or more, written now
    CHECK(store.sync_state().clock_offset_ms == 5'038);
    CHECK(store.sync_state().last_ok_ms == t + 31'000);
    store.save_sync_state({std::nullopt, "cannot connect", 5'038});
    CHECK(store.sync_state().last_error == "cannot connect");
}

TEST_CASE("A badge with a malformed digest does not stop the download", "[sync][device_store]") {
    DemoHub hub;
    DeviceSyncStore store(hub.device_db());
    sync::Changes c;
    c.cursor = store.cursor() + 1;
    c.badges.push_back(sync::BadgeRow{1, 77, 5, std::nullopt, std::nullopt, std::string(64, 'z')});
    c.badges.push_back(sync::BadgeRow{1, 78, 5, std::nullopt, std::nullopt, std::string(64, 'B')});
    REQUIRE_NOTHROW(store.apply(c));
    CHECK(store.cursor() == c.cursor);
    auto db = store::open_database(hub.device_db());
    auto s = db->prepare("SELECT serial, token_digest IS NULL, length(token_digest) FROM badges WHERE participant_id = 1 "
                         "AND serial IN (77, 78) ORDER BY serial");
    REQUIRE(s.step());
    CHECK(s.int64(1) == 1);
    REQUIRE(s.step());
    CHECK(s.int64(2) == 32);
}

TEST_CASE("After the roster purge the hub's changes move the cursor and bring no one back", "[sync][device_store][privacy]") {
    DemoHub hub;
    {
        auto db = store::open_database(hub.device_db());
        store::purge_device_roster(*db, "entrance-1", uk_time::now_ms());
    }
    DeviceSyncStore store(hub.device_db());
    sync::Changes c;
    c.cursor = store.cursor() + 3;
    Participant p;
    p.id = 9999;
    p.first_name = "New";
    p.last_name = "Starter";
    p.trn = "7654321";
    c.participants.push_back(p);
    store.apply(c);
    CHECK(store.cursor() == c.cursor);
    auto db = store::open_database(hub.device_db());
    CHECK_FALSE(store::find_participant(*db, 9999));
    CHECK(store::count_participants(*db) == 0);
}
