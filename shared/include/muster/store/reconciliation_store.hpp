#pragma once
// Reconciliation by hub staff after an event (docs/reconciliation.md, issue 12): every
// expected participant's attendance as the facts say it, settled by staff corrections, the
// event signed off, later changes made as flagged amendments, and the event's audit log.
//
// Statuses stay derived (attendance_rules.hpp): a staff decision is an append-only correction
// (kind 'mark' with a status, or 'void' of a scan or of an earlier mark), with who, when and
// why; nothing is updated or deleted. Every correction written here takes the next change
// number as its sync_seq, so it reaches the event's devices through GET /v1/changes.
#include "muster/attendance/attendance_rules.hpp"
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"
#include "muster/store/staff_store.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace muster::store {

// Who makes a correction or a sign-off: a staff account on the staff pages, or the hub's
// terminal (`muster attendance mark --author NAME`, staff_id nullopt).
struct CorrectionAuthor {
    std::optional<StaffId> staff_id;
    std::string name;  // shown in histories and the audit log; 1..80 characters, trimmed
};

// ---- what the page shows ----

// Where a correction came from.
enum class CorrectionSource { hub, tablet, device };  // staff pages / CLI, a register link, a kiosk
std::string_view to_string(CorrectionSource s);

// One scan in a person's history (the facts, voided ones included and flagged).
struct ScanFact {
    std::string uuid;
    TimeMs at_ms = 0;  // device clock
    Direction direction = Direction::entry;
    Outcome outcome = Outcome::checked_in;
    Method method = Method::qr;
    std::optional<SessionId> session_id;
    std::optional<RoomId> room_id;
    std::string device_name;  // the device's name (its id when it has none)
    bool voided = false;
};

// One correction in a person's history (voided ones included and flagged).
struct CorrectionFact {
    std::string uuid;
    CorrectionKind kind = CorrectionKind::mark;
    std::optional<AttendanceStatus> status;  // marks
    std::optional<std::string> target_uuid;  // voids: the scan or mark voided
    std::string reason, note, author;
    CorrectionSource source = CorrectionSource::hub;
    TimeMs at_ms = 0;
    std::optional<std::string> amendment_reason;  // set: made after the event's sign-off
    std::optional<EventId> linked_event_id;       // alternate: the event attended instead
    std::optional<std::string> caught_up_on;      // caught_up: YYYY-MM-DD
    std::optional<std::string> evidence;          // caught_up: what shows it
    bool voided = false;
};

// One session part of a row: what the scans say for that session.
struct PartCell {
    SessionId session_id = 0;
    std::string name;                 // "Morning"
    std::optional<TimeMs> in_ms;      // first counted entry in the session
    std::optional<int> minutes_late;  // attendance::minutes_late for that entry
    bool attended = false;
};

struct ReconcileRow {
    ParticipantId participant_id = 0;
    std::string full_name;  // staff pages are not public screens: the full name
    std::string school_name, school_urn;
    Role role = Role::ect;
    std::optional<RoomId> room_id;
    std::string room_name;
    std::vector<PartCell> parts;          // one per session of the event, in order
    std::optional<TimeMs> checked_out_ms;  // last counted exit (the check-out column)
    attendance::Summary summary;           // the derived status (a staff mark wins)
    std::optional<int> minutes_late;       // first session, from the scans
    bool left_early = false;               // derived from the scans (whatever a mark says)
    // No hub-made mark decides the status and the derived status is not `present`: a row
    // staff still have to settle. (A tablet's mark does not settle a row; staff confirm it.)
    bool unsettled = false;
    std::optional<EventId> alternate_event_id;  // an `alternate` mark: the event attended
    // The history's size and whether any of it was made after sign-off: always set, so a
    // table read without histories (Histories::counts) can still say what there is to open.
    int scan_count = 0, correction_count = 0;
    bool amended = false;  // some correction of this person here is an amendment
    std::vector<ScanFact> scans;                // the history, oldest first (empty with Histories::counts)
    std::vector<CorrectionFact> corrections;    // oldest first (empty with Histories::counts)
};

