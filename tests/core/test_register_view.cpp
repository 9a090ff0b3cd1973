// The facilitators' live register as a view of the hub (muster/register/register_view.hpp):
// who is here and since when, who is late, who is expected and not here yet, and who is a
// visitor, for a room and for the whole event, from a real SQLite hub.
#include "test_hub.hpp"

#include "muster/register/register_view.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/store/register_mark_store.hpp"
#include "muster/store/register_view_store.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace muster;

namespace {

struct RegisterHub {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub{now};
    db::Database& db = *hub.db;
    TimeMs start = hub.loaded.sessions.at(0).starts_ms;  // 30 minutes before now
    RoomId room1 = hub.loaded.rooms.at(0).id, room2 = hub.loaded.rooms.at(1).id;
    ParticipantId sian = hub.id_of_trn("1234567"), zoe = hub.id_of_trn("2345678"), rhys = hub.id_of_trn("3456789");
    ParticipantId aisha = hub.id_of_trn("4567890"), kwame = hub.id_of_trn("5678901"), grace = hub.id_of_trn("6789012");
    std::int64_t seq = 0;

    RegisterHub() {
        // A known list: Siân, Zoë, Rhys and Grace in room 1, Aisha in room 2, Kwame nowhere.
        db.exec("DELETE FROM enrolments");
        for (auto p : {sian, zoe, rhys, grace}) store::enrol(db, hub.event, p, room1, 1);
        store::enrol(db, hub.event, aisha, room2, 1);
    }

    std::string scan(ParticipantId who, TimeMs at, std::optional<RoomId> room, Outcome outcome = Outcome::checked_in) {
        CheckIn c;
        c.uuid = "scan-" + std::to_string(++seq);
        c.device_id = "kiosk-a";
        c.device_seq = seq;
        c.participant_id = who;
        c.event_id = hub.event;
        c.session_id = hub.loaded.sessions.at(0).id;
        c.room_id = room;
        c.direction = Direction::entry;
        c.outcome = outcome;
        c.device_ms = at;
        REQUIRE(store::insert_check_in(db, c, false));
        return c.uuid;
    }
    void void_scan(const std::string& target) {
        Correction v;
        v.uuid = "void-" + target;
        v.kind = CorrectionKind::void_scan;
        v.target_uuid = target;
        v.event_id = hub.event;
        v.reason = "wrong person";
        v.author = "staff";
        v.created_ms = now;
        REQUIRE(store::insert_correction(db, v, false));
    }
    // A room device in service for `room` (the room's register then counts its scans only).
    void room_device(RoomId room, const std::string& id = "room-dev") {
        auto s = db.prepare("INSERT INTO devices (id, name, mode, event_id, room_id, created_ms) VALUES (?1, ?1, 'room', ?2, ?3, 0)");
        s.bind(1, id).bind(2, hub.event).bind(3, room);
        s.run();
    }
    register_view::View view(std::optional<RoomId> room, std::optional<std::int64_t> viewer = std::nullopt) {
        auto v = store::load_register_view(db, hub.event, room, now, viewer);
        REQUIRE(v);
        return *v;
    }
};

constexpr TimeMs minute = 60'000;

template <class Rows>
std::vector<ParticipantId> ids(const Rows& rows) {
    std::vector<ParticipantId> out;
    for (const auto& r : rows) {
        if constexpr (requires { r.person; }) out.push_back(r.person.id);
        else out.push_back(r.id);
    }
    return out;
}

}  // namespace

