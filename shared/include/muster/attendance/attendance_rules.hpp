#pragma once
// A participant's attendance status at an event, derived from the scans and corrections
// (principle 4: the status is never stored, always worked out from the facts).
#include "muster/model/types.hpp"

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace muster::attendance {

struct Summary {
    ParticipantId participant_id = 0;
    bool expected = false;
    AttendanceStatus status = AttendanceStatus::absent;
    bool marked_by_staff = false;          // status comes from a staff correction
    std::optional<std::string> mark_reason;
    std::optional<std::string> mark_author;
    std::optional<TimeMs> first_in_ms;
    std::optional<TimeMs> last_out_ms;
    int sessions_attended = 0;
    int sessions_total = 0;
};

// `scans` and `corrections` are those of one participant at `event` (any order).
//  - a staff mark wins (the newest one);
//  - no counted scan: absent if expected (else the person is not listed at all);
//  - scanned but not expected: attended an alternate event (an alternate-date attendance);
//  - expected and scanned: left early if a session was missed after arriving or they
//    checked out before the last session ended; else late if the first entry was after
//    the first session's start plus the event's late threshold; else present.
Summary summarise(const Event& event, ParticipantId participant, bool expected, std::span<const CheckIn> scans,
                  std::span<const Correction> corrections);

// Late for `session`: the first entry came after the session's start plus the event's late
// threshold (event.late_after_min). The whole minutes after the start when late, else
// nullopt. summarise applies it to the first session; the live register to the current one.
std::optional<int> minutes_late(const Event& event, const Session& session, TimeMs first_entry_ms);

// What a status means, in a sentence for staff (`muster help statuses`); how summarise
// derives it, or which staff mark sets it.
std::string_view meaning(AttendanceStatus);

// All participants of an event: every expected person plus anyone with a counted scan.
std::vector<Summary> summarise_event(const Event& event, std::span<const Enrolment> enrolments,
                                     std::span<const CheckIn> scans, std::span<const Correction> corrections);

}  // namespace muster::attendance
