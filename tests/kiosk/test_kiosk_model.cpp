// The kiosk's model without a window: what the screens show and what staff can do.
#include "kiosk_fixture.hpp"
#include "keyboard_wedge_source.hpp"
#include "kiosk_model.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace std::chrono_literals;
using namespace muster;
using namespace muster::kiosk;

TEST_CASE("scans from the queue are committed and shown, then the screen returns to ready", "[kiosk][model]") {
    test::DemoHub hub;
    ScanQueue queue;
    KioskModel model(load_device_config(hub.entrance()), queue);
    auto t = KioskModel::Clock::now();
    CHECK(model.screen() == Screen::ready);
    queue.on_scan(RawScan{InputKind::camera, hub.token(1), "", t});
    model.tick(t);
    CHECK(model.screen() == Screen::result);
    REQUIRE(model.last_result());
    CHECK(model.last_result()->decision.outcome == Outcome::checked_in);
    CHECK(tone_of(model.last_result()->decision.outcome) == Tone::welcome);
    model.tick(t + 2s);
    CHECK(model.screen() == Screen::result);
    model.tick(t + KioskModel::result_time + 1s);
    CHECK(model.screen() == Screen::ready);
}

TEST_CASE("a wedge scanner typing into the window is a scan, decided at the next frame", "[kiosk][model][wedge]") {
    test::DemoHub hub;
    ScanQueue queue;
    KioskModel model(load_device_config(hub.entrance()), queue);
    KeyboardWedgeSource wedge;
    wedge.start(queue);
    auto t = KioskModel::Clock::now();
    for (char c : hub.token(6)) wedge.key(std::string(1, c), t += 3ms);
    wedge.enter(t + 3ms);
    CHECK(model.results_shown() == 0);
    model.tick(t + 5ms);
    CHECK(model.results_shown() == 1);
    REQUIRE(model.last_result());
    CHECK(model.last_result()->record.participant_id == 6);
    CHECK(model.screen() == Screen::result);
    // The next scan replaces the result at once, without waiting for the screen to clear.
    queue.on_scan(RawScan{InputKind::camera, hub.token(6), "", t});
    model.tick(t + 10ms);
    CHECK(model.results_shown() == 2);
    CHECK(model.last_result()->decision.outcome == Outcome::already_checked_in);
}

TEST_CASE("staff see the records still waiting for the hub, newest first, public names only", "[kiosk][model][staff]") {
    test::DemoHub hub;
    ScanQueue queue;
    KioskModel model(load_device_config(hub.entrance()), queue);
    CHECK(model.unsynced(10).empty());
    auto t = KioskModel::Clock::now();
    queue.on_scan(RawScan{InputKind::camera, hub.token(3), "", t});
    queue.on_scan(RawScan{InputKind::camera, "NOT-A-BADGE", "", t});
    model.tick(t);
    CHECK_THAT(model.void_last("wrong person", "Pat"), Catch::Contains("voided"));
    auto rows = model.unsynced(10);
    REQUIRE(rows.size() == 3);
    std::set<std::string> what;
    for (const auto& r : rows) {
        what.insert(r.what);
        CHECK(r.time.size() == 5);  // "09:02"
        CHECK(r.uuid.size() == 36);
        CHECK(r.who.find(' ') == r.who.rfind(' '));  // at most "First I."
    }
    CHECK(what == std::set<std::string>{"checked in", "badge not valid", "correction (void)"});
    CHECK(model.unsynced(1).size() == 1);
}

