// The facilitators' live register as a view of the hub (muster/register/register_view.hpp):
// who is here and since when, who is late, who is expected and not here yet, and who is a
// visitor, for a room and for the whole event, from a real SQLite hub.
#include "test_hub.hpp"

#include "muster/register/register_view.hpp"
#include "muster/store/check_in_store.hpp"
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
    register_view::View view(std::optional<RoomId> room) {
        auto v = store::load_register_view(db, hub.event, room, now);
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

TEST_CASE("A room's register lists here with arrival and lateness, the missing and the visitors", "[register][view]") {
    RegisterHub h;
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
          "[register][view]") {
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

TEST_CASE("A register of a room that is not the event's, or of no event, is nothing", "[register][view]") {
    RegisterHub h;
    CHECK_FALSE(store::load_register_view(h.db, h.hub.event + 100, std::nullopt, h.now));
    CHECK_FALSE(store::load_register_view(h.db, h.hub.event, 9999, h.now));
    CHECK(store::event_of_room(h.db, h.room2) == h.hub.event);
    CHECK_FALSE(store::event_of_room(h.db, 9999));
}

TEST_CASE("Seen from a room, someone enrolled at the event without a room is a visitor from the event's list",
          "[register][view]") {
    RegisterHub h;
    store::enrol(h.db, h.hub.event, h.kwame, std::nullopt, 2);
    h.scan(h.kwame, h.start, h.room2);
    auto v = h.view(h.room2);
    REQUIRE(v.visitors.size() == 1);
    CHECK(v.visitors[0].reason == register_view::VisitorReason::other_room);
    CHECK_FALSE(v.visitors[0].expected_room);
    CHECK(ids(v.missing) == std::vector<ParticipantId>{h.aisha});
}
