#include "test_hub.hpp"

#include "muster/programme/templates.hpp"
#include "muster/store/event_admin_store.hpp"
#include "muster/store/event_store.hpp"

#include <catch2/catch.hpp>

using namespace muster;

TEST_CASE("programme templates carry the handbook's events", "[programme]") {
    auto* y1 = programme::find_template("ect-y1");
    REQUIRE(y1);
    CHECK(y1->items.size() == 6);  // orientation, 2 conferences, 3 clinics
    CHECK(y1->find_item("conference-2")->title == "Conference 2: Adaptive teaching");
    CHECK(y1->find_item("conference-1")->sessions.size() == 2);
    auto* y2 = programme::find_template("ect-y2");
    CHECK(y2->find_item("clinic-5")->title == "Clinic 5: Oracy");
    auto* mentor = programme::find_template("mentor");
    CHECK(mentor->find_item("conference-1")->title ==
          "Mentor conference 1: Developing high-quality instructional coaching");
    CHECK(mentor->find_item("coaching-on-coaching")->optional);
    CHECK(programme::find_template("npq"));
    CHECK_FALSE(programme::find_template("nope"));
}

TEST_CASE("creating an event enrols its audience by role, year and cohort, and shares out rooms", "[programme][events][engines]") {
    test::TestHub hub;
    auto event = *store::load_event(*hub.db, hub.event);
    CHECK(event.title == "Conference 1: Enabling conditions for the ECT programme");
    CHECK(event.rooms.size() == 2);
    auto enrolled = store::enrolments(*hub.db, hub.event);
    CHECK(enrolled.size() == 5);  // 3 year-1 ECTs of cohort 2025 + 2 facilitators; not the mentor
    for (const auto& e : enrolled) CHECK(e.room_id.has_value());
    // Two facilitators, two rooms: one lead in each (both used to go to Room 1).
    for (const auto& room : event.rooms) {
        auto list = store::room_facilitator_list(*hub.db, room.id);
        REQUIRE(list.size() == 1);
        CHECK(list[0].lead);
        CHECK(store::find_enrolment(*hub.db, hub.event, list[0].participant_id)->room_id == room.id);
    }
    CHECK_FALSE(store::find_enrolment(*hub.db, hub.event, hub.id_of_trn("4567890")));
}

TEST_CASE("event sessions use UK local times on either side of the clock change", "[programme][events][engines]") {
    test::TestHub hub;
    auto summer = store::create_event(*hub.db, {"ect-y1", "conference-2", 2025, "2026-10-24", "Leeds", 0, 10});
    auto winter = store::create_event(*hub.db, {"ect-y1", "clinic-1", 2025, "2026-10-26", "Leeds", 0, 10});
    auto s = store::load_event(*hub.db, summer)->sessions.at(0);
    auto w = store::load_event(*hub.db, winter)->sessions.at(0);
    CHECK(uk_time::format_hhmm(s.starts_ms) == "09:30");
    CHECK(uk_time::offset_minutes(s.starts_ms) == 60);
    CHECK(uk_time::format_hhmm(w.starts_ms) == "16:00");
    CHECK(uk_time::offset_minutes(w.starts_ms) == 0);
}

TEST_CASE("bad event requests get clear errors", "[programme][events][engines]") {
    test::TestHub hub;
    using store::EventError;
    CHECK_THROWS_WITH(store::create_event(*hub.db, {"ect-y9", "x", 2025, "2026-01-01", "V", 0, 10}), Catch::Contains("unknown programme"));
    CHECK_THROWS_WITH(store::create_event(*hub.db, {"ect-y1", "clinic-9", 2025, "2026-01-01", "V", 0, 10}), Catch::Contains("it has: orientation"));
    CHECK_THROWS_WITH(store::create_event(*hub.db, {"ect-y1", "clinic-1", 2025, "2026-02-30", "V", 0, 10}), Catch::Contains("not a date"));
    CHECK_THROWS_WITH(store::create_event(*hub.db, {"ect-y1", "clinic-1", 2025, "2026-02-03", "", 0, 10}), Catch::Contains("venue"));
}