TEST_CASE("staff: the PIN, counts, manual check-in with a reason, void, session and direction", "[kiosk][model][staff]") {
    test::DemoHub hub;
    ScanQueue queue;
    KioskModel model(load_device_config(hub.entrance()), queue);
    model.open_staff();
    CHECK(model.screen() == Screen::staff_pin);
    CHECK_FALSE(model.enter_pin("1111"));
    CHECK(model.staff_message() == "Wrong PIN");
    CHECK(model.enter_pin("2468"));
    CHECK(model.screen() == Screen::staff);

    auto before = model.counts();
    CHECK(before.expected == 80);
    CHECK(before.checked_in == 0);
    auto found = model.search("Jack");
    REQUIRE_FALSE(found.empty());
    CHECK_THAT(model.manual_check_in(found[0].id, "", "Pat"), Catch::Contains("needs your name and a reason"));
    // Over the field limits: a message naming the field, not a crash, and nothing recorded.
    CHECK(model.manual_check_in(found[0].id, std::string(501, 'x'), "Pat") ==
          "Not checked in: reason: longer than 500 characters");
    CHECK(model.void_last("wrong person", std::string("Pat\0", 4)) == "Not voided: staff: holds a control character");
    CHECK(model.counts().unsynced == before.unsynced);
    CHECK_THAT(model.manual_check_in(found[0].id, "forgot badge", "Pat"), Catch::Contains("checked in"));
    auto after = model.counts();
    CHECK(after.checked_in == 1);
    CHECK(after.unsynced == before.unsynced + 1);
    CHECK_THAT(model.void_last("wrong person", "Pat"), Catch::Contains("voided"));
    CHECK(model.counts().checked_in == 0);

    model.toggle_direction();
    CHECK(model.station().desk().setup().direction == Direction::exit);
    auto other = model.station().event().sessions.front().id == model.station().desk().setup().session_id
                     ? model.station().event().sessions.back().id
                     : model.station().event().sessions.front().id;
    model.switch_session(other);
    CHECK(model.station().desk().setup().session_id == other);
    model.close_staff();
    CHECK(model.screen() == Screen::ready);
}

TEST_CASE("a room device's register: in, expected and not here, here but not on the list", "[kiosk][model][room]") {
    test::DemoHub hub;
    ScanQueue queue;
    KioskModel model(load_device_config(hub.room()), queue);
    auto rows = model.room_register();
    REQUIRE_FALSE(rows.empty());
    for (const auto& r : rows) CHECK(r.time.empty());
    // Check one of the room's people in by hand, and a mentor who is not on its list.
    auto room = *model.station().desk().setup().room_id;
    std::optional<ParticipantId> member;
    for (const auto& e : store::enrolments(model.station().database(), 1))
        if (e.room_id == room) member = e.participant_id;
    REQUIRE(member);
    model.station().desk().manual_check_in(*member, "test", "Pat", uk_time::now_ms());
    // 121 is another event's: the device does not hold them, but their genuine badge is recorded.
    model.station().desk().scan({Method::qr, hub.token(121), ""}, uk_time::now_ms());
    std::size_t in = 0, visitors = 0;
    for (const auto& r : model.room_register()) {
        in += r.expected && !r.time.empty();
        visitors += !r.expected;
        if (r.expected) CHECK(r.public_name.find('.') != std::string::npos);  // first name and initial only
        else CHECK(r.public_name == unlisted_visitor);  // the device holds no one else's name
    }
    CHECK(in == 1);
    CHECK(visitors == 1);
}

TEST_CASE("staff lists are read again when the database changes, also from another process", "[kiosk][model][staff]") {
    test::DemoHub hub;
    ScanQueue queue;
    auto config = load_device_config(hub.entrance());
    KioskModel model(config, queue);
    CHECK(model.counts().checked_in == 0);
    CHECK(model.unsynced(5).empty());
    // Another connection to the same file (as a sync process would be) commits a scan.
    KioskStation other(config);
    other.handle(RawScan{InputKind::camera, hub.token(9), "", {}});
    CHECK(model.counts().checked_in == 1);
    CHECK(model.unsynced(5).size() == 1);
    // And this connection's own writes, made straight through the desk.
    model.station().desk().manual_check_in(10, "forgot badge", "Pat", uk_time::now_ms());
    CHECK(model.counts().checked_in == 2);
    CHECK(model.unsynced(5).size() == 2);
    CHECK(model.search("zzzz-nobody").empty());
}