TEST_CASE("A room's register lists here with arrival and lateness, the missing and the visitors", "[register][view][engines]") {
    RegisterHub h;
    h.room_device(h.room1);  // the room's own device counts: the entrance's scans do not
    h.db.exec("UPDATE participants SET preferred_name = 'Sia' WHERE trn = '1234567'");
    h.db.exec("UPDATE participants SET withdrawn_ms = 1 WHERE trn = '6789012'");  // Grace left the programme
    h.scan(h.zoe, h.start - 10 * minute, std::nullopt);     // at the entrance, early
    h.scan(h.sian, h.start + 5 * minute, h.room1);          // on time (within the 10 minutes)
    h.scan(h.sian, h.start + 6 * minute, h.room1, Outcome::already_checked_in);
    h.scan(h.zoe, h.start + 25 * minute, h.room1);          // 25 minutes late in the room
    h.void_scan(h.scan(h.rhys, h.start, h.room1));          // voided: someone else's badge
    h.scan(h.rhys, h.start + minute, h.room1, Outcome::invalid_badge);  // refused: counts nothing
    h.scan(h.aisha, h.start + 2 * minute, h.room1);         // room 2's list
    h.scan(h.kwame, h.start + 3 * minute, h.room1, Outcome::not_expected);  // nobody's list

    auto v = h.view(h.room1);
    CHECK(v.counted_at == register_view::CountedAt::room_device);
    REQUIRE(v.room);
    CHECK(v.room->name == "Room 1");
    REQUIRE(v.session);
    CHECK(v.session->id == h.hub.loaded.sessions.at(0).id);

    CHECK(ids(v.here) == std::vector<ParticipantId>{h.zoe, h.sian});  // newest first
    CHECK(v.here[0].arrived_ms == h.start + 25 * minute);
    CHECK(v.here[0].minutes_late == 25);
    CHECK(v.here[1].arrived_ms == h.start + 5 * minute);
    CHECK_FALSE(v.here[1].minutes_late);
    CHECK(v.here[1].person.first_name == "Sia");  // the preferred name
    CHECK(v.here[1].person.surname == "O'Brien");
    CHECK(v.here[1].person.school == "Oakfield Junior School");

    CHECK(ids(v.missing) == std::vector<ParticipantId>{h.rhys});  // Grace is withdrawn: not expected
    REQUIRE(v.visitors.size() == 2);
    CHECK(v.visitors[0].person.id == h.kwame);
    CHECK(v.visitors[0].reason == register_view::VisitorReason::not_expected);
    CHECK(v.visitors[1].person.id == h.aisha);
    CHECK(v.visitors[1].reason == register_view::VisitorReason::other_room);
    CHECK(v.visitors[1].expected_room == h.room2);
    CHECK(v.visitors[1].expected_room_name == "Room 2");

    CHECK(v.counts.in == 2);
    CHECK(v.counts.expected == 3);
    CHECK(v.counts.late == 1);
    CHECK(v.counts.missing == 1);
    CHECK(v.counts.visitors == 2);
}

TEST_CASE("The whole event's register counts a scan anywhere, the earliest one, and lists everyone enrolled",
          "[register][view][engines]") {
    RegisterHub h;
    h.scan(h.zoe, h.start - 10 * minute, std::nullopt);  // entrance, on time
    h.scan(h.zoe, h.start + 25 * minute, h.room1);       // later in the room: the entrance counts
    h.scan(h.aisha, h.start + 12 * minute, h.room1);     // another room than hers: still here
    h.scan(h.kwame, h.start, std::nullopt, Outcome::not_expected);

    auto v = h.view(std::nullopt);
    CHECK_FALSE(v.room);
    CHECK(ids(v.here) == std::vector<ParticipantId>{h.aisha, h.zoe});
    CHECK(v.here[0].minutes_late == 12);
    CHECK_FALSE(v.here[1].minutes_late);
    CHECK(v.here[1].arrived_ms == h.start - 10 * minute);
    auto missing = ids(v.missing);
    std::sort(missing.begin(), missing.end());
    std::vector<ParticipantId> want{h.sian, h.rhys, h.grace};
    std::sort(want.begin(), want.end());
    CHECK(missing == want);
    REQUIRE(v.visitors.size() == 1);
    CHECK(v.visitors[0].person.id == h.kwame);
    CHECK(v.visitors[0].reason == register_view::VisitorReason::not_expected);
    CHECK(v.counts.expected == 5);
    CHECK(v.counts.in == 2);
    CHECK(v.counts.late == 1);
}

TEST_CASE("A register of a room that is not the event's, or of no event, is nothing", "[register][view][engines]") {
    RegisterHub h;
    CHECK_FALSE(store::load_register_view(h.db, h.hub.event + 100, std::nullopt, h.now));
    CHECK_FALSE(store::load_register_view(h.db, h.hub.event, 9999, h.now));
    CHECK(store::event_of_room(h.db, h.room2) == h.hub.event);
    CHECK_FALSE(store::event_of_room(h.db, 9999));
}

TEST_CASE("Seen from a room, someone enrolled at the event without a room is a visitor from the event's list",
          "[register][view][engines]") {
    RegisterHub h;
    store::enrol(h.db, h.hub.event, h.kwame, std::nullopt, 2);
    h.scan(h.kwame, h.start, h.room2);
    auto v = h.view(h.room2);
    REQUIRE(v.visitors.size() == 1);
    CHECK(v.visitors[0].reason == register_view::VisitorReason::other_room);
    CHECK_FALSE(v.visitors[0].expected_room);
    CHECK(ids(v.missing) == std::vector<ParticipantId>{h.aisha});
}

