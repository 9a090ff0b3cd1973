// The admin's people and rooms store functions (muster roster people, muster event rooms) on
// TestHub's roster, on either engine: a case-blind substring search with no wildcards, the
// role and withdrawn filters, a withdrawal and its undoing, and rooms added with their ids.
#include "test_hub.hpp"

#include "muster/store/event_admin_store.hpp"
#include "muster/store/participant_admin.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace muster;

namespace {

std::vector<std::string> surnames(const std::vector<store::Person>& people) {
    std::vector<std::string> out;
    for (const auto& p : people) out.push_back(p.p.last_name);
    std::sort(out.begin(), out.end());
    return out;
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("people are found by any part of a name, school, email or TRN, whatever the ASCII case", "[people][store][engines]") {
    test::TestHub hub(uk_time::from_local({2025, 10, 1, 10, 0, 0}));
    CHECK(surnames(store::search_people(*hub.db, "KHAN")) == Names{"Khan"});
    CHECK(surnames(store::search_people(*hub.db, "o'brien")) == Names{"O'Brien"});
    CHECK(surnames(store::search_people(*hub.db, "  rhys JONES ")) == Names{"Jones"});  // first and last name, trimmed
    CHECK(surnames(store::search_people(*hub.db, "brook")) == Names{"Jones", "Khan"});   // school and email
    CHECK(surnames(store::search_people(*hub.db, "45678")) == Names{"Jones", "Khan", "Ó Súilleabháin"});  // TRNs
    CHECK(surnames(store::search_people(*hub.db, "castleview")) == Names{"Hughes", "Mensah"});
    // No wildcards: % and _ are only themselves, and nobody's name has them.
    CHECK(store::search_people(*hub.db, "%").empty());
    CHECK(store::search_people(*hub.db, "_").empty());
    CHECK(store::search_people(*hub.db, "   ").empty());
    // lower() folds ASCII only, on both engines: "SIÂN" is "siÂn", which nobody is.
    CHECK(store::search_people(*hub.db, "SIÂN").empty());
    CHECK(surnames(store::search_people(*hub.db, "Siân")) == Names{"O'Brien"});
}

TEST_CASE("people are listed by role and withdrawn, and a withdrawal takes them off the event until reinstated",
          "[people][store][engines]") {
    test::TestHub hub(uk_time::from_local({2025, 10, 1, 10, 0, 0}));
    CHECK(store::list_people(*hub.db, {}).size() == 6);
    CHECK(surnames(store::list_people(*hub.db, {Role::facilitator, false})) == Names{"Hughes", "Mensah"});
    CHECK(store::list_people(*hub.db, {std::nullopt, true}).empty());

    auto rhys = hub.id_of_trn("3456789");
    store::enrol(*hub.db, hub.event, rhys, std::nullopt, store::next_change(*hub.db));
    auto out = store::withdraw_person(*hub.db, rhys, "left teaching", "2025-01-01", 1'000);
    REQUIRE(out.removed.size() == 1);
    CHECK(out.removed[0].event_id == hub.event);
    CHECK(surnames(store::list_people(*hub.db, {std::nullopt, true})) == Names{"Jones"});
    CHECK(surnames(store::list_people(*hub.db, {Role::ect, true})) == Names{"Jones"});
    CHECK(store::list_people(*hub.db, {Role::mentor, true}).empty());
    CHECK(store::find_person(*hub.db, rhys)->withdrawn_reason == "left teaching");
    CHECK_THROWS_AS(store::withdraw_person(*hub.db, rhys, "again", "2025-01-01", 2'000), store::PersonError);

    store::reinstate_person(*hub.db, rhys);
    CHECK(store::list_people(*hub.db, {std::nullopt, true}).empty());
    CHECK_FALSE(store::find_person(*hub.db, rhys)->withdrawn_ms);
    CHECK(store::enrolments_of(*hub.db, rhys).empty());  // reinstating enrols nobody again
}

TEST_CASE("rooms are added up to a count with the ids they were stored under", "[people][store][engines]") {
    test::TestHub hub(uk_time::from_local({2025, 10, 1, 10, 0, 0}));
    REQUIRE(hub.loaded.rooms.size() == 2);
    auto added = store::add_rooms(*hub.db, hub.event, 4, store::next_change(*hub.db));
    REQUIRE(added.size() == 2);
    auto loaded = store::load_event(*hub.db, hub.event);
    REQUIRE(loaded->rooms.size() == 4);
    for (const auto& room : added) {
        CHECK(store::room_event(*hub.db, room.id) == hub.event);
        CHECK(std::any_of(loaded->rooms.begin(), loaded->rooms.end(),
                          [&](const Room& r) { return r.id == room.id && r.name == room.name; }));
    }
    CHECK(added[0].name == "Room 3");
    CHECK(added[1].name == "Room 4");
    CHECK(store::add_rooms(*hub.db, hub.event, 4, store::next_change(*hub.db)).empty());
}
