// The per-school report's counts and the non-attendance notice's words (pure).
#include "muster/attendance/school_report.hpp"

#include "muster/time/uk_time.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace muster::attendance {

bool reported_to_school(Role r) { return r == Role::ect || r == Role::mentor; }

SchoolCounts count(const SchoolEventReport& report) {
    SchoolCounts c;
    c.urn = report.urn;
    c.school_name = report.school_name;
    for (const auto& p : report.people) {
        if (p.progress && p.progress->at_risk) ++c.at_risk;
        if (!p.summary.expected) {
            ++c.unexpected;
            continue;
        }
        ++c.expected;
        switch (p.summary.status) {
            case AttendanceStatus::present: ++c.present; break;
            case AttendanceStatus::late: ++c.late; break;
            case AttendanceStatus::left_early: ++c.left_early; break;
            case AttendanceStatus::absent: ++c.absent; break;
            case AttendanceStatus::excused: ++c.excused; break;
            case AttendanceStatus::caught_up: ++c.caught_up; break;
            case AttendanceStatus::alternate: ++c.alternate; break;
        }
    }
    if (report.held) c.to_tell = c.absent + c.left_early + c.late + c.excused;
    return c;
}

namespace {

// What a notice says of a status; the others (present, caught up, attended another date)
// need nothing from the school.
bool told_in_notice(AttendanceStatus s) {
    return s == AttendanceStatus::absent || s == AttendanceStatus::left_early || s == AttendanceStatus::late ||
           s == AttendanceStatus::excused;
}

std::string role_words(Role r) { return r == Role::mentor ? "mentor" : "ECT"; }

std::string status_words(AttendanceStatus s) {
    switch (s) {
        case AttendanceStatus::absent: return "absent";
        case AttendanceStatus::left_early: return "left early";
        case AttendanceStatus::late: return "arrived late";
        case AttendanceStatus::excused: return "excused";
        default: return std::string(label(s));
    }
}

// "A", "A and B", "A, B and C".
std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
        out += names[i];
    }
    return out;
}

std::string date_of(TimeMs ms) { return long_date(uk_time::format_date(ms)); }

}  // namespace

std::string long_date(std::string_view yyyy_mm_dd) {
    auto d = uk_time::parse_date(yyyy_mm_dd);
    if (!d) return std::string(yyyy_mm_dd);
    static constexpr std::array<const char*, 7> days{"Thursday", "Friday", "Saturday", "Sunday",
                                                     "Monday",   "Tuesday", "Wednesday"};  // day 0 is 1970-01-01, a Thursday
    static constexpr std::array<const char*, 12> months{"January", "February", "March",     "April",   "May",      "June",
                                                        "July",    "August",   "September", "October", "November", "December"};
    auto n = uk_time::days_from_civil(d->year, d->month, d->day);
    auto weekday = static_cast<std::size_t>(((n % 7) + 7) % 7);
    return std::string(days[weekday]) + " " + std::to_string(d->day) + " " + months[static_cast<std::size_t>(d->month - 1)] +
           " " + std::to_string(d->year);
}

std::string text_version(std::string_view text) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    if (EVP_Digest(text.data(), text.size(), md.data(), &len, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 0xF];
    }
    return out;
}

