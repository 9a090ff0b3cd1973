#pragma once
// One participant's attendance record at one event, as it is sent to the central attendance
// records (the hub's CRM and the lead provider; docs/central.md). Made from the event's
// reconciliation when it is signed off (version 1) and again after each amendment that changes
// it (version n+1). The record carries personal data because that is what it is for; it is
// never logged.
#include "muster/model/types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace muster::central {

// One session part of the event as the record states it.
struct RecordPart {
    SessionId session_id = 0;
    std::string name;                    // "Morning"
    TimeMs starts_ms = 0, ends_ms = 0;   // the session's times
    bool attended = false;               // a counted entry in the session (from the scans)
    std::optional<TimeMs> in_ms;         // that entry's time (device clock)
    std::optional<int> minutes_late;
};

// What evidence the hub holds (the lead provider's declaration column).
enum class EvidenceHeld { training_event_attended, caught_up, none };
std::string_view to_string(EvidenceHeld e);        // "training_event_attended", "caught_up", "none"
std::string_view label(EvidenceHeld e);            // "Training event attended", "Caught up", "None"
// present, late, left_early, alternate → attended; caught_up → caught up; absent, excused → none.
EvidenceHeld evidence_held(AttendanceStatus s);

struct CentralRecord {
    std::string record_id;  // a random UUID made with version 1, the same in every version
    int version = 1;
    TimeMs created_ms = 0;  // when this version was made
    std::string cause;      // "sign_off", or the amendment's reason

    // The event.
    EventId event_id = 0;
    std::string event_title, event_date /* YYYY-MM-DD */, venue, programme, course /* the item */;
    int cohort = 0;
    EventKind event_kind = EventKind::conference;
    TimeMs signed_off_ms = 0;

    // The participant.
    ParticipantId participant_id = 0;
    std::string first_name, last_name;
    std::optional<std::string> trn, email, school_name, school_urn, lead_provider, delivery_partner;
    Role role = Role::ect;

    // The attendance.
    AttendanceStatus status = AttendanceStatus::present;
    std::optional<int> minutes_late;     // first session, from the scans
    bool left_early = false;
    std::optional<TimeMs> checked_out_ms;
    std::vector<RecordPart> parts;       // every session of the event, in order
    EvidenceHeld evidence = EvidenceHeld::none;
    std::string evidence_note;           // caught_up: what shows it; alternate: the event attended
    std::optional<std::string> caught_up_on;       // YYYY-MM-DD
    std::optional<EventId> alternate_event_id;     // alternate: the event attended instead
    std::string alternate_event_date;              // and its date ("" when none)
    std::vector<std::string> check_in_uuids;       // the counted scans behind it, oldest first
    std::string reason;                            // the deciding staff mark's reason ("" when none)
};

// The stored and sent form (a JSON object; every field written, optional ones as null).
// parse_central_record reads what to_json wrote and throws std::runtime_error naming the
// field when it cannot.
std::string to_json(const CentralRecord& r);
CentralRecord parse_central_record(std::string_view json);

// Two versions state the same attendance: everything but record_id, version, created_ms and
// cause is equal. An amendment that does not change the record queues nothing.
bool same_content(const CentralRecord& a, const CentralRecord& b);

}  // namespace muster::central
