// An event's reconciliation rows as central records (central_outbox_internal.hpp): the same
// rows, statuses and histories the staff pages show and sign off, so the record sent is the
// attendance staff saw.
#include "central_outbox_internal.hpp"

namespace muster::store::outbox {
namespace {

// The mark that decides the status, as summarise chooses it: the newest un-voided mark, the
// later one in the list on a tie (the list is oldest first).
const CorrectionFact* deciding_mark(const ReconcileRow& row) {
    const CorrectionFact* deciding = nullptr;
    for (const auto& c : row.corrections) {
        if (c.kind != CorrectionKind::mark || !c.status || c.voided) continue;
        if (!deciding || c.at_ms >= deciding->at_ms) deciding = &c;
    }
    return deciding;
}

bool counted_in_record(const ScanFact& s) {
    return !s.voided && (s.outcome == Outcome::checked_in || s.outcome == Outcome::checked_out);
}

}  // namespace

std::unordered_map<ParticipantId, Participant> expected_people(const recon::EventFacts& facts) {
    std::unordered_map<ParticipantId, Participant> out;
    out.reserve(facts.people.size());
    for (const auto& p : facts.people)
        if (p.expected) out.emplace(p.person.id, p.person);
    return out;
}

central::CentralRecord record_of(db::Database& db, const EventReconciliation& view, const ReconcileRow& row,
                                 const Participant& person, TimeMs signed_off_ms) {
    const Event& e = view.event;
    central::CentralRecord r;
    r.event_id = e.id;
    r.event_title = e.title;
    r.event_date = e.local_date;
    r.venue = e.venue;
    r.programme = e.programme;
    r.course = e.item;
    r.cohort = e.cohort;
    r.event_kind = e.kind;
    r.signed_off_ms = signed_off_ms;

    r.participant_id = person.id;
    r.first_name = person.first_name;
    r.last_name = person.last_name;
    r.trn = person.trn;
    r.email = person.email;
    r.school_name = person.school_name;
    r.school_urn = person.school_urn;
    r.lead_provider = person.lead_provider;
    r.delivery_partner = person.delivery_partner;
    r.role = person.role;

    r.status = row.summary.status;
    r.minutes_late = row.minutes_late;
    r.left_early = row.left_early;
    r.checked_out_ms = row.checked_out_ms;
    r.parts.reserve(e.sessions.size());
    for (const auto& session : e.sessions) {
        central::RecordPart& part = r.parts.emplace_back();
        part.session_id = session.id;
        part.name = session.name;
        part.starts_ms = session.starts_ms;
        part.ends_ms = session.ends_ms;
        for (const auto& cell : row.parts)
            if (cell.session_id == session.id) {
                part.attended = cell.attended;
                part.in_ms = cell.in_ms;
                part.minutes_late = cell.minutes_late;
            }
    }
    r.evidence = central::evidence_held(r.status);
    for (const auto& s : row.scans)
        if (counted_in_record(s)) r.check_in_uuids.push_back(s.uuid);
    r.reason = row.summary.marked_by_staff ? row.summary.mark_reason.value_or("") : "";

    const CorrectionFact* mark = row.summary.marked_by_staff ? deciding_mark(row) : nullptr;
    if (r.status == AttendanceStatus::caught_up && mark) {
        r.evidence_note = mark->evidence.value_or("");
        r.caught_up_on = mark->caught_up_on;
    }
    if (r.status == AttendanceStatus::alternate && row.alternate_event_id) {
        r.alternate_event_id = row.alternate_event_id;
        auto& other = db.cached("SELECT title, local_date FROM events WHERE id = ?1");
        if (auto found = other.bind(1, *row.alternate_event_id).query_one([](const db::Statement& s) {
                return std::pair{s.text(0), s.text(1)};
            })) {
            r.evidence_note = found->first;
            r.alternate_event_date = found->second;
        }
        // The scans behind an alternate attendance are at the event attended, where the
        // person was not expected (so `not_expected` scans count there too).
        auto& scans = db.cached(
            "SELECT c.uuid FROM check_ins c WHERE c.event_id = ?1 AND c.participant_id = ?2 AND "
            "c.outcome IN ('checked_in', 'checked_out', 'not_expected') AND NOT EXISTS (SELECT 1 FROM corrections v "
            "WHERE v.kind = 'void' AND v.target_uuid = c.uuid) ORDER BY c.device_ms, c.device_id, c.device_seq");
        scans.bind_all(*row.alternate_event_id, person.id).for_each_row([&](const db::Statement& s) {
            r.check_in_uuids.push_back(s.text(0));
        });
    }
    return r;
}

}  // namespace muster::store::outbox
