#include "muster/checkin/check_in_rules.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using namespace muster::checkin;

namespace {

constexpr TimeMs start = 1'760'000'000'000;  // an arbitrary session start
constexpr TimeMs minute = 60'000;

RuleInput base() {
    RuleInput in;
    in.device = {"k1", DeviceMode::entrance, 1, 10, std::nullopt, Direction::entry};
    in.session = {10, 1, "Morning", start, start + 180 * minute, 60, 30};
    in.now = start - 5 * minute;
    in.credential = {CredentialState::genuine, Method::qr, 7, 1, ""};
    in.at_event = {true, std::nullopt, std::nullopt};
    return in;
}

}  // namespace

TEST_CASE("an expected participant with a genuine badge is checked in", "[rules]") {
    auto d = decide(base());
    CHECK(d.outcome == Outcome::checked_in);
}

TEST_CASE("a second scan says when they first checked in", "[rules]") {
    auto in = base();
    in.prior = {start - 20 * minute, Direction::entry};
    auto d = decide(in);
    CHECK(d.outcome == Outcome::already_checked_in);
    CHECK(d.first_seen_ms == start - 20 * minute);
    CHECK_THAT(d.reason, Catch::StartsWith("Already checked in at "));
}

TEST_CASE("back in after checking out is a new entry", "[rules]") {
    auto in = base();
    in.prior = {start - 20 * minute, Direction::exit};
    CHECK(decide(in).outcome == Outcome::checked_in);
}

TEST_CASE("exit mode checks out, and says so when there was no entry", "[rules]") {
    auto in = base();
    in.device.direction = Direction::exit;
    in.now = start + 170 * minute;
    auto d = decide(in);
    CHECK(d.outcome == Outcome::checked_out);
    CHECK_THAT(d.reason, Catch::Contains("No entry"));
    in.prior = {start, Direction::entry};
    CHECK(decide(in).reason.empty());
}

TEST_CASE("someone not on the list is recorded and flagged, never refused", "[rules]") {
    auto in = base();
    in.at_event.enrolled = false;
    auto d = decide(in);
    CHECK(d.outcome == Outcome::not_expected);
    CHECK(counts_as_attendance(d.outcome));
    CHECK_THAT(d.reason, Catch::Contains("alternate"));
    in.prior = {start - minute, Direction::entry};  // and they are "already in" next time
    CHECK(decide(in).outcome == Outcome::already_checked_in);
}

TEST_CASE("unknown, invalid and revoked badges", "[rules]") {
    auto in = base();
    in.credential = {CredentialState::unknown_person, Method::nfc, std::nullopt, std::nullopt, "This card is not registered"};
    CHECK(decide(in).outcome == Outcome::unknown_badge);
    CHECK(decide(in).reason == "This card is not registered");
    in.credential = {CredentialState::invalid, Method::qr, std::nullopt, std::nullopt, "The badge code is incomplete"};
    CHECK(decide(in).outcome == Outcome::invalid_badge);
    CHECK(decide(in).reason == "The badge code is incomplete");
    in.credential = {CredentialState::revoked, Method::qr, 7, 1, ""};
    CHECK(decide(in).outcome == Outcome::revoked_badge);
    CHECK_FALSE(counts_as_attendance(decide(in).outcome));
}

TEST_CASE("outside the check-in window, before it opens and after it closes", "[rules]") {
    auto in = base();
    in.now = start - 61 * minute;
    auto early = decide(in);
    CHECK(early.outcome == Outcome::outside_window);
    CHECK_THAT(early.reason, Catch::Contains("opens at"));
    in.now = start - 60 * minute;
    CHECK(decide(in).outcome == Outcome::checked_in);  // the edge is inside
    in.now = start + 211 * minute;
    auto late = decide(in);
    CHECK(late.outcome == Outcome::outside_window);
    CHECK_THAT(late.reason, Catch::Contains("closed at"));
    in.staff_override = true;  // staff may still check someone in by hand
    CHECK(decide(in).outcome == Outcome::checked_in);
}

TEST_CASE("a room device sends people in another room to theirs", "[rules]") {
    auto in = base();
    in.device.mode = DeviceMode::room;
    in.device.room_id = 3;
    in.at_event = {true, 4, "Room 2"};
    auto d = decide(in);
    CHECK(d.outcome == Outcome::wrong_room);
    CHECK(d.reason == "Your room is Room 2");
    in.at_event.room_id = 3;
    CHECK(decide(in).outcome == Outcome::checked_in);
    in.at_event = {true, std::nullopt, std::nullopt};  // no room allocated: welcome anywhere
    CHECK(decide(in).outcome == Outcome::checked_in);
    in.at_event = {false, std::nullopt, std::nullopt};  // not on the event's list at all
    CHECK(decide(in).outcome == Outcome::not_expected);
}