// An event of another date the unexpected person was expected at (a candidate to link to).
struct LinkCandidate {
    EventId event_id = 0;
    std::string title, local_date;
    bool same_item = false;  // the same programme item (another run of this element): offered first
    bool signed_off = false; // that event is signed off: linking to it is an amendment there
};

// Someone scanned here without being expected: an alternate-date attendance to link.
struct UnexpectedRow {
    ParticipantId participant_id = 0;
    std::string full_name, school_name, school_urn;
    Role role = Role::ect;
    std::optional<TimeMs> first_in_ms;
    int scan_count = 0;
    std::vector<ScanFact> scans;  // empty with Histories::counts
    std::vector<LinkCandidate> candidates;  // same item first, then by date
    std::optional<EventId> linked_to;       // an alternate mark on that event points here
};

struct SignOff {
    TimeMs at_ms = 0;
    CorrectionAuthor by;
    std::string note;
};

struct StatusCount {
    AttendanceStatus status = AttendanceStatus::present;
    int count = 0;
};

struct EventReconciliation {
    Event event;
    bool held = false;  // attendance::is_held(event, now)
    std::optional<SignOff> signed_off;
    std::vector<ReconcileRow> rows;          // every expected participant, by last then first name
    std::vector<UnexpectedRow> unexpected;   // by first scan
    std::vector<StatusCount> counts;         // per status over rows, every status listed
    int unsettled = 0;
    std::int64_t change = 0;                 // the hub's change clock when read
};

// Whether rows carry their histories (scans and corrections). The staff page's table reads
// `counts` (the counts and the amendment flag only; a person's history is fetched when it is
// opened, load_participant_history); the CLI and the sign-off read everything.
enum class Histories { full, counts };

// Everything the reconciliation page shows for one event; nullopt when there is no such event.
// One read transaction.
std::optional<EventReconciliation> load_reconciliation(db::Database& db, EventId event, TimeMs now,
                                                       Histories histories = Histories::full);

// One person at one event: their row (expected) or their unexpected row, as the event's page
// shows it, with the whole history. Read by the same rules as load_reconciliation, limited to
// that person (one read transaction).
struct ParticipantHistory {
    std::optional<ReconcileRow> row;          // expected here (row.scans/corrections empty: see below)
    std::optional<UnexpectedRow> unexpected;  // scanned or marked here without being expected
    std::vector<ScanFact> scans;              // every scan here, voided and rejected ones flagged, oldest first
    std::vector<CorrectionFact> corrections;  // every correction about them here, oldest first
    std::optional<SignOff> signed_off;        // the event's
    std::int64_t change = 0;                  // the hub's change clock when read
};
// nullopt: no such event, or the person is neither expected nor listed there (no counted scan,
// no mark).
std::optional<ParticipantHistory> load_participant_history(db::Database& db, EventId event, ParticipantId participant,
                                                           TimeMs now);

// One line of the staff pages' event list.
struct EventOverview {
    EventId event_id = 0;
    std::string title, venue, local_date, programme, item;
    EventKind kind = EventKind::conference;
    bool held = false, cancelled = false;
    std::optional<SignOff> signed_off;
    int expected = 0, unsettled = 0, unexpected = 0;
};
// Every event, newest date first.
std::vector<EventOverview> reconciliation_overview(db::Database& db, TimeMs now);

// ---- staff corrections ----

enum class StaffAction { present, late, left_early, absent, excused, caught_up, alternate, void_scan, void_mark };
std::string_view to_string(StaffAction a);
std::optional<StaffAction> parse_staff_action(std::string_view s);

inline constexpr std::size_t correction_reason_chars = 200;
inline constexpr std::size_t correction_note_chars = 500;