TEST_CASE("the current session follows the clock", "[events][engines]") {
    test::TestHub hub;
    const auto& e = hub.loaded;
    CHECK(store::current_session(e, e.sessions[0].starts_ms)->id == e.sessions[0].id);
    CHECK(store::current_session(e, e.sessions[1].starts_ms - 10 * 60'000)->id == e.sessions[1].id);
    CHECK(store::current_session(e, e.sessions[1].ends_ms + 3'600'000)->id == e.sessions[1].id);
}

TEST_CASE("moving an event's date keeps its sessions' UK times across the clock change", "[events][store][engines]") {
    test::TestHub hub;
    auto& db = *hub.db;
    auto id = store::create_event(db, {"ect-y1", "conference-2", 2025, "2026-10-21", "Leeds", 0, 10});  // BST
    auto before = store::load_event(db, id)->sessions;
    CHECK(uk_time::format_iso_utc(before.at(0).starts_ms) == "2026-10-21T08:30:00.000Z");
    store::move_event_date(db, id, "2026-10-28", store::next_change(db));  // GMT: the UTC instant moves 7 days and an hour
    auto after = store::load_event(db, id);
    CHECK(after->local_date == "2026-10-28");
    CHECK(uk_time::format_iso_utc(after->sessions.at(0).starts_ms) == "2026-10-28T09:30:00.000Z");
    CHECK(uk_time::format_hhmm(after->sessions.at(1).ends_ms) == uk_time::format_hhmm(before.at(1).ends_ms));
    // And back into summer time, from the spring side.
    store::move_event_date(db, id, "2027-03-31", store::next_change(db));
    after = store::load_event(db, id);
    CHECK(uk_time::format_iso_utc(after->sessions.at(0).starts_ms) == "2027-03-31T08:30:00.000Z");
    CHECK(uk_time::format_date(after->sessions.at(1).starts_ms) == "2027-03-31");
    CHECK_THROWS_AS(store::move_event_date(db, id, "2027-13-01", store::next_change(db)), store::EventError);
}

TEST_CASE("facilitators are shared out a lead a room before any room gets a co-facilitator", "[events][store]") {
    using L = std::vector<store::RoomFacilitator>;
    auto two_rooms = store::share_facilitators({{}, {}}, {5, 6});  // 2 facilitators, 2 rooms
    REQUIRE(two_rooms.size() == 2);
    CHECK((two_rooms[0].size() == 1 && two_rooms[0][0].participant_id == 5 && two_rooms[0][0].lead));
    CHECK((two_rooms[1].size() == 1 && two_rooms[1][0].participant_id == 6 && two_rooms[1][0].lead));
    auto one = store::share_facilitators({{}, {}}, {5});  // 1 facilitator, 2 rooms: Room 2 has none
    CHECK(one[0].size() == 1);
    CHECK(one[1].empty());
    auto five = store::share_facilitators({{}, {}}, {1, 2, 3, 4, 5});  // a lead and a co each; one left out
    CHECK(five[0].size() == 2);
    CHECK(five[1].size() == 2);
    CHECK_FALSE(five[0][1].lead);
    CHECK(five[1][1].participant_id == 4);
    // A room staff already set keeps its people; only the empty room is given someone.
    auto kept = store::share_facilitators({L{{9, true}}, {}}, {5});
    CHECK((kept[0].size() == 1 && kept[0][0].participant_id == 9));
    CHECK((kept[1].size() == 1 && kept[1][0].participant_id == 5 && kept[1][0].lead));
}

TEST_CASE("one facilitator for two rooms leads Room 1, and enrolling again keeps what staff set", "[events][store][engines]") {
    test::TestHub hub;
    auto& db = *hub.db;
    auto grace = hub.id_of_trn("6789012");
    db.exec("UPDATE participants SET role = 'hub_staff' WHERE trn = '6789012'");
    auto id = store::create_event(db, {"ect-y1", "clinic-1", 2025, "2026-11-04", "Leeds", 2, 10});
    auto e = *store::load_event(db, id);
    CHECK(store::room_facilitator_list(db, e.rooms[0].id).size() == 1);
    CHECK(store::room_facilitator_list(db, e.rooms[1].id).empty());
    // Grace becomes a facilitator again; enrolling the audience again gives her the empty
    // room and leaves Room 1 as it was.
    db.exec("UPDATE participants SET role = 'facilitator' WHERE trn = '6789012'");
    auto lead1 = store::room_facilitator_list(db, e.rooms[0].id).at(0).participant_id;
    store::enrol_expected(db, id, store::next_change(db));
    CHECK(store::room_facilitator_list(db, e.rooms[0].id).at(0).participant_id == lead1);
    auto room2 = store::room_facilitator_list(db, e.rooms[1].id);
    REQUIRE(room2.size() == 1);
    CHECK(room2[0].participant_id == grace);
    CHECK(store::find_enrolment(db, id, grace)->room_id == e.rooms[1].id);
}

TEST_CASE("a cancelled event expects nobody, and the same event may then be made again", "[events][store][engines]") {
    test::TestHub hub;
    auto& db = *hub.db;
    CHECK_THROWS_AS(store::create_event(db, {"ect-y1", "conference-1", 2025, hub.loaded.local_date, "Elsewhere", 0, 10}),
                    store::DuplicateEvent);
    auto change = store::next_change(db);
    CHECK(store::cancel_event(db, hub.event, "snow", 1'000, change) == 5);
    CHECK(store::enrolments(db, hub.event).empty());
    CHECK(store::event_cancellation(db, hub.event)->reason == "snow");
    CHECK(store::enrol_expected(db, hub.event, store::next_change(db)) == 0);
    CHECK(store::enrolments(db, hub.event).empty());
    CHECK_NOTHROW(store::create_event(db, {"ect-y1", "conference-1", 2025, hub.loaded.local_date, "Elsewhere", 0, 10}));
}
