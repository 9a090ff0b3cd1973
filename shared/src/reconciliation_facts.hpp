#pragma once
// The facts of one event as the reconciliation store reads them (reconciliation_store.cpp),
// and the pure functions that turn them into the page's rows (reconciliation_view.cpp).
// Not a public header: callers see muster/store/reconciliation_store.hpp.
#include "muster/store/reconciliation_store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace muster::store::recon {

// A correction with the columns of schema versions 6 and 8.
struct LoadedCorrection {
    Correction c;
    std::optional<StaffId> staff_id;
    std::optional<std::int64_t> register_link_id;
    std::string note;
    std::optional<std::string> amendment_reason, caught_up_on, evidence;
    std::optional<EventId> linked_event_id;
    std::int64_t sync_seq = 0;
    bool voided = false;
};

// Where a correction came from: a device names itself, a tablet's mark its link, and the
// staff pages and the hub's terminal neither.
CorrectionSource source_of(const std::optional<std::string>& device_id, const std::optional<std::int64_t>& link_id);

// One person's facts at the event.
struct PersonFacts {
    Participant person;
    bool expected = false;
    std::optional<RoomId> room_id;
    std::vector<ScanFact> scans;                // oldest first
    std::vector<LoadedCorrection> corrections;  // oldest first
    std::vector<LinkCandidate> candidates;      // unexpected people: events they were expected at
    std::optional<EventId> linked_to;           // unexpected people: an alternate mark there points here
};

struct EventFacts {
    Event event;
    std::optional<SignOff> signed_off;
    std::vector<PersonFacts> people;  // the expected ones by name, then the others
    std::int64_t change = 0;
};

// The page from the facts (pure): rows, unexpected rows, counts; with Histories::counts the
// rows' scans and corrections are counted, not copied.
EventReconciliation build_reconciliation(EventFacts facts, TimeMs now, Histories histories = Histories::full);
// One person's row and history from facts read for them alone (load_event_facts with `only`);
// nullopt when the facts list nobody.
std::optional<ParticipantHistory> build_participant_history(EventFacts facts, TimeMs now);

// Does a hub-made mark (the staff pages or the hub's terminal: no device, no tablet link)
// decide this person's status? `marks` are their un-voided marks oldest first: the newest
// decides, and on a tie the later in the list (as summarise chooses).
struct MarkFact {
    TimeMs created_ms = 0;
    bool hub_made = false;
};
bool hub_mark_decides(const std::vector<MarkFact>& marks);
// A row staff still have to settle (ReconcileRow::unsettled).
inline bool unsettled(const attendance::Summary& s, bool hub_decides) {
    return !hub_decides && s.status != AttendanceStatus::present;
}

// "SELECT <a correction with every column LoadedCorrection holds> FROM corrections m ",
// for queries to add their WHERE to; read_loaded_correction reads its rows.
const std::string& loaded_correction_sql();
LoadedCorrection read_loaded_correction(const db::Statement& row);

// Reads the event's facts (no transaction of its own: the caller's). nullopt: no such event.
// `only`: the facts of that one person (a history), not the whole event's.
std::optional<EventFacts> load_event_facts(db::Database& db, EventId event,
                                           std::optional<ParticipantId> only = std::nullopt);

}  // namespace muster::store::recon
