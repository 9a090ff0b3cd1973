#include "muster/attendance/attendance_rules.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

namespace muster::attendance {

std::optional<int> minutes_late(const Event& event, const Session& session, TimeMs first_entry_ms) {
    if (first_entry_ms <= session.starts_ms + event.late_after_min * 60'000LL) return std::nullopt;
    return static_cast<int>((first_entry_ms - session.starts_ms) / 60'000);
}

Summary summarise(const Event& event, ParticipantId participant, bool expected, std::span<const CheckIn> scans,
                  std::span<const Correction> corrections) {
    Summary s;
    s.participant_id = participant;
    s.expected = expected;
    s.sessions_total = static_cast<int>(event.sessions.size());

    std::unordered_set<std::string> voided;
    const Correction* mark = nullptr;
    for (const auto& c : corrections)
        if (c.kind == CorrectionKind::void_scan && c.target_uuid) voided.insert(*c.target_uuid);
    // A void may target a mark too (a facilitator's undo, docs/register.md): an undone mark
    // counts as never made.
    for (const auto& c : corrections)
        if (c.kind == CorrectionKind::mark && c.status && !voided.count(c.uuid) &&
            (!mark || c.created_ms >= mark->created_ms))
            mark = &c;

    std::set<SessionId> attended;
    bool left_before_end = false;
    for (const auto& scan : scans) {
        if (!counts_as_attendance(scan.outcome) || voided.count(scan.uuid)) continue;
        if (scan.session_id) attended.insert(*scan.session_id);
        if (scan.direction == Direction::entry) {
            if (!s.first_in_ms || scan.device_ms < *s.first_in_ms) s.first_in_ms = scan.device_ms;
        } else if (!s.last_out_ms || scan.device_ms > *s.last_out_ms) {
            s.last_out_ms = scan.device_ms;
        }
    }
    s.sessions_attended = static_cast<int>(attended.size());

    if (mark) {
        s.status = *mark->status;
        s.marked_by_staff = true;
        s.mark_reason = mark->reason;
        s.mark_author = mark->author;
        return s;
    }
    if (attended.empty() && !s.first_in_ms && !s.last_out_ms) {
        s.status = AttendanceStatus::absent;
        return s;
    }
    if (!expected) {
        s.status = AttendanceStatus::alternate;
        return s;
    }
    if (!event.sessions.empty()) {
        // Missed a session after the first one they came to (e.g. morning only).
        bool arrived = false;
        for (const auto& session : event.sessions) {
            bool here = attended.count(session.id) > 0;
            if (here) arrived = true;
            else if (arrived) left_before_end = true;
        }
        const Session& last = event.sessions.back();
        if (s.last_out_ms && *s.last_out_ms < last.ends_ms - event.late_after_min * 60'000LL &&
            (!s.first_in_ms || *s.last_out_ms >= *s.first_in_ms))
            left_before_end = true;
    }
    if (left_before_end) {
        s.status = AttendanceStatus::left_early;
        return s;
    }
    if (!event.sessions.empty() && s.first_in_ms && minutes_late(event, event.sessions.front(), *s.first_in_ms)) {
        s.status = AttendanceStatus::late;
        return s;
    }
    s.status = AttendanceStatus::present;
    return s;
}

std::vector<Summary> summarise_event(const Event& event, std::span<const Enrolment> enrolments,
                                     std::span<const CheckIn> scans, std::span<const Correction> corrections) {
    std::map<ParticipantId, std::pair<std::vector<CheckIn>, std::vector<Correction>>> by_person;
    std::set<ParticipantId> expected;
    for (const auto& e : enrolments) {
        expected.insert(e.participant_id);
        by_person[e.participant_id];
    }
    for (const auto& scan : scans)
        if (scan.participant_id && counts_as_attendance(scan.outcome)) by_person[*scan.participant_id].first.push_back(scan);
    for (const auto& c : corrections)
        if (c.participant_id) by_person[*c.participant_id].second.push_back(c);

    std::vector<Summary> out;
    for (auto& [pid, facts] : by_person) {
        bool is_expected = expected.count(pid) > 0;
        auto summary = summarise(event, pid, is_expected, facts.first, facts.second);
        // Someone neither expected nor seen (only a void of a scan, say) is not listed.
        if (!is_expected && summary.status == AttendanceStatus::absent && !summary.marked_by_staff) continue;
        out.push_back(std::move(summary));
    }
    return out;
}

std::string_view meaning(AttendanceStatus status) {
    switch (status) {
        case AttendanceStatus::present: return "expected, arrived on time and stayed";
        case AttendanceStatus::late: return "expected, first entry after the first session's start plus the late threshold";
        case AttendanceStatus::left_early: return "expected, missed a session after arriving or checked out before the end";
        case AttendanceStatus::absent: return "expected, no counted scan";
        case AttendanceStatus::excused: return "staff mark: absence excused";
        case AttendanceStatus::caught_up: return "staff mark: caught up by the recording";
        case AttendanceStatus::alternate: return "scanned without being expected here (an alternate-date attendance), or staff mark";
    }
    return "?";
}

}  // namespace muster::attendance
