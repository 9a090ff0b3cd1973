// Marks from the facilitators' tablets in the hub database (muster/store/register_mark_store.hpp):
// idempotent by uuid, checked against the tablet's scope, undone only by the link that made
// them, each advancing the change clock so devices download them (read_changes).
#include "test_hub.hpp"

#include "muster/store/hub_sync_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/register_mark_store.hpp"
#include "muster/store/register_view_store.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using store::MarkOutcome;

namespace {

struct MarkHub {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub{now};
    db::Database& db = *hub.db;
    RoomId room1 = hub.loaded.rooms.at(0).id, room2 = hub.loaded.rooms.at(1).id;
    SessionId session = hub.loaded.sessions.at(0).id;
    ParticipantId sian = hub.id_of_trn("1234567"), aisha = hub.id_of_trn("4567890");
    register_access::Scope room1_link{1, hub.event, room1, now + 3'600'000};
    register_access::Scope other_room1_link{2, hub.event, room1, now + 3'600'000};
    register_access::Scope whole_event{3, hub.event, std::nullopt, now + 3'600'000};

    MarkHub() {
        db.exec("DELETE FROM enrolments");
        store::enrol(db, hub.event, sian, room1, 1);
        store::enrol(db, hub.event, aisha, room2, 1);
    }
    store::NewMark present(std::string uuid, ParticipantId who) const {
        return {std::move(uuid), who, store::MarkKind::present, "forgot_badge", "left it at home", "  Ms Jones ",
                session, room1};
    }
    std::int64_t rows(const char* where) {
        auto s = db.prepare(std::string("SELECT count(*) FROM corrections WHERE ") + where);  // literal conditions only
        s.step();
        return s.int64(0);
    }
};

constexpr const char* uuid1 = "0b6c2f1e-8a4d-4c3b-9f7e-1d2a3b4c5d6e";
constexpr const char* uuid2 = "1c7d3a2f-9b5e-4d4c-8a8f-2e3b4c5d6e7f";
constexpr const char* uuid3 = "2d8e4b3a-ac6f-4e5d-9b9a-3f4c5d6e7f80";

}  // namespace

TEST_CASE("A mark is stored once, as a correction with no device, advancing the change clock", "[register][marks][engines]") {
    MarkHub h;
    auto before = store::current_change(h.db);
    auto r = store::record_mark(h.db, h.room1_link, h.present(uuid1, h.sian), h.now);
    REQUIRE(r.outcome == MarkOutcome::stored);
    CHECK(r.change == before + 1);
    CHECK(store::current_change(h.db) == before + 1);
    CHECK(h.rows("kind = 'mark' AND status = 'present' AND device_id IS NULL AND register_link_id = 1 AND "
                 "author = 'Ms Jones' AND note = 'left it at home' AND reason = 'forgot_badge'") == 1);

    // The same again (a retried POST): nothing more, the same change number.
    auto again = store::record_mark(h.db, h.room1_link, h.present(uuid1, h.sian), h.now + 5);
    CHECK(again.outcome == MarkOutcome::already);
    CHECK(again.change == r.change);
    CHECK(store::current_change(h.db) == before + 1);
    // The same uuid with other content is a conflict.
    auto other = h.present(uuid1, h.sian);
    other.note = "something else";
    CHECK(store::record_mark(h.db, h.room1_link, other, h.now).outcome == MarkOutcome::conflict);
    CHECK(h.rows("1 = 1") == 1);

    // Every device of the event downloads it (device_id NULL is nobody's own record).
    auto changes = store::read_changes(h.db, "kiosk-a", h.hub.event, before, 1000, 1'000'000);
    REQUIRE(changes.corrections.size() == 1);
    CHECK(changes.corrections[0].uuid == uuid1);
    CHECK(changes.corrections[0].status == AttendanceStatus::present);
}

