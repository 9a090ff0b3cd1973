#include "muster/time/uk_time.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using uk_time::LocalDateTime;

namespace {
TimeMs utc(int y, int mo, int d, int h, int mi) {
    return uk_time::days_from_civil(y, mo, d) * 86'400'000LL + (h * 60LL + mi) * 60'000LL;
}
}  // namespace

TEST_CASE("UK offset follows the last-Sunday rule across both clock changes", "[time]") {
    // 2025: BST from 30 March 01:00 UTC to 26 October 01:00 UTC.
    CHECK(uk_time::offset_minutes(utc(2025, 3, 30, 0, 59)) == 0);
    CHECK(uk_time::offset_minutes(utc(2025, 3, 30, 1, 0)) == 60);
    CHECK(uk_time::offset_minutes(utc(2025, 10, 26, 0, 59)) == 60);
    CHECK(uk_time::offset_minutes(utc(2025, 10, 26, 1, 0)) == 0);
    CHECK(uk_time::offset_minutes(utc(2026, 1, 15, 12, 0)) == 0);
    CHECK(uk_time::offset_minutes(utc(2026, 7, 15, 12, 0)) == 60);
    // 2026: 29 March and 25 October.
    CHECK(uk_time::offset_minutes(utc(2026, 3, 29, 1, 0)) == 60);
    CHECK(uk_time::offset_minutes(utc(2026, 10, 25, 1, 0)) == 0);
}

TEST_CASE("UTC instants are shown in UK local time", "[time]") {
    CHECK(uk_time::format_hhmm(utc(2025, 10, 14, 8, 2)) == "09:02");  // BST
    CHECK(uk_time::format_hhmm(utc(2025, 11, 14, 9, 2)) == "09:02");  // GMT
    CHECK(uk_time::format_local(utc(2025, 12, 31, 23, 30)) == "2025-12-31 23:30");
    CHECK(uk_time::format_local(utc(2025, 6, 30, 23, 30)) == "2025-07-01 00:30");
    CHECK(uk_time::format_iso_utc(utc(2025, 10, 14, 8, 2) + 5) == "2025-10-14T08:02:00.005Z");
}

TEST_CASE("local times convert to UTC, including the gap and the overlap", "[time]") {
    auto d = *uk_time::parse_date("2025-10-14");
    CHECK(uk_time::from_local(*uk_time::parse_time_on(d, "09:30")) == utc(2025, 10, 14, 8, 30));
    auto winter = *uk_time::parse_date("2025-11-14");
    CHECK(uk_time::from_local(*uk_time::parse_time_on(winter, "09:30")) == utc(2025, 11, 14, 9, 30));
    // 01:30 on 30 March 2025 does not exist; read an hour later, as a clock shows it.
    auto spring = *uk_time::parse_date("2025-03-30");
    CHECK(uk_time::from_local(*uk_time::parse_time_on(spring, "01:30")) == utc(2025, 3, 30, 1, 30));
    CHECK(uk_time::format_hhmm(utc(2025, 3, 30, 1, 30)) == "02:30");
    // 01:30 on 26 October 2025 happens twice; the first (BST) is taken.
    auto autumn = *uk_time::parse_date("2025-10-26");
    CHECK(uk_time::from_local(*uk_time::parse_time_on(autumn, "01:30")) == utc(2025, 10, 26, 0, 30));
    // A session across the change keeps its real length: 00:30-03:30 local is 4 hours.
    TimeMs a = uk_time::from_local(*uk_time::parse_time_on(autumn, "00:30"));
    TimeMs b = uk_time::from_local(*uk_time::parse_time_on(autumn, "03:30"));
    CHECK(b - a == 4 * 3'600'000LL);
}

TEST_CASE("dates and times are validated", "[time]") {
    CHECK(uk_time::parse_date("2025-02-29") == std::nullopt);
    CHECK(uk_time::parse_date("2024-02-29").has_value());
    CHECK(uk_time::parse_date("2025-13-01") == std::nullopt);
    CHECK(uk_time::parse_date("14/10/2025") == std::nullopt);
    auto d = *uk_time::parse_date("2025-10-14");
    CHECK(uk_time::parse_time_on(d, "24:00") == std::nullopt);
    CHECK(uk_time::parse_time_on(d, "9:5") == std::nullopt);
    CHECK(uk_time::parse_time_on(d, "09:05").has_value());
}
