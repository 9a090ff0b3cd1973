#pragma once
// UK civil time (Europe/London) without a time-zone database: GMT in winter, BST (UTC+1)
// from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October,
// the rule in force since 1996. Times are stored in UTC; these convert for people.
#include "muster/model/types.hpp"

#include <optional>
#include <string>

namespace muster::uk_time {

struct LocalDateTime {
    int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

// Offset of UK local time from UTC at that instant, in minutes (0 or 60).
int offset_minutes(TimeMs utc);
LocalDateTime to_local(TimeMs utc);
// Local wall time to UTC. In the spring-forward gap (01:00-02:00 on the March change day)
// the time does not exist: it is read as BST-less GMT, i.e. moved an hour later, as a
// clock would show. In the autumn overlap (01:00-02:00 twice) the first (BST) is taken.
TimeMs from_local(const LocalDateTime& local);

// "2025-10-14" -> y/m/d; nullopt if not a real date.
std::optional<LocalDateTime> parse_date(std::string_view yyyy_mm_dd);
// "09:30" -> h/m on top of `date`.
std::optional<LocalDateTime> parse_time_on(const LocalDateTime& date, std::string_view hh_mm);

std::string format_hhmm(TimeMs utc);             // "09:02" local
std::string format_date(TimeMs utc);             // "2025-10-14" local
std::string format_local(TimeMs utc);            // "2025-10-14 09:02" local
std::string format_iso_utc(TimeMs utc);          // "2025-10-14T08:02:00.000Z"
// When `at` is, said from `now` in UK local days: "at 15:00" the same day, "tomorrow at
// 15:00", "yesterday at 15:00", else "on Wed 14 Oct at 15:00" ("on Wed 14 Oct 2026 at 15:00"
// in another year). For a kiosk days early or late, where a bare time misleads.
std::string format_when(TimeMs at, TimeMs now);

// Days since 1970-01-01 for a civil date (proleptic Gregorian), and back.
std::int64_t days_from_civil(int y, int m, int d);
LocalDateTime civil_from_days(std::int64_t days);

TimeMs now_ms();

}  // namespace muster::uk_time
