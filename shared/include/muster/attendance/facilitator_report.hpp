#pragma once
// Facilitators' delivered sessions (issue 13, docs/facilitators.md): what a hub pays a
// facilitator's school for. A facilitator delivered a session part of a held, not cancelled
// event when they are listed as a facilitator of a room there (room_facilitators) or have the
// facilitator role and were expected there, and either
//  - a counted entry scan of theirs, not voided, was made in that session (they check in at
//    their room's device like everyone else): evidence "scan"; an exit alone does not count
//    (a check-out at lunch falls in the afternoon's window and would pay for it); or
//  - a hub-made mark (the staff pages or the hub's terminal: no device, no register tablet)
//    decides their status at the event (the newest un-voided hub mark, as summarise picks):
//      present / late: every session of the event, evidence "scan" where a counted entry
//        is in it, else "staff mark";
//      left_early: the sessions with a counted entry; with none, the first session
//        ("staff mark"): they came and left before the end, and more is not known;
//      absent / excused / caught_up / alternate: none of the event's sessions, whatever
//        the scans say (hub staff decided they did not deliver it here).
// Marks from a register tablet or a device do not count: the tablet is run by facilitators,
// who would otherwise mark their own pay. Hub staff settle such a case with a mark of their own.
#include "muster/attendance/attendance_export.hpp"  // ExportColumn
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <optional>
#include <span>
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
    std::string school_name, school_urn;  // the name most of the school's facilitators give; "" without a URN
    std::vector<DeliveredSession> sessions;  // by date, then session start
};

struct FacilitatorReportQuery {
    std::optional<std::string> from, to;       // YYYY-MM-DD inclusive (UK dates)
    std::optional<std::string> school_urn;     // one school's facilitators
    std::optional<ParticipantId> facilitator;  // one person
};

// What is wrong with the query, in words naming the field ("from: not a date, YYYY-MM-DD"),
// or nullopt when the report can be made from it. Callers check before facilitator_report.
std::optional<std::string> query_problem(const FacilitatorReportQuery& q);

// Facilitators with at least one delivered session, by school name (those without a school
// last), then last and first name; one read transaction.
std::vector<FacilitatorSessions> facilitator_report(db::Database& db, const FacilitatorReportQuery& q, TimeMs now);

// The CSV's columns, in order (`muster help facilitator-columns`).
std::span<const ExportColumn> facilitator_report_columns();

// The report as a spreadsheet (csv_writer: BOM, CRLF, formula-safe, URN as text): one row per
// delivered session, columns facilitator_id, facilitator, school_urn, school, date, event_id,
// event, programme, item, room, part, starts, ends (UK local HH:MM), evidence, lead, signed_off.
std::string facilitator_report_csv(const std::vector<FacilitatorSessions>& report);

}  // namespace muster::attendance
