#include "muster/checkin/check_in_rules.hpp"
#include "muster/time/uk_time.hpp"

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

TEST_CASE("a kiosk days early or late says the day of the window, not only its time", "[rules]") {
    // Clinic on Wednesday 14 October 2026 (BST), 16:00-18:00: check-in opens at 15:00 and
    // closes at 18:30, local time.
    auto local = [](int d, int h, int m) { return uk_time::from_local({2026, 10, d, h, m, 0}); };
    auto in = base();
    in.session = {10, 1, "Clinic", local(14, 16, 0), local(14, 18, 0), 60, 30};
    in.now = local(12, 9, 0);  // Monday, two days early
    auto early = decide(in);
    CHECK(early.outcome == Outcome::outside_window);
    CHECK(early.reason == "Check-in for Clinic opens on Wed 14 Oct at 15:00");
    in.now = local(13, 23, 59);
    CHECK(decide(in).reason == "Check-in for Clinic opens tomorrow at 15:00");
    in.now = local(14, 0, 1);  // the same day: the time is enough
    CHECK(decide(in).reason == "Check-in for Clinic opens at 15:00");
    in.now = local(14, 20, 0);
    CHECK(decide(in).reason == "Check-in for Clinic closed at 18:30");
    in.now = local(15, 8, 0);
    CHECK(decide(in).reason == "Check-in for Clinic closed yesterday at 18:30");
    in.now = local(21, 8, 0);
    CHECK(decide(in).reason == "Check-in for Clinic closed on Wed 14 Oct at 18:30");
    in.now = uk_time::from_local({2025, 12, 30, 9, 0, 0});  // a clock a year out says the year
    CHECK(decide(in).reason == "Check-in for Clinic opens on Wed 14 Oct 2026 at 15:00");
}

TEST_CASE("local days are counted across the clock change and the year's end", "[rules][time]") {
    // Sunday 25 October 2026 is the autumn change: 00:30 BST on the 25th is still the 25th.
    auto at = uk_time::from_local({2026, 10, 26, 9, 0, 0});
    CHECK(uk_time::format_when(at, uk_time::from_local({2026, 10, 25, 0, 30, 0})) == "tomorrow at 09:00");
    CHECK(uk_time::format_when(at, uk_time::from_local({2026, 10, 24, 23, 30, 0})) == "on Mon 26 Oct at 09:00");
    auto new_year = uk_time::from_local({2027, 1, 1, 10, 0, 0});
    CHECK(uk_time::format_when(new_year, uk_time::from_local({2026, 12, 31, 18, 0, 0})) == "tomorrow at 10:00");
    CHECK(uk_time::format_when(new_year, uk_time::from_local({2026, 12, 29, 18, 0, 0})) == "on Fri 1 Jan 2027 at 10:00");
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
