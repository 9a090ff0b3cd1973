// Store functions that the kiosk, server and admin call and whose every branch their
// callers' tests do not reach: who is present, the outbox as staff see it, the hub's
// devices, the hub row, settings, and a session moved in time.
#include "test_hub.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/device_store.hpp"
#include "muster/store/hub_store.hpp"
#include "muster/store/outbox_store.hpp"
#include "muster/store/settings_store.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace muster;

namespace {

CheckIn scan(const test::TestHub& hub, std::string uuid, std::int64_t seq, ParticipantId who, Outcome outcome,
             TimeMs at, Direction direction = Direction::entry, std::optional<RoomId> room = std::nullopt) {
    CheckIn c;
    c.uuid = std::move(uuid);
    c.device_id = "kiosk-a";
    c.device_seq = seq;
    c.participant_id = who;
    c.event_id = hub.event;
    c.session_id = hub.loaded.sessions.at(0).id;
    c.room_id = room;
    c.direction = direction;
    c.outcome = outcome;
    c.device_ms = at;
    return c;
}

Correction void_of(const test::TestHub& hub, std::string uuid, const std::string& target, TimeMs at) {
    Correction v;
    v.uuid = std::move(uuid);
    v.kind = CorrectionKind::void_scan;
    v.target_uuid = target;
    v.event_id = hub.event;
    v.reason = "wrong person";
    v.author = "staff";
    v.created_ms = at;
    return v;
}

}  // namespace

TEST_CASE("present means a counted, not voided entry scan in this session at this place", "[store][engines]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    auto sian = hub.id_of_trn("1234567"), zoe = hub.id_of_trn("2345678"), rhys = hub.id_of_trn("3456789");
    auto aisha = hub.id_of_trn("4567890"), kwame = hub.id_of_trn("5678901");
    auto session = hub.loaded.sessions.at(0).id;
    auto room = hub.loaded.rooms.at(0).id;
    auto& db = *hub.db;
    store::insert_check_in(db, scan(hub, "u1", 1, sian, Outcome::checked_in, now), true);
    store::insert_check_in(db, scan(hub, "u2", 2, sian, Outcome::already_checked_in, now + 5), true);  // counts nothing new
    store::insert_check_in(db, scan(hub, "u3", 3, zoe, Outcome::not_expected, now + 10), true);
    store::insert_check_in(db, scan(hub, "u4", 4, rhys, Outcome::checked_in, now + 20), true);
    store::insert_check_in(db, scan(hub, "u5", 5, aisha, Outcome::outside_window, now + 30), true);
    store::insert_check_in(db, scan(hub, "u6", 6, kwame, Outcome::checked_in, now + 40, Direction::entry, room), true);
    store::insert_check_in(db, scan(hub, "u7", 7, zoe, Outcome::checked_out, now + 50, Direction::exit), true);
    store::insert_correction(db, void_of(hub, "v1", "u4", now + 60), true);  // Rhys's scan was someone else

    CHECK(store::count_present(db, hub.event, session, std::nullopt) == 2);  // Siân, Zoë
    CHECK(store::count_present(db, hub.event, session, room) == 1);          // Kwame, in the room
    CHECK(store::count_present(db, hub.event, hub.loaded.sessions.at(1).id, std::nullopt) == 0);

    auto entries = store::first_entries(db, hub.event, session, std::nullopt);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first_ms < b.first_ms; });
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].participant_id == sian);
    CHECK(entries[0].first_ms == now);
    CHECK(entries[1].participant_id == zoe);
    CHECK(entries[1].first_ms == now + 10);

    // The same rule decides a person's earlier scans and the desk's "void last scan".
    auto prior = store::prior_scans(db, zoe, hub.event, session, std::nullopt);
    CHECK(prior.first_entry_ms == now + 10);
    CHECK(prior.last_direction == Direction::exit);
    CHECK_FALSE(store::prior_scans(db, rhys, hub.event, session, std::nullopt).first_entry_ms);
    CHECK(store::last_counted_scan(db, "kiosk-a")->uuid == "u7");
}

