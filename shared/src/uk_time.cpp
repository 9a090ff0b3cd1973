#include "muster/time/uk_time.hpp"

#include <chrono>
#include <cstdio>

namespace muster::uk_time {
namespace {

constexpr TimeMs ms_per_day = 86'400'000;

// Day number of the last Sunday of a month.
std::int64_t last_sunday(int year, int month) {
    int next_month = month == 12 ? 1 : month + 1;
    int next_year = month == 12 ? year + 1 : year;
    std::int64_t last = days_from_civil(next_year, next_month, 1) - 1;
    std::int64_t weekday = (last + 4) % 7;  // 1970-01-01 was a Thursday (4); 0 = Sunday
    if (weekday < 0) weekday += 7;
    return last - weekday;
}

TimeMs floor_div_day(TimeMs t) { return t >= 0 ? t / ms_per_day : -((-t + ms_per_day - 1) / ms_per_day); }

bool parse_int(std::string_view s, int& out) {
    if (s.empty()) return false;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

}  // namespace

std::int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153u * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

LocalDateTime civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    LocalDateTime out;
    out.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    out.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    out.year = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (out.month <= 2));
    return out;
}

int offset_minutes(TimeMs utc) {
    int year = civil_from_days(floor_div_day(utc)).year;
    TimeMs bst_start = last_sunday(year, 3) * ms_per_day + 3'600'000;   // 01:00 UTC
    TimeMs bst_end = last_sunday(year, 10) * ms_per_day + 3'600'000;    // 01:00 UTC
    return utc >= bst_start && utc < bst_end ? 60 : 0;
}

LocalDateTime to_local(TimeMs utc) {
    TimeMs local = utc + offset_minutes(utc) * 60'000LL;
    std::int64_t days = floor_div_day(local);
    TimeMs in_day = local - days * ms_per_day;
    LocalDateTime out = civil_from_days(days);
    out.hour = static_cast<int>(in_day / 3'600'000);
    out.minute = static_cast<int>(in_day / 60'000 % 60);
    out.second = static_cast<int>(in_day / 1000 % 60);
    return out;
}

TimeMs from_local(const LocalDateTime& l) {
    TimeMs naive = days_from_civil(l.year, l.month, l.day) * ms_per_day +
                   ((l.hour * 60LL + l.minute) * 60 + l.second) * 1000;
    // Try BST first (that picks the first of two in the autumn overlap).
    TimeMs as_bst = naive - 3'600'000;
    if (offset_minutes(as_bst) == 60) return as_bst;
    TimeMs as_gmt = naive;
    if (offset_minutes(as_gmt) == 0) return as_gmt;
    // In the spring gap neither reading is consistent: keep GMT, which lands an hour later.
    return as_gmt;
}

std::optional<LocalDateTime> parse_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    LocalDateTime d;
    if (!parse_int(s.substr(0, 4), d.year) || !parse_int(s.substr(5, 2), d.month) || !parse_int(s.substr(8, 2), d.day))
        return std::nullopt;
    if (d.month < 1 || d.month > 12 || d.day < 1) return std::nullopt;
    auto back = civil_from_days(days_from_civil(d.year, d.month, d.day));
    if (back.day != d.day || back.month != d.month) return std::nullopt;  // 31 June etc.
    return d;
}

std::optional<LocalDateTime> parse_time_on(const LocalDateTime& date, std::string_view s) {
    auto colon = s.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    LocalDateTime t = date;
    if (!parse_int(s.substr(0, colon), t.hour) || !parse_int(s.substr(colon + 1), t.minute)) return std::nullopt;
    if (t.hour > 23 || t.minute > 59 || colon == 0 || s.size() - colon - 1 != 2) return std::nullopt;
    t.second = 0;
    return t;
}

std::string format_hhmm(TimeMs utc) {
    auto l = to_local(utc);
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", l.hour % 100, l.minute % 100);
    return buf;
}

std::string format_date(TimeMs utc) {
    auto l = to_local(utc);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", l.year % 10000, l.month % 100, l.day % 100);
    return buf;
}

std::string format_local(TimeMs utc) { return format_date(utc) + " " + format_hhmm(utc); }

std::string format_when(TimeMs at, TimeMs now) {
    static constexpr const char* weekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    auto a = to_local(at), n = to_local(now);
    std::int64_t day = days_from_civil(a.year, a.month, a.day);
    std::int64_t apart = day - days_from_civil(n.year, n.month, n.day);
    std::string time = "at " + format_hhmm(at);
    if (apart == 0) return time;
    if (apart == 1) return "tomorrow " + time;
    if (apart == -1) return "yesterday " + time;
    auto weekday = static_cast<std::size_t>(((day % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
    std::string date = std::string(weekdays[weekday]) + " " + std::to_string(a.day) + " " +
                       months[static_cast<std::size_t>((a.month + 11) % 12)];
    if (a.year != n.year) date += " " + std::to_string(a.year);
    return "on " + date + " " + time;
}

std::string format_iso_utc(TimeMs utc) {
    std::int64_t days = floor_div_day(utc);
    TimeMs in_day = utc - days * ms_per_day;
    auto d = civil_from_days(days);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", d.year % 10000, d.month % 100, d.day % 100,
                  static_cast<int>(in_day / 3'600'000), static_cast<int>(in_day / 60'000 % 60),
                  static_cast<int>(in_day / 1000 % 60), static_cast<int>(in_day % 1000));
    return buf;
}

TimeMs now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace muster::uk_time
