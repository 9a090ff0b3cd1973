#pragma once
// Facilitators' delivered sessions (issue 13, docs/facilitators.md): what a hub pays a
// facilitator's school for. A facilitator delivered a session part of a held, not cancelled
// event when they are listed as a facilitator of a room there (room_facilitators) or have the
// facilitator role and were expected there, and either
//  - a counted entry scan of theirs falls in that session (they check in at their room's
//    device like everyone else), or
//  - a hub-made mark says present / late / left_early for the event (staff marked them):
//    every session of the event counts, the evidence says "staff mark".
// Voided scans do not count; a hub mark of absent or excused removes the event's parts.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace muster::attendance {

struct DeliveredSession {
    EventId event_id = 0;
    std::string local_date;  // YYYY-MM-DD
    std::string event_title, programme, item;
    std::string room_name;   // "" when they are not listed for a room
    SessionId session_id = 0;
    std::string part;        // the session's name ("Morning")
    TimeMs starts_ms = 0, ends_ms = 0;
    std::string evidence;    // "scan" or "staff mark"
    bool lead = false;       // the room's lead facilitator
    bool signed_off = false; // the event is signed off (the figure will not change without an amendment)
};

struct FacilitatorSessions {
    ParticipantId participant_id = 0;
    std::string full_name;  // staff pages and files, not public screens
    std::string school_name, school_urn;
    std::vector<DeliveredSession> sessions;  // by date, then session start
};

struct FacilitatorReportQuery {
    std::optional<std::string> from, to;       // YYYY-MM-DD inclusive (UK dates)
    std::optional<std::string> school_urn;     // one school's facilitators
    std::optional<ParticipantId> facilitator;  // one person
};

// Facilitators by school name, then last and first name; one read transaction.
std::vector<FacilitatorSessions> facilitator_report(db::Database& db, const FacilitatorReportQuery& q, TimeMs now);

// The report as a spreadsheet (csv_writer: BOM, CRLF, formula-safe, URN as text): one row per
// delivered session, columns facilitator, school, school URN, date, event, programme, item,
// room, part, starts, ends (UK local HH:MM), evidence, lead, signed off.
std::string facilitator_report_csv(const std::vector<FacilitatorSessions>& report);

}  // namespace muster::attendance
