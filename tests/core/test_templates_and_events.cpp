#include "test_hub.hpp"

#include "muster/programme/templates.hpp"
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

TEST_CASE("creating an event enrols its audience by role, year and cohort, and shares out rooms", "[programme][events]") {
    test::TestHub hub;
    auto event = *store::load_event(*hub.db, hub.event);
    CHECK(event.title == "Conference 1: Enabling conditions for the ECT programme");
    CHECK(event.rooms.size() == 2);
    auto enrolled = store::enrolments(*hub.db, hub.event);
    CHECK(enrolled.size() == 5);  // 3 year-1 ECTs of cohort 2025 + 2 facilitators; not the mentor
    for (const auto& e : enrolled) CHECK(e.room_id.has_value());
    CHECK(store::room_facilitators(*hub.db, event.rooms[0].id).size() == 2);
    CHECK_FALSE(store::find_enrolment(*hub.db, hub.event, hub.id_of_trn("4567890")));
}

TEST_CASE("event sessions use UK local times on either side of the clock change", "[programme][events]") {
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

TEST_CASE("bad event requests get clear errors", "[programme][events]") {
    test::TestHub hub;
    using store::EventError;
    CHECK_THROWS_WITH(store::create_event(*hub.db, {"ect-y9", "x", 2025, "2026-01-01", "V", 0, 10}), Catch::Contains("unknown programme"));
    CHECK_THROWS_WITH(store::create_event(*hub.db, {"ect-y1", "clinic-9", 2025, "2026-01-01", "V", 0, 10}), Catch::Contains("it has: orientation"));
    CHECK_THROWS_WITH(store::create_event(*hub.db, {"ect-y1", "clinic-1", 2025, "2026-02-30", "V", 0, 10}), Catch::Contains("not a date"));
    CHECK_THROWS_WITH(store::create_event(*hub.db, {"ect-y1", "clinic-1", 2025, "2026-02-03", "", 0, 10}), Catch::Contains("venue"));
}

TEST_CASE("the current session follows the clock", "[events]") {
    test::TestHub hub;
    const auto& e = hub.loaded;
    CHECK(store::current_session(e, e.sessions[0].starts_ms)->id == e.sessions[0].id);
    CHECK(store::current_session(e, e.sessions[1].starts_ms - 10 * 60'000)->id == e.sessions[1].id);
    CHECK(store::current_session(e, e.sessions[1].ends_ms + 3'600'000)->id == e.sessions[1].id);
}
