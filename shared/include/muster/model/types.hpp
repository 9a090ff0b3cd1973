#pragma once
// The domain model: who attends what, and what a scan recorded. Plain data, no I/O.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace muster {

using ParticipantId = std::int64_t;
using EventId = std::int64_t;
using SessionId = std::int64_t;
using RoomId = std::int64_t;
using TimeMs = std::int64_t;  // UTC milliseconds since the Unix epoch

enum class Role { ect, mentor, induction_tutor, facilitator, npq, hub_staff, guest };
enum class EventKind { conference, clinic, mentor_conference, mentor_clinic, coaching_on_coaching, npq_event, orientation, other };
enum class Direction { entry, exit };
enum class Method { qr, nfc, manual };
enum class DeviceMode { entrance, room };

// What a scan meant. Stored as text in check_ins.outcome.
enum class Outcome {
    checked_in,          // entry recorded
    checked_out,         // exit recorded
    already_checked_in,  // a repeat scan; recorded, counts nothing new
    not_expected,        // not on this event's list: recorded, flagged (alternate date?)
    unknown_badge,       // a valid badge for someone this device does not know
    invalid_badge,       // not a Muster badge, or forged / altered / truncated
    revoked_badge,       // a badge that was reported lost and replaced
    outside_window,      // the session's check-in window is not open
    wrong_room,          // room device: expected at this event, but in another room
};

// Attendance status of a participant at an event (derived; or set by hub staff).
enum class AttendanceStatus { present, late, left_early, absent, excused, caught_up, alternate };

// "Will this activity help you improve your practice?" at check-out (issue 13).
enum class SatisfactionAnswerKind { agree, not_sure, disagree };
std::string_view to_string(SatisfactionAnswerKind);  // "agree", "not_sure", "disagree"
std::string_view label(SatisfactionAnswerKind);      // "Agree", "Not sure", "Disagree"
std::optional<SatisfactionAnswerKind> parse_satisfaction_answer(std::string_view);

std::string_view to_string(Role);
std::string_view to_string(EventKind);
std::string_view to_string(Direction);
std::string_view to_string(Method);
std::string_view to_string(DeviceMode);
std::string_view to_string(Outcome);
std::string_view to_string(AttendanceStatus);
// Human words for screens and exports ("Early career teacher", "Late").
std::string_view label(Role);
std::string_view label(AttendanceStatus);

std::optional<Role> parse_role(std::string_view);  // accepts codes and common spellings
std::optional<EventKind> parse_event_kind(std::string_view);
std::optional<Direction> parse_direction(std::string_view);
std::optional<Method> parse_method(std::string_view);
std::optional<DeviceMode> parse_device_mode(std::string_view);
std::optional<Outcome> parse_outcome(std::string_view);
// Every outcome, in declaration order (for building lists from a rule, e.g. SQL).
std::span<const Outcome> all_outcomes();
// Every role and every attendance status, in declaration order (for help and exports'
// descriptions generated from these tables), and the other spellings parse_role accepts.
std::span<const Role> all_roles();
std::span<const AttendanceStatus> all_attendance_statuses();
std::vector<std::string_view> role_spellings(Role);
std::optional<AttendanceStatus> parse_attendance_status(std::string_view);

struct Participant {
    ParticipantId id = 0;
    std::optional<std::string> trn;  // 7 digits
    std::optional<std::string> email;
    std::string first_name;
    std::string last_name;
    std::optional<std::string> preferred_name;
    std::optional<std::string> school_name;
    std::optional<std::string> school_urn;  // 6 digits
    Role role = Role::ect;
    std::optional<std::string> programme;
    std::optional<int> cohort;
    std::optional<int> programme_year;
    bool part_time = false;
    std::optional<std::string> lead_provider;
    std::optional<std::string> delivery_partner;

    // What a public screen may show: "Siân O." (preferred first name and an initial).
    std::string public_name() const;
    std::string full_name() const;
};

struct Session {
    SessionId id = 0;
    EventId event_id = 0;
    std::string name;
    TimeMs starts_ms = 0;
    TimeMs ends_ms = 0;
    int opens_before_min = 60;
    int closes_after_min = 30;
    TimeMs window_opens_ms() const { return starts_ms - opens_before_min * 60'000LL; }
    TimeMs window_closes_ms() const { return ends_ms + closes_after_min * 60'000LL; }
};

struct Room {
    RoomId id = 0;
    EventId event_id = 0;
    std::string name;
};

struct Event {
    EventId id = 0;
    std::string programme;
    std::string item;
    int cohort = 0;
    EventKind kind = EventKind::conference;
    std::string title;
    std::string venue;
    std::string local_date;  // YYYY-MM-DD
    int late_after_min = 10;
    std::vector<Session> sessions;
    std::vector<Room> rooms;
};

struct Enrolment {
    EventId event_id = 0;
    ParticipantId participant_id = 0;
    std::optional<RoomId> room_id;
};

// One scan as the device recorded it. Never updated once written.
struct CheckIn {
    std::string uuid;  // made on the device
    std::string device_id;
    std::int64_t device_seq = 0;
    std::optional<ParticipantId> participant_id;
    EventId event_id = 0;
    std::optional<SessionId> session_id;
    std::optional<RoomId> room_id;
    Direction direction = Direction::entry;
    Method method = Method::qr;
    Outcome outcome = Outcome::checked_in;
    std::string reason;
    std::optional<std::int64_t> badge_serial;
    TimeMs device_ms = 0;
    int device_offset_min = 0;
    std::optional<std::string> staff;
};

enum class CorrectionKind { void_scan, mark };

// A correction: a void of a scan, or an attendance status set by staff, with who and why.
struct Correction {
    std::string uuid;
    CorrectionKind kind = CorrectionKind::mark;
    std::optional<std::string> target_uuid;
    std::optional<ParticipantId> participant_id;
    EventId event_id = 0;
    std::optional<SessionId> session_id;
    std::optional<AttendanceStatus> status;
    std::string reason;
    std::string author;
    std::optional<std::string> device_id;
    TimeMs created_ms = 0;
};

// Does this outcome count as being there?
constexpr bool counts_as_attendance(Outcome o) {
    return o == Outcome::checked_in || o == Outcome::checked_out || o == Outcome::not_expected;
}

}  // namespace muster
