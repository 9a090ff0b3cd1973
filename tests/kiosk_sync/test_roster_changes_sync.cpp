// Enrolment removals and whole facilitator lists travelling from the hub to a device
// (docs/api.md, "Changes"): first store to store on the demo hub's real databases, then
// through the real server to a syncing kiosk's model.
#include "device_sync_store.hpp"
#include "kiosk_model.hpp"
#include "sync_world.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/hub_sync_store.hpp"
#include "muster/store/participant_store.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace muster;
using namespace muster::test;

namespace {

constexpr RoomId room_1 = 1;          // the demo's room-1 device stands in Room 1 of event 1
constexpr ParticipantId outsider = 201;  // a facilitator with a badge, at no demo event

// Runs `change` in one hub transaction at a new point of the change clock.
template <class F>
void at_hub(const std::string& hub_db, F&& change) {
    auto db = store::open_database(hub_db);
    db::Transaction tx(*db);
    change(*db, store::next_change(*db));
    tx.commit();
}

// One download, as the device's sync pass makes it: read at the hub, applied with its cursor.
sync::Changes sync_once(const SyncHub& hub, kiosk::DeviceSyncStore& device, const std::string& device_id) {
    auto db = store::open_database(hub.hub + "/hub.db");
    auto changes = store::read_changes(*db, device_id, 1, device.cursor(), 5000);
    device.apply(changes);
    return changes;
}

std::int64_t count(const std::string& db_path, const std::string& sql) {
    db::Database d(db_path, db::OpenMode::read_only);
    auto s = d.prepare(sql);
    s.step();
    return s.int64(0);
}

std::vector<store::RoomFacilitator> facilitators_on(const std::string& db_path, RoomId room) {
    auto db = store::open_database(db_path);
    return store::room_facilitator_list(*db, room);
}

bool sent(const std::vector<Participant>& people, ParticipantId who) {
    return std::any_of(people.begin(), people.end(), [&](const Participant& p) { return p.id == who; });
}

}  // namespace

TEST_CASE("An unenrolled person leaves the device unless a record there names them", "[sync][roster]") {
    SyncHub hub;
    const std::string device_db = hub.device_db("room-1");
    auto room_people = [&] {
        auto db = store::open_database(hub.hub + "/hub.db");
        std::vector<ParticipantId> out;
        for (const auto& e : store::enrolments(*db, 1))
            if (e.room_id == room_1 && e.participant_id < 193) out.push_back(e.participant_id);  // the demo's facilitators are 193 on
        return out;
    }();
    REQUIRE(room_people.size() >= 2);
    const ParticipantId gone = room_people[0], seen = room_people[1];
    // `seen` was scanned by another kiosk, and the record reached this device.
    {
        auto db = store::open_database(device_db);
        db::Transaction tx(*db);
        store::insert_check_in(*db, make_check_in("entrance-1", 900001, seen), false);
        tx.commit();
    }
    const std::string who_gone = std::to_string(gone), who_seen = std::to_string(seen);
    REQUIRE(count(device_db, "SELECT COUNT(*) FROM badges WHERE participant_id = " + who_gone) == 1);

    kiosk::DeviceSyncStore device(device_db);
    at_hub(hub.hub + "/hub.db", [&](db::Database& db, std::int64_t change) {
        REQUIRE(store::unenrol(db, 1, gone, change));
        REQUIRE(store::unenrol(db, 1, seen, change));
    });
    auto changes = sync_once(hub, device, "room-1");
    REQUIRE(changes.enrolment_removals.size() == 2);
    CHECK(changes.rooms.empty());
    CHECK(changes.room_facilitators.empty());  // no room changed: no list sent

    CHECK(count(device_db, "SELECT COUNT(*) FROM enrolments WHERE participant_id IN (" + who_gone + ", " + who_seen + ")") == 0);
    // Nobody the event no longer needs stays on the device...
    CHECK(count(device_db, "SELECT COUNT(*) FROM participants WHERE id = " + who_gone) == 0);
    CHECK(count(device_db, "SELECT COUNT(*) FROM badges WHERE participant_id = " + who_gone) == 0);
    // ...but a name a record on it needs stays, without the badges.
    CHECK(count(device_db, "SELECT COUNT(*) FROM participants WHERE id = " + who_seen) == 1);
    CHECK(count(device_db, "SELECT COUNT(*) FROM badges WHERE participant_id = " + who_seen) == 0);
    CHECK(count(device_db, "SELECT COUNT(*) FROM check_ins WHERE participant_id = " + who_seen) == 1);
    // Everyone else of the event is still there.
    CHECK(count(device_db, "SELECT COUNT(*) FROM participants") ==
          count(hub.hub + "/hub.db", "SELECT COUNT(*) FROM (SELECT participant_id FROM enrolments WHERE event_id = 1 UNION "
                                     "SELECT f.participant_id FROM room_facilitators f JOIN rooms r ON r.id = f.room_id "
                                     "WHERE r.event_id = 1)") + 1);

    // Someone no longer at the event is no longer sent, however they change at the hub.
    at_hub(hub.hub + "/hub.db", [&](db::Database& db, std::int64_t change) {
        auto p = *store::find_participant(db, gone);
        p.preferred_name = "Renamed";
        REQUIRE(store::update_participant(db, gone, p, change));
    });
    auto after = sync_once(hub, device, "room-1");
    CHECK_FALSE(sent(after.participants, gone));
    CHECK(count(device_db, "SELECT COUNT(*) FROM participants WHERE id = " + who_gone) == 0);

    // Enrolled again: sent whole (their older badge too), and back on the device.
    at_hub(hub.hub + "/hub.db", [&](db::Database& db, std::int64_t change) { store::enrol(db, 1, gone, room_1, change); });
    auto back = sync_once(hub, device, "room-1");
    CHECK(sent(back.participants, gone));
    CHECK(back.enrolment_removals.empty());
    CHECK(count(device_db, "SELECT COUNT(*) FROM participants WHERE id = " + who_gone) == 1);
    CHECK(count(device_db, "SELECT COUNT(*) FROM badges WHERE participant_id = " + who_gone) == 1);
    CHECK(count(device_db, "SELECT COUNT(*) FROM enrolments WHERE room_id = 1 AND participant_id = " + who_gone) == 1);
}