// A staff decision about one person at one event. `event_id` is the event the decision is
// about; for `alternate` that is the event the person was EXPECTED at (the mark is stored
// there, so its record says "attended alternate"), and `attended_event_id` is the event
// whose scans show them (its unexpected row then shows `linked_to`).
struct StaffCorrection {
    std::string uuid;  // made by the caller (the browser, or uuid::v4 in the CLI): a retry stores once
    StaffAction action = StaffAction::present;
    EventId event_id = 0;  // alternate: the expected event, not the attended one
    ParticipantId participant_id = 0;
    std::string reason;  // required, 1..200 characters ("forgot badge", "illness", ...)
    std::string note;    // optional, ≤ 500
    std::optional<std::string> target_uuid;        // void_scan: a scan of this person here; void_mark: a mark
    std::optional<std::string> caught_up_on;       // caught_up: required, YYYY-MM-DD, not before the event
    std::optional<std::string> evidence;           // caught_up: required, 1..500
    std::optional<EventId> attended_event_id;      // alternate: required, another event the person has counted scans at
    std::optional<std::string> amendment_reason;   // required (1..200) once the event is signed off, else ignored
};

enum class CorrectionOutcome {
    stored,                 // written
    already,                // this uuid is stored with the same content: nothing written
    conflict,               // this uuid is stored with other content
    invalid,                // not well formed (problem says which field and why)
    not_found,              // no such event / participant / scan / mark, or the person is neither expected nor scanned here
    amendment_reason_needed, // the event is signed off: a change needs an amendment reason
    batch_refused           // bulk only: this item is fine, but another was refused, so none was written
};
std::string_view to_string(CorrectionOutcome o);

struct CorrectionResult {
    CorrectionOutcome outcome = CorrectionOutcome::invalid;
    std::string problem;       // words for staff when refused
    std::int64_t change = 0;   // the record's sync_seq (stored or already)
    bool amendment = false;    // made after sign-off
};

// Records one correction in an immediate transaction.
CorrectionResult record_staff_correction(db::Database& db, const CorrectionAuthor& by, const StaffCorrection& c,
                                         TimeMs now);
// Bulk marking (a selection on the page): one transaction, all or nothing, one result per
// item in order. When any item is refused nothing is written: the refused items say why and
// the others are `batch_refused`.
std::vector<CorrectionResult> record_staff_corrections(db::Database& db, const CorrectionAuthor& by,
                                                       std::span<const StaffCorrection> items, TimeMs now);

// ---- sign-off ----
// invalid: the author's name or the note is not well formed (problem says which).
enum class SignOffOutcome { signed_off, already, not_found, not_held, unsettled_rows, invalid };
std::string_view to_string(SignOffOutcome o);
inline constexpr std::size_t sign_off_note_chars = 500;
struct SignOffResult {
    SignOffOutcome outcome = SignOffOutcome::not_found;
    std::string problem;  // invalid: which field and why
    int unsettled = 0;  // when unsettled_rows: how many rows still need settling
    std::optional<SignOff> sign_off;  // signed_off or already: the record
};
// Signs the event off (the role check, admin only, is the caller's). Refused before the
// event is held and while any row is unsettled. Once signed off, every later correction of
// the event is an amendment.
SignOffResult sign_off_event(db::Database& db, EventId event, const CorrectionAuthor& by, std::string_view note,
                             TimeMs now);

// ---- the event's audit log ----
struct AuditEntry {
    TimeMs at_ms = 0;
    std::string kind;  // "correction", "amendment", "sign_off"
    std::string author;
    CorrectionSource source = CorrectionSource::hub;
    std::optional<ParticipantId> participant_id;
    std::string participant_name;  // full name (staff pages)
    std::string what;              // "marked excused", "voided scan at 09:12", "signed off"
    std::string reason;            // the correction's reason (and note), or the sign-off note
    std::optional<std::string> amendment_reason;
    std::string uuid;              // the correction's (empty for the sign-off)
};
// Every correction of the event (hub, tablets and devices), the alternate marks on other
// events that link to it, and its sign-off, oldest first.
std::vector<AuditEntry> event_audit(db::Database& db, EventId event);

}  // namespace muster::store