TEST_CASE("A room with no room device in service counts the entrance, for its own list only", "[register][view][engines]") {
    RegisterHub h;
    h.room_device(h.room2, "room2-dev");  // another room's device changes nothing for room 1
    h.scan(h.sian, h.start - 5 * minute, std::nullopt);   // room 1's list, at the entrance
    h.scan(h.zoe, h.start + 20 * minute, std::nullopt);   // room 1's list, late at the entrance
    h.scan(h.zoe, h.start + 30 * minute, h.room1);        // and later in the room: the earliest counts
    h.scan(h.aisha, h.start, std::nullopt);               // room 2's list at the entrance: no visitor of room 1
    h.scan(h.kwame, h.start, std::nullopt, Outcome::not_expected);  // nobody's list: not room 1's visitor

    auto v = h.view(h.room1);
    CHECK(v.counted_at == register_view::CountedAt::entrance);
    CHECK(ids(v.here) == std::vector<ParticipantId>{h.zoe, h.sian});
    CHECK(v.here[0].arrived_ms == h.start + 20 * minute);
    CHECK(v.here[0].minutes_late == 20);
    CHECK(v.visitors.empty());
    CHECK(v.counts.in == 2);

    // A device revoked or taken out of service is not in service.
    h.room_device(h.room1, "room1-dev");
    CHECK(h.view(h.room1).counted_at == register_view::CountedAt::room_device);
    CHECK(ids(h.view(h.room1).here) == std::vector<ParticipantId>{h.zoe});  // only the room's own scan
    h.db.exec("UPDATE devices SET removed_ms = 1 WHERE id = 'room1-dev'");
    CHECK(h.view(h.room1).counted_at == register_view::CountedAt::entrance);
    h.db.exec("UPDATE devices SET removed_ms = NULL, revoked_ms = 1 WHERE id = 'room1-dev'");
    CHECK(h.view(h.room1).counted_at == register_view::CountedAt::entrance);

    // Room 2 has its device: Aisha's entrance scan does not count there.
    auto v2 = h.view(h.room2);
    CHECK(v2.counted_at == register_view::CountedAt::room_device);
    CHECK(v2.here.empty());
}

TEST_CASE("Someone turned away at a room's door as on another room's list is that room's visitor", "[register][view][engines]") {
    RegisterHub h;
    h.room_device(h.room1, "room1-dev");
    h.scan(h.aisha, h.start + 2 * minute, h.room1, Outcome::wrong_room);  // room 2's list, at room 1's door
    h.scan(h.sian, h.start, h.room1);

    auto v = h.view(h.room1);
    CHECK(ids(v.here) == std::vector<ParticipantId>{h.sian});
    REQUIRE(v.visitors.size() == 1);
    CHECK(v.visitors[0].person.id == h.aisha);
    CHECK(v.visitors[0].reason == register_view::VisitorReason::other_room);
    CHECK(v.visitors[0].expected_room == h.room2);
    CHECK(v.visitors[0].arrived_ms == h.start + 2 * minute);
    CHECK(v.counts.visitors == 1);
    // Not attendance in room 2: their own room still misses them.
    CHECK(h.view(h.room2).here.empty());
}

namespace {

register_view::Facts marks_facts(const RegisterHub& h) {
    register_view::Facts f;
    f.event = h.hub.loaded;
    f.room = h.room1;
    f.session = h.hub.loaded.sessions.at(0);
    f.counted_at = register_view::CountedAt::room_device;
    f.enrolments = {{h.hub.event, h.sian, h.room1}, {h.hub.event, h.zoe, h.room1}, {h.hub.event, h.aisha, h.room2}};
    for (auto id : {h.sian, h.zoe, h.aisha, h.kwame}) {
        register_view::Person p;
        p.id = id;
        p.surname = "P" + std::to_string(id);
        f.people[id] = p;
    }
    f.now = h.now;
    return f;
}

register_view::Mark mark(std::string uuid, ParticipantId who, AttendanceStatus status, TimeMs at,
                         std::optional<std::int64_t> link, std::optional<RoomId> room) {
    register_view::Mark m;
    m.uuid = std::move(uuid);
    m.participant_id = who;
    m.status = status;
    m.reason = status == AttendanceStatus::present ? "forgot_badge" : "left_early";
    m.note = "at the desk";
    m.author = "Ms Jones";
    m.at_ms = at;
    m.link_id = link;
    m.room_id = room;
    return m;
}

}  // namespace