TEST_CASE("A room's whole facilitator list reaches the device, a new facilitator with their badge", "[sync][roster]") {
    SyncHub hub;
    const std::string device_db = hub.device_db("room-1");
    auto before = facilitators_on(device_db, room_1);
    REQUIRE(before.size() == 2);
    const ParticipantId lead = before[0].participant_id, co = before[1].participant_id;
    REQUIRE(count(hub.hub + "/hub.db", "SELECT COUNT(*) FROM enrolments WHERE participant_id = 201") == 0);
    REQUIRE(count(device_db, "SELECT COUNT(*) FROM participants WHERE id = 201") == 0);

    kiosk::DeviceSyncStore device(device_db);
    // The co-facilitator is replaced by someone at no event: not enrolled, only facilitating.
    at_hub(hub.hub + "/hub.db", [&](db::Database& db, std::int64_t change) {
        store::set_room_facilitators(db, room_1, {{lead, true}, {outsider, false}}, change);
    });
    auto changes = sync_once(hub, device, "room-1");
    REQUIRE(changes.rooms.size() == 1);
    REQUIRE(changes.room_facilitators.size() == 1);
    CHECK(changes.room_facilitators[0].room_id == room_1);
    REQUIRE(changes.room_facilitators[0].facilitators.size() == 2);
    CHECK(changes.room_facilitators[0].facilitators[0].participant_id == lead);
    CHECK(changes.room_facilitators[0].facilitators[0].lead);
    CHECK(changes.room_facilitators[0].facilitators[1].participant_id == outsider);
    // Linked after the cursor: the new facilitator comes whole, their older rows included.
    CHECK(sent(changes.participants, outsider));
    CHECK(std::any_of(changes.badges.begin(), changes.badges.end(),
                      [](const sync::BadgeRow& b) { return b.participant_id == outsider; }));

    auto now = facilitators_on(device_db, room_1);
    REQUIRE(now.size() == 2);
    CHECK(now[0].participant_id == lead);
    CHECK(now[0].lead);
    CHECK(now[1].participant_id == outsider);
    CHECK_FALSE(now[1].lead);
    CHECK(count(device_db, "SELECT COUNT(*) FROM badges WHERE participant_id = 201") == 1);
    // The old co-facilitator is still enrolled at the event: still on the device.
    CHECK(count(device_db, "SELECT COUNT(*) FROM participants WHERE id = " + std::to_string(co)) == 1);

    // Taken off the room again, and needed nowhere else: forgotten by the device.
    at_hub(hub.hub + "/hub.db", [&](db::Database& db, std::int64_t change) {
        store::set_room_facilitators(db, room_1, {{lead, true}}, change);
    });
    auto dropped = sync_once(hub, device, "room-1");
    REQUIRE(dropped.room_facilitators.size() == 1);
    CHECK(dropped.room_facilitators[0].facilitators.size() == 1);
    CHECK(facilitators_on(device_db, room_1).size() == 1);
    CHECK(count(device_db, "SELECT COUNT(*) FROM participants WHERE id = 201") == 0);
    CHECK(count(device_db, "SELECT COUNT(*) FROM badges WHERE participant_id = 201") == 0);

    // A room emptied of facilitators is sent with an empty list, and the device's list empties.
    at_hub(hub.hub + "/hub.db", [&](db::Database& db, std::int64_t change) { store::set_room_facilitators(db, room_1, {}, change); });
    auto emptied = sync_once(hub, device, "room-1");
    REQUIRE(emptied.room_facilitators.size() == 1);
    CHECK(emptied.room_facilitators[0].facilitators.empty());
    CHECK(facilitators_on(device_db, room_1).empty());
    CHECK(count(device_db, "SELECT COUNT(*) FROM participants WHERE id = " + std::to_string(lead)) == 1);  // still enrolled
}