TEST_CASE("A mark is refused outside the tablet's scope or with bad fields", "[register][marks][engines]") {
    MarkHub h;
    // Aisha is on room 2's list: room 1's tablet cannot see her.
    CHECK(store::record_mark(h.db, h.room1_link, h.present(uuid1, h.aisha), h.now).outcome == MarkOutcome::forbidden);
    auto in_room2 = h.present(uuid1, h.aisha);
    in_room2.room_id = h.room2;
    CHECK(store::record_mark(h.db, h.room1_link, in_room2, h.now).outcome == MarkOutcome::forbidden);
    auto whole = h.present(uuid1, h.sian);
    whole.room_id.reset();
    CHECK(store::record_mark(h.db, h.room1_link, whole, h.now).outcome == MarkOutcome::forbidden);
    // The whole event's tablet sees everyone.
    CHECK(store::record_mark(h.db, h.whole_event, in_room2, h.now).outcome == MarkOutcome::stored);

    auto bad = [&](auto change) {
        auto m = h.present(uuid2, h.sian);
        change(m);
        return store::record_mark(h.db, h.room1_link, m, h.now).outcome;
    };
    CHECK(bad([](store::NewMark& m) { m.uuid = "not-a-uuid"; }) == MarkOutcome::invalid);
    CHECK(bad([](store::NewMark& m) { m.reason = "bored"; }) == MarkOutcome::invalid);
    CHECK(bad([](store::NewMark& m) { m.kind = store::MarkKind::left_early; }) == MarkOutcome::invalid);
    CHECK(bad([](store::NewMark& m) { m.note = std::string(201, 'x'); }) == MarkOutcome::invalid);
    CHECK(bad([](store::NewMark& m) { m.note = "two\nlines"; }) == MarkOutcome::invalid);
    CHECK(bad([](store::NewMark& m) { m.author = "   "; }) == MarkOutcome::invalid);
    CHECK(bad([](store::NewMark& m) { m.author = std::string(81, 'a'); }) == MarkOutcome::invalid);
    CHECK(bad([](store::NewMark& m) { m.session_id = 9999; }) == MarkOutcome::not_found);
    CHECK(bad([](store::NewMark& m) { m.participant_id = 99999; }) == MarkOutcome::not_found);
    CHECK(bad([](store::NewMark& m) { m.note = std::string(200, 'x'); }) == MarkOutcome::stored);
}

TEST_CASE("Only the link that made a mark undoes it, and undoing twice is harmless", "[register][marks][engines]") {
    MarkHub h;
    REQUIRE(store::record_mark(h.db, h.room1_link, h.present(uuid1, h.sian), h.now).outcome == MarkOutcome::stored);
    auto view = [&](const register_access::Scope& s) {
        return *store::load_register_view(h.db, h.hub.event, h.room1, h.now, s.link_id);
    };
    REQUIRE(view(h.room1_link).here.size() == 1);
    CHECK(view(h.room1_link).here[0].marks.by_hand->undoable);
    CHECK_FALSE(view(h.other_room1_link).here[0].marks.by_hand->undoable);

    CHECK(store::undo_mark(h.db, h.other_room1_link, {uuid2, uuid1, "Mr Khan"}, h.now).outcome ==
          MarkOutcome::forbidden);
    CHECK(store::undo_mark(h.db, h.room1_link, {uuid2, uuid3, "Ms Jones"}, h.now).outcome == MarkOutcome::not_found);
    auto before = store::current_change(h.db);
    auto undo = store::undo_mark(h.db, h.room1_link, {uuid2, uuid1, "Ms Jones"}, h.now);
    REQUIRE(undo.outcome == MarkOutcome::stored);
    CHECK(undo.change == before + 1);
    CHECK(h.rows("kind = 'void' AND target_uuid = '0b6c2f1e-8a4d-4c3b-9f7e-1d2a3b4c5d6e' AND device_id IS NULL") == 1);
    CHECK(view(h.room1_link).here.empty());

    CHECK(store::undo_mark(h.db, h.room1_link, {uuid2, uuid1, "Ms Jones"}, h.now).outcome == MarkOutcome::already);
    CHECK(store::undo_mark(h.db, h.room1_link, {uuid3, uuid1, "Ms Jones"}, h.now).outcome == MarkOutcome::already);
    CHECK(store::undo_mark(h.db, h.room1_link, {uuid2, uuid1, "Someone else"}, h.now).outcome ==
          MarkOutcome::conflict);
    CHECK(h.rows("kind = 'void'") == 1);
    CHECK(store::current_change(h.db) == before + 1);
}
