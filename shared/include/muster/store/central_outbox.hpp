#pragma once
// The outbox of attendance record versions for the central attendance records (issue 13,
// migration 0010, docs/central.md). Three parties use it:
//  - sign-off and amendments (reconciliation_store.cpp) queue record versions, inside their
//    own transaction, for every active target;
//  - the delivery worker in the server (sync-server/central/) claims due entries per target,
//    sends them and records the outcome;
//  - staff (the staff pages, `muster central status|retry`) read the state and retry what a
//    target rejected once the cause is fixed.
// Entry states: pending → sending → delivered | pending (retry later) | rejected (waits for a
// person); pending/rejected → superseded when a newer version of the record is queued before
// it was delivered. Versions of one record go to a target in order: a version is not claimed
// while an older one of the same record is pending or sending there.
#include "muster/central/central_record.hpp"
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace muster::store {

enum class TargetKind { https, csv, evidence_csv };
std::string_view to_string(TargetKind k);  // "https", "csv", "evidence-csv"
std::optional<TargetKind> parse_target_kind(std::string_view s);

enum class DeliveryState { pending, sending, delivered, rejected, superseded };
std::string_view to_string(DeliveryState s);
std::optional<DeliveryState> parse_delivery_state(std::string_view s);

struct CentralTarget {
    std::string name;  // 1..40 of [a-z0-9_-]
    TargetKind kind = TargetKind::https;
};
bool valid_target_name(std::string_view name);

// The server's file's targets, at start: new ones added (active), listed ones made active
// (a changed kind is updated), the rest made inactive. One transaction.
void register_central_targets(db::Database& db, std::span<const CentralTarget> targets, TimeMs now);
std::vector<CentralTarget> active_central_targets(db::Database& db);

// ---- queuing (called inside the caller's write transaction) ----

// Sign-off: version 1 of every expected participant's record, queued for every active target.
// Called by sign_off_event in its transaction, after the sign-off row is written. Returns
// the number of records written.
int queue_sign_off_records(db::Database& db, EventId event, TimeMs now);
// After a correction on a signed-off event (an amendment; record_staff_correction(s) call it
// in their transaction for each person the batch touched): the person's record is made again
// and, when it differs from the newest version (central::same_content), written as the next
// version and queued for every active target. Undelivered entries (pending, rejected) of
// older versions are superseded; an entry of an older version delivered to (or being sent
// to) a target makes the new entry there a correction. Returns true when a version was written.
bool queue_amended_record(db::Database& db, EventId event, ParticipantId participant, std::string_view cause,
                          TimeMs now);

// ---- the delivery worker ----

struct DeliveryItem {
    std::int64_t delivery_id = 0;
    std::string target;
    std::string record_id;
    int version = 1;
    bool correction = false;
    std::string idempotency_key;  // "<target>:<record_id>:<version>"
    std::string payload;          // central_records.payload (JSON)
    int attempts = 0;             // including this one
};
// Claims up to `limit` due entries of `target` (pending, next_attempt_ms <= now), oldest
// queued first, at most one per record and never a version while an older one of the same
// record is pending or sending there: they become `sending` with attempts + 1. One
// immediate transaction.
std::vector<DeliveryItem> claim_due_deliveries(db::Database& db, std::string_view target, std::size_t limit,
                                               TimeMs now);

struct DeliveryResult {
    std::int64_t delivery_id = 0;
    enum class Kind { delivered, retry, rejected } kind = Kind::delivered;
    std::optional<int> http_status;      // the reply's status; nullopt: no reply (timeout, refused, a file target)
    std::string error;                   // retry/rejected: for staff, no personal data
    std::optional<std::string> remote_id;  // delivered: the target's id, if it gave one
    TimeMs next_attempt_ms = 0;          // retry: not before this
};
// Records outcomes of claimed entries (one transaction). An entry no longer `sending` (it was
// released by a restart and claimed again) is left as it is.
void record_delivery_results(db::Database& db, std::span<const DeliveryResult> results, TimeMs now);
// Entries a stopped server left `sending` become pending, due now (the receiver removes a
// duplicate by its idempotency key). Only those of `target` (empty: every target) claimed at
// least `stale_after_ms` ago: 0 when the one server of a SQLite hub starts, since nothing
// else can be sending; on PostgreSQL, where other server processes may be mid-send, the
// longest a send can take (delivery_worker.cpp), so only a dead process's entries qualify.
// Returns how many.
int release_interrupted_deliveries(db::Database& db, TimeMs now, std::string_view target = {}, TimeMs stale_after_ms = 0);
// The soonest next_attempt_ms among the target's pending entries (nullopt: none pending).
std::optional<TimeMs> next_delivery_due(db::Database& db, std::string_view target);

// ---- what staff see ----

struct DeliveryCounts {
    int pending = 0, sending = 0, delivered = 0, rejected = 0, superseded = 0;
};
struct TargetDeliveryCounts {
    std::string target;
    TargetKind kind = TargetKind::https;
    bool active = true;
    DeliveryCounts counts;
};
// Every signed-off event with outbox entries, newest date first, with counts per target.
struct EventDeliveryStatus {
    EventId event_id = 0;
    std::string title, local_date;
    TimeMs signed_off_ms = 0;
    int records = 0;  // participants with a record
    std::vector<TargetDeliveryCounts> targets;
    std::optional<TimeMs> last_delivered_ms;
};
std::vector<EventDeliveryStatus> central_status(db::Database& db);
// Totals per target over every event (the CLI's first lines, the worker's log).
std::vector<TargetDeliveryCounts> central_totals(db::Database& db);

// One entry on an event's delivery page (staff pages: full names).
struct RecordDelivery {
    std::int64_t delivery_id = 0;
    std::string target;
    std::string record_id;
    int version = 1;
    bool correction = false;
    ParticipantId participant_id = 0;
    std::string full_name;
    AttendanceStatus status = AttendanceStatus::present;  // what this version states
    DeliveryState state = DeliveryState::pending;
    int attempts = 0;
    TimeMs queued_ms = 0, updated_ms = 0;
    std::optional<TimeMs> next_attempt_ms;  // pending
    std::optional<int> last_status;
    std::string last_error;
    std::optional<std::string> remote_id;
    std::optional<TimeMs> delivered_ms;
    std::optional<std::string> retried_by;
};
// Every entry of the event, by name, then record version, then target. nullopt: no such event.
std::optional<std::vector<RecordDelivery>> event_deliveries(db::Database& db, EventId event);

// What a retry covers: one entry, or every rejected entry of an event and/or a target.
struct RetrySelection {
    std::optional<std::int64_t> delivery_id;
    std::optional<EventId> event_id;
    std::optional<std::string> target;
};
// Rejected entries in the selection become pending, due now (attempts kept), with who asked
// and when. Entries in any other state are left alone. Returns how many were retried.
int retry_rejected(db::Database& db, const RetrySelection& which, std::string_view by, TimeMs now);

}  // namespace muster::store