TEST_CASE("Through the server, an unenrolled person is not expected and a new facilitator is accepted after one sync",
          "[sync][roster][model]") {
    SyncWorld world;
    auto server = world.start_server();
    kiosk::ScanQueue queue;
    kiosk::KioskModel model(kiosk::load_device_config(world.device_toml("room-1")), queue);
    auto scan = [&](ParticipantId who) {
        queue.on_scan(kiosk::RawScan{kiosk::InputKind::wedge, world.token(who), "", std::chrono::steady_clock::now()});
        model.tick(std::chrono::steady_clock::now());
        REQUIRE(model.last_result());
        return *model.last_result();
    };
    ParticipantId unenrolled = 0;
    for (const auto& e : store::enrolments(model.station().database(), 1))
        if (e.room_id == room_1 && e.participant_id < 193) unenrolled = e.participant_id;  // an ECT, not a facilitator
    REQUIRE(unenrolled != 0);
    // Before the hub changes anything, the outsider is nobody here (a scan now would record
    // them as not expected, and the next one would be "already checked in").
    REQUIRE(world.device_count("room-1", "SELECT COUNT(*) FROM participants WHERE id = 201") == 0);

    at_hub(world.hub + "/hub.db", [&](db::Database& db, std::int64_t change) {
        REQUIRE(store::unenrol(db, 1, unenrolled, change));
        auto list = store::room_facilitator_list(db, room_1);
        list.push_back({outsider, false});
        store::set_room_facilitators(db, room_1, list, change);
    });
    const std::string device = "room-1";
    REQUIRE(eventually([&] {
        model.tick(std::chrono::steady_clock::now());
        return world.device_count(device, "SELECT COUNT(*) FROM room_facilitators WHERE participant_id = 201") == 1 &&
               world.device_count(device, "SELECT COUNT(*) FROM enrolments WHERE participant_id = " + std::to_string(unenrolled)) == 0;
    }, std::chrono::seconds(15)));
    model.tick(std::chrono::steady_clock::now());

    auto removed = scan(unenrolled);
    CHECK(removed.decision.outcome == Outcome::not_expected);
    CHECK_FALSE(removed.participant);  // the device no longer holds them
    auto facilitator = scan(outsider);
    CHECK(facilitator.decision.outcome == Outcome::checked_in);
    REQUIRE(facilitator.participant);
    CHECK(facilitator.participant->id == outsider);
}