NoticeDraft draft_notice(const SchoolEventReport& report, std::span<const ToldBefore> told, std::string_view hub_name) {
    NoticeDraft d;
    d.event_id = report.event.id;
    d.urn = report.urn;
    d.school_name = report.school_name;
    std::vector<std::string> tutors;
    for (const auto& t : report.induction_tutors) tutors.push_back(t.full_name());
    d.addressed_to = tutors.empty() ? "the induction tutor" : joined(tutors);
    d.held = report.held;
    if (!report.held) return d;  // nothing to tell before the event is over

    // The newest earlier notice about each person decides what they were last told.
    auto last_told = [&](ParticipantId id) -> const ToldBefore* {
        const ToldBefore* found = nullptr;
        for (const auto& t : told)
            if (t.participant_id == id && (!found || t.sent_ms >= found->sent_ms)) found = &t;
        return found;
    };
    for (const auto& p : report.people) {
        if (!p.summary.expected || !told_in_notice(p.summary.status)) continue;
        const ToldBefore* before = last_told(p.participant.id);
        if (before && before->status == p.summary.status) {
            d.left_out.push_back(*before);
            continue;
        }
        NoticeLine line{p.participant.id, p.participant.full_name(), p.participant.role, p.summary.status, std::nullopt};
        if (before) line.previously = before->status;
        d.lines.push_back(std::move(line));
    }
    if (d.lines.empty()) return d;

    auto person = [&](ParticipantId id) -> const SchoolPerson* {
        for (const auto& p : report.people)
            if (p.participant.id == id) return &p;
        return nullptr;
    };
    auto update = [](const NoticeLine& l) {
        return l.previously ? " (an update: our earlier notice said " + status_words(*l.previously) + ")" : std::string();
    };
    const std::string when = long_date(report.event.local_date);
    std::string t;
    t += "To " + d.addressed_to + ", induction tutor at " +
         (report.school_name.empty() ? "URN " + report.urn : report.school_name + " (URN " + report.urn + ")") + "\n\n";
    t += "Dear " + (tutors.empty() ? std::string("induction tutor") : joined(tutors)) + ",\n\n";
    t += "Attendance at " + report.event.title + " on " + when +
         (report.event.venue.empty() ? std::string() : " at " + report.event.venue) + "\n\n";
    t += "We are writing about your school's early career teachers (ECTs) and mentors who were expected at this "
         "event.\n";

    auto section = [&](std::string heading, auto wanted, auto detail) {
        std::string body;
        for (const auto& l : d.lines)
            if (wanted(l.status)) body += "- " + l.name + " (" + role_words(l.role) + ")" + detail(l) + update(l) + "\n";
        if (!body.empty()) t += "\n" + heading + "\n" + body;
    };
    section(
        "Did not attend the whole event:",
        [](AttendanceStatus s) { return s == AttendanceStatus::absent || s == AttendanceStatus::left_early; },
        [&](const NoticeLine& l) -> std::string {
            if (l.status == AttendanceStatus::absent) return ": absent";
            std::string s = ": left early";
            const SchoolPerson* p = person(l.participant_id);
            if (p && !p->missed_sessions.empty()) s += ", missed " + joined(p->missed_sessions);
            else if (p && p->summary.last_out_ms) s += ", checked out at " + uk_time::format_hhmm(*p->summary.last_out_ms);
            return s;
        });
    section(
        "Arrived late:", [](AttendanceStatus s) { return s == AttendanceStatus::late; },
        [&](const NoticeLine& l) -> std::string {
            const SchoolPerson* p = person(l.participant_id);
            if (p && p->minutes_late) return ": " + std::to_string(*p->minutes_late) + " minutes late";
            return ": late";
        });
    section(
        "Excused (not counted as missing):", [](AttendanceStatus s) { return s == AttendanceStatus::excused; },
        [](const NoticeLine&) -> std::string {
            return ": absence excused; the event's recording and activities still need to be caught up";
        });
    if (!d.left_out.empty()) {
        std::vector<std::string> names;
        TimeMs latest = 0;
        for (const auto& l : d.left_out) {
            if (const SchoolPerson* p = person(l.participant_id)) names.push_back(p->participant.full_name());
            latest = std::max(latest, l.sent_ms);
        }
        t += "\nAlready told in our notice of " + date_of(latest) + ", and not repeated here: " + joined(names) + ".\n";
    }
    t += "\nA missed event can be made up by attending an alternate date, or, where the absence was for "
         "exceptional reasons, by watching the recording and completing its activities. Please let us know "
         "when that is done so that the attendance record can be updated.\n\n";
    t += "Kind regards,\n" + (hub_name.empty() ? std::string("The teaching school hub") : std::string(hub_name)) + "\n";
    d.text = std::move(t);
    d.version = text_version(d.text);
    return d;
}

}  // namespace muster::attendance