TEST_CASE("the outbox: next to send, refused, failed, removed, and listed for staff", "[store]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    auto& db = *hub.db;
    auto sian = hub.id_of_trn("1234567");
    store::insert_check_in(db, scan(hub, "a", 1, sian, Outcome::checked_in, now), true);
    store::insert_check_in(db, scan(hub, "b", 2, sian, Outcome::already_checked_in, now + 1), true);
    store::insert_correction(db, void_of(hub, "c", "a", now + 2), true);

    auto next = store::outbox_next(db, 10);
    REQUIRE(next.size() == 3);
    CHECK(next[0].uuid == "a");
    CHECK(next[0].kind == store::OutboxKind::check_in);
    CHECK(next[2].kind == store::OutboxKind::correction);
    CHECK(store::outbox_next(db, 2).size() == 2);

    store::outbox_refuse(db, "b", "device sequence 2 is already used");
    store::outbox_note_failure(db, "a", "cannot connect");
    store::outbox_note_failure(db, "a", "timed out");
    CHECK(store::outbox_counts(db).pending == 2);
    CHECK(store::outbox_counts(db).rejected == 1);
    next = store::outbox_next(db, 10);
    REQUIRE(next.size() == 2);  // a refused record is never sent again
    CHECK(next[0].uuid == "a");

    auto listed = store::outbox_entries(db, 10);  // newest first
    REQUIRE(listed.size() == 3);
    CHECK(listed[0].uuid == "c");
    CHECK(listed[0].kind == store::OutboxKind::correction);
    CHECK(listed[0].correction_kind == "void");
    CHECK_FALSE(listed[0].outcome);
    CHECK(listed[1].uuid == "b");
    CHECK(listed[1].outcome == Outcome::already_checked_in);
    CHECK(listed[1].problem == "device sequence 2 is already used");
    CHECK(listed[1].attempts == 1);
    CHECK(listed[1].participant_id == sian);
    CHECK(listed[2].problem == "timed out");
    CHECK(listed[2].attempts == 2);
    CHECK(store::outbox_entries(db, 1).size() == 1);

    store::outbox_remove(db, "a");
    store::outbox_remove(db, "c");
    CHECK(store::outbox_counts(db).pending == 0);
    CHECK(store::outbox_counts(db).rejected == 1);
}

TEST_CASE("the hub's devices: added once, found with their secret, revoked once, listed", "[store][engines]") {
    test::TestHub hub;
    auto& db = *hub.db;
    store::NewDevice door{"door-1", "Front door", DeviceMode::entrance, hub.event, std::nullopt, 1000, {}};
    door.secret_box = std::string(61, '\x01');  // stored as given: sealing is sync/device_secret_box
    CHECK(store::insert_device(db, door));
    CHECK_FALSE(store::insert_device(db, door));  // the id is taken
    store::NewDevice room{"room-1", "Room 1", DeviceMode::room, hub.event, hub.loaded.rooms.at(0).id, 1000, {}};
    CHECK(store::insert_device(db, room));

    auto found = store::find_device(db, "door-1");
    REQUIRE(found);
    CHECK(found->name == "Front door");
    CHECK(found->mode == DeviceMode::entrance);
    CHECK(found->event_id == hub.event);
    CHECK(found->secret_box == door.secret_box);
    CHECK(store::find_device(db, "room-1")->secret_box.empty());
    CHECK_FALSE(found->revoked_ms);
    CHECK_FALSE(store::find_device(db, "nobody"));

    CHECK(store::revoke_device(db, "door-1", 2000) == store::Revocation::revoked);
    CHECK(store::revoke_device(db, "door-1", 3000) == store::Revocation::already_revoked);
    CHECK(store::revoke_device(db, "nobody", 3000) == store::Revocation::no_such_device);
    CHECK(store::find_device(db, "door-1")->revoked_ms == 2000);  // the first revocation stands

    auto sian = hub.id_of_trn("1234567");
    auto c = scan(hub, "x", 1, sian, Outcome::checked_in, 5000);
    c.device_id = "room-1";
    store::insert_check_in(db, c, false);
    auto listed = store::list_devices(db);
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].device.id == "door-1");
    CHECK(listed[0].records_on_hub == 0);
    CHECK(listed[1].device.mode == DeviceMode::room);
    CHECK(listed[1].device.room_id == hub.loaded.rooms.at(0).id);
    CHECK(listed[1].records_on_hub == 1);
}