TEST_CASE("Someone marked present by hand is here from the mark, flagged, and undoable only by its own link",
          "[register][view][marks][engines]") {
    RegisterHub h;
    auto f = marks_facts(h);
    f.viewer_link = 7;
    f.marks = {mark("m-sian", h.sian, AttendanceStatus::present, h.start + 15 * minute, 7, h.room1),
               mark("m-zoe", h.zoe, AttendanceStatus::present, h.start + 2 * minute, 8, std::nullopt),
               // Zoë's scan came later than the mark: the mark's time is her arrival.
               mark("m-aisha", h.aisha, AttendanceStatus::present, h.start, 9, h.room2)};  // room 2's: not here
    f.arrivals = {{h.zoe, h.start + 5 * minute}};
    auto v = register_view::build_view(f);
    REQUIRE(ids(v.here) == std::vector<ParticipantId>{h.sian, h.zoe});
    REQUIRE(v.here[0].marks.by_hand);
    CHECK(v.here[0].arrived_ms == h.start + 15 * minute);
    CHECK(v.here[0].minutes_late == 15);
    CHECK(v.here[0].marks.by_hand->uuid == "m-sian");
    CHECK(v.here[0].marks.by_hand->author == "Ms Jones");
    CHECK(v.here[0].marks.by_hand->reason == "forgot_badge");
    CHECK(v.here[0].marks.by_hand->note == "at the desk");
    CHECK(v.here[0].marks.by_hand->undoable);
    CHECK(v.here[1].arrived_ms == h.start + 2 * minute);
    REQUIRE(v.here[1].marks.by_hand);
    CHECK_FALSE(v.here[1].marks.by_hand->undoable);  // another link's mark
    CHECK(v.visitors.empty());
    CHECK(v.missing.empty());
    CHECK(v.counts.in == 2);

    // A scan earlier than the mark is the arrival; the mark still flags the row.
    f.arrivals = {{h.sian, h.start + minute}};
    auto earlier = register_view::build_view(f);
    REQUIRE(earlier.here.size() == 2);
    auto sian = std::find_if(earlier.here.begin(), earlier.here.end(), [&](const auto& x) { return x.person.id == h.sian; });
    REQUIRE(sian != earlier.here.end());
    CHECK(sian->arrived_ms == h.start + minute);
    CHECK(sian->marks.by_hand);
}

TEST_CASE("An undone mark counts as never made, and a left-early mark gives the time they left", "[register][view][marks][engines]") {
    RegisterHub h;
    auto f = marks_facts(h);
    f.viewer_link = 7;
    auto undone = mark("m-sian", h.sian, AttendanceStatus::present, h.start, 7, h.room1);
    undone.undone = true;
    f.marks = {undone, mark("m-zoe-left", h.zoe, AttendanceStatus::left_early, h.start + 40 * minute, 7, h.room1),
               // A visitor marked present from this room's register is a visitor here.
               mark("m-kwame", h.kwame, AttendanceStatus::present, h.start + 3 * minute, 7, h.room1)};
    f.arrivals = {{h.zoe, h.start}};
    auto v = register_view::build_view(f);
    REQUIRE(ids(v.here) == std::vector<ParticipantId>{h.zoe});
    CHECK_FALSE(v.here[0].marks.by_hand);
    CHECK(v.here[0].marks.left_ms == h.start + 40 * minute);
    REQUIRE(v.here[0].marks.left_mark);
    CHECK(v.here[0].marks.left_mark->uuid == "m-zoe-left");
    CHECK(v.here[0].marks.left_mark->undoable);
    CHECK(ids(v.missing) == std::vector<ParticipantId>{h.sian});
    REQUIRE(v.visitors.size() == 1);
    CHECK(v.visitors[0].person.id == h.kwame);
    CHECK(v.visitors[0].marks.by_hand);

    // Seen from room 2, the marks made in room 1 for people not on room 2's list do not show.
    f.room = h.room2;
    f.arrivals.clear();  // those were room 1's scans
    auto v2 = register_view::build_view(f);
    CHECK(v2.here.empty());
    CHECK(v2.visitors.empty());
}