TEST_CASE("the hub row, settings, and a session moved in time", "[store][engines]") {
    test::TempDir dir;
    test::TestDatabase database(dir);
    auto db = store::open_database(database.location());
    CHECK_FALSE(store::read_hub(*db));  // a device database before provisioning, say
    auto keys = badge::HubKeyPair::generate();
    store::insert_hub(*db, "North hub", keys.public_key(), 1234);
    auto hub = store::read_hub(*db);
    REQUIRE(hub);
    CHECK(hub->name == "North hub");
    CHECK(hub->public_key == std::string(keys.public_key().begin(), keys.public_key().end()));
    CHECK(hub->key_id == badge::key_id(keys.public_key()));

    CHECK_FALSE(store::setting(*db, "sync.cursor"));
    store::set_setting(*db, "sync.cursor", "12");
    store::set_setting(*db, "sync.cursor", "13");
    CHECK(store::setting(*db, "sync.cursor") == "13");

    test::TestHub with_event;
    auto& h = *with_event.db;
    auto session = with_event.loaded.sessions.at(0);
    auto change = store::next_change(h);
    store::reschedule_session(h, session.id, 10'000, 20'000, change);
    auto moved = store::load_session(h, session.id);
    REQUIRE(moved);
    CHECK(moved->starts_ms == 10'000);
    CHECK(moved->ends_ms == 20'000);
    CHECK(moved->name == session.name);
    CHECK(store::current_change(h) == change);
}

TEST_CASE("an enrolment taken away is remembered for devices until the person is enrolled again", "[store][engines]") {
    test::TestHub hub;
    auto& db = *hub.db;
    auto rhys = hub.id_of_trn("3456789");
    REQUIRE(store::find_enrolment(db, hub.event, rhys));
    auto removal_change = [&]() {
        auto s = db.prepare("SELECT changed_at FROM enrolment_removals WHERE event_id = ?1 AND participant_id = ?2");
        s.bind(1, hub.event).bind(2, rhys);
        return s.query_one([](const db::Statement& r) { return r.int64(0); });
    };

    auto change = store::next_change(db);
    CHECK(store::unenrol(db, hub.event, rhys, change));
    CHECK_FALSE(store::find_enrolment(db, hub.event, rhys));
    CHECK(removal_change() == change);
    CHECK_FALSE(store::unenrol(db, hub.event, rhys, store::next_change(db)));  // nothing to take away
    CHECK(removal_change() == change);

    store::enrol(db, hub.event, rhys, std::nullopt, store::next_change(db));
    CHECK(store::find_enrolment(db, hub.event, rhys));
    CHECK_FALSE(removal_change());
}

TEST_CASE("a room's facilitators are replaced as a whole list and the room is sent again", "[store][engines]") {
    test::TestHub hub;
    auto& db = *hub.db;
    auto kwame = hub.id_of_trn("5678901");
    auto grace = hub.id_of_trn("6789012");
    RoomId room2 = hub.loaded.rooms.at(1).id;
    auto change = store::next_change(db);
    store::set_room_facilitators(db, room2, {{grace, true}, {kwame, false}}, change);
    auto list = store::room_facilitator_list(db, room2);
    REQUIRE(list.size() == 2);
    CHECK(list[0].participant_id == grace);
    CHECK(list[0].lead);
    CHECK_FALSE(list[1].lead);
    CHECK(store::room_facilitators(db, room2) == std::vector<ParticipantId>{grace, kwame});
    auto s = db.prepare("SELECT changed_at FROM rooms WHERE id = ?1");
    s.bind(1, room2);
    CHECK(s.query_one([](const db::Statement& r) { return r.int64(0); }) == change);

    store::set_room_facilitators(db, room2, {}, store::next_change(db));
    CHECK(store::room_facilitator_list(db, room2).empty());
}
