// The reconciliation page from an event's facts (reconciliation_facts.hpp): pure, no SQL.
// Every status comes from attendance::summarise over the same facts the page lists, so the
// row and its history can never disagree.
#include "reconciliation_facts.hpp"

#include "muster/attendance/programme_progress.hpp"

#include <algorithm>
#include <tuple>

namespace muster::store {

std::string_view to_string(CorrectionSource s) {
    switch (s) {
        case CorrectionSource::hub: return "hub";
        case CorrectionSource::tablet: return "tablet";
        case CorrectionSource::device: return "device";
    }
    return "?";
}

namespace recon {

CorrectionSource source_of(const std::optional<std::string>& device_id, const std::optional<std::int64_t>& link_id) {
    if (device_id) return CorrectionSource::device;
    if (link_id) return CorrectionSource::tablet;
    return CorrectionSource::hub;
}

bool hub_mark_decides(const std::vector<MarkFact>& marks) {
    // The same choice as summarise: the newest un-voided mark, the later one on a tie.
    const MarkFact* deciding = nullptr;
    for (const auto& m : marks)
        if (!deciding || m.created_ms >= deciding->created_ms) deciding = &m;
    return deciding && deciding->hub_made;
}

namespace {

CorrectionFact correction_fact(const LoadedCorrection& l) {
    CorrectionFact f;
    f.uuid = l.c.uuid;
    f.kind = l.c.kind;
    f.status = l.c.status;
    f.target_uuid = l.c.target_uuid;
    f.reason = l.c.reason;
    f.note = l.note;
    f.author = l.c.author;
    f.source = source_of(l.c.device_id, l.register_link_id);
    f.at_ms = l.c.created_ms;
    f.amendment_reason = l.amendment_reason;
    f.linked_event_id = l.linked_event_id;
    f.caught_up_on = l.caught_up_on;
    f.evidence = l.evidence;
    f.voided = l.voided;
    return f;
}

// What summarise reads: the counted scans and the marks, voids already applied (the flags
// were read with the facts, whichever event a void was recorded at).
struct Judged {
    attendance::Summary summary;     // with the staff marks
    attendance::Summary from_scans;  // the scans alone
    bool hub_decides = false;
    std::optional<EventId> alternate_event;
};

// `scans` is a buffer reused for every person (no allocation per person once it is grown):
// only what summarise reads of a scan is filled in.
Judged judge(const Event& event, const PersonFacts& p, std::vector<CheckIn>& scans) {
    scans.clear();
    for (const auto& s : p.scans) {
        if (s.voided || !counts_as_attendance(s.outcome)) continue;
        CheckIn& c = scans.emplace_back();
        c.session_id = s.session_id;
        c.direction = s.direction;
        c.outcome = s.outcome;
        c.device_ms = s.at_ms;
    }
    std::vector<Correction> marks;
    std::vector<MarkFact> mark_facts;
    const LoadedCorrection* newest = nullptr;
    for (const auto& c : p.corrections) {
        if (c.c.kind != CorrectionKind::mark || !c.c.status || c.voided) continue;
        marks.push_back(c.c);
        mark_facts.push_back({c.c.created_ms, source_of(c.c.device_id, c.register_link_id) == CorrectionSource::hub});
        if (!newest || c.c.created_ms >= newest->c.created_ms) newest = &c;
    }
    Judged j;
    j.from_scans = attendance::summarise(event, p.person.id, p.expected, scans, {});
    // Without a mark the two are the same.
    j.summary = marks.empty() ? j.from_scans : attendance::summarise(event, p.person.id, p.expected, scans, marks);
    j.hub_decides = hub_mark_decides(mark_facts);
    if (newest && newest->c.status == AttendanceStatus::alternate) j.alternate_event = newest->linked_event_id;
    return j;
}

std::vector<PartCell> parts_of(const Event& event, const PersonFacts& p) {
    std::vector<PartCell> parts;
    parts.reserve(event.sessions.size());
    for (const auto& session : event.sessions) {
        PartCell cell;
        cell.session_id = session.id;
        cell.name = session.name;
        for (const auto& s : p.scans) {
            if (s.voided || !counts_as_attendance(s.outcome) || s.session_id != session.id) continue;
            cell.attended = true;
            if (s.direction == Direction::entry && (!cell.in_ms || s.at_ms < *cell.in_ms)) cell.in_ms = s.at_ms;
        }
        if (cell.in_ms) cell.minutes_late = attendance::minutes_late(event, session, *cell.in_ms);
        parts.push_back(std::move(cell));
    }
    return parts;
}

std::string room_name(const Event& event, std::optional<RoomId> room) {
    if (!room) return {};
    for (const auto& r : event.rooms)
        if (r.id == *room) return r.name;
    return {};
}

}  // namespace

EventReconciliation build_reconciliation(EventFacts facts, TimeMs now, Histories histories) {
    const bool full = histories == Histories::full;
    EventReconciliation out;
    out.event = std::move(facts.event);
    const Event& event = out.event;
    out.held = attendance::is_held(event, now);
    out.signed_off = std::move(facts.signed_off);
    out.change = facts.change;

    out.rows.reserve(facts.people.size());
    std::vector<CheckIn> buffer;
    for (auto& p : facts.people) {
        Judged j = judge(event, p, buffer);
        if (!p.expected) {
            // Listed when the rules would list them (summarise_event): a counted scan here,
            // or a staff mark. Someone whose only scans were voided is not.
            if (j.summary.status == AttendanceStatus::absent && !j.summary.marked_by_staff) continue;
            UnexpectedRow u;
            u.participant_id = p.person.id;
            u.full_name = p.person.full_name();
            u.school_name = p.person.school_name.value_or("");
            u.school_urn = p.person.school_urn.value_or("");
            u.role = p.person.role;
            u.first_in_ms = j.from_scans.first_in_ms;
            u.scan_count = static_cast<int>(p.scans.size());
            if (full) u.scans = std::move(p.scans);
            u.candidates = std::move(p.candidates);
            std::stable_sort(u.candidates.begin(), u.candidates.end(), [](const LinkCandidate& a, const LinkCandidate& b) {
                if (a.same_item != b.same_item) return a.same_item;
                return std::tie(a.local_date, a.event_id) < std::tie(b.local_date, b.event_id);
            });
            u.linked_to = p.linked_to;
            out.unexpected.push_back(std::move(u));
            continue;
        }
        ReconcileRow row;
        row.participant_id = p.person.id;
        row.full_name = p.person.full_name();
        row.school_name = p.person.school_name.value_or("");
        row.school_urn = p.person.school_urn.value_or("");
        row.role = p.person.role;
        row.room_id = p.room_id;
        row.room_name = room_name(event, p.room_id);
        row.parts = parts_of(event, p);
        row.checked_out_ms = j.from_scans.last_out_ms;
        row.minutes_late = !event.sessions.empty() && j.from_scans.first_in_ms
                               ? attendance::minutes_late(event, event.sessions.front(), *j.from_scans.first_in_ms)
                               : std::nullopt;
        row.left_early = j.from_scans.status == AttendanceStatus::left_early;
        row.summary = j.summary;
        row.unsettled = unsettled(j.summary, j.hub_decides);
        row.alternate_event_id = j.alternate_event;
        row.scan_count = static_cast<int>(p.scans.size());
        row.correction_count = static_cast<int>(p.corrections.size());
        row.amended = std::any_of(p.corrections.begin(), p.corrections.end(),
                                  [](const LoadedCorrection& c) { return c.amendment_reason.has_value(); });
        if (full) {
            row.scans = std::move(p.scans);
            for (const auto& c : p.corrections) row.corrections.push_back(correction_fact(c));
        }
        if (row.unsettled) ++out.unsettled;
        out.rows.push_back(std::move(row));
    }
    std::stable_sort(out.unexpected.begin(), out.unexpected.end(), [](const UnexpectedRow& a, const UnexpectedRow& b) {
        // By first scan; someone listed only for a mark (no counted entry) last.
        if (a.first_in_ms.has_value() != b.first_in_ms.has_value()) return a.first_in_ms.has_value();
        return a.first_in_ms < b.first_in_ms;
    });
    for (AttendanceStatus s : all_attendance_statuses()) {
        StatusCount c{s, 0};
        for (const auto& row : out.rows)
            if (row.summary.status == s) ++c.count;
        out.counts.push_back(c);
    }
    return out;
}

std::optional<ParticipantHistory> build_participant_history(EventFacts facts, TimeMs now) {
    ParticipantHistory h;
    h.change = facts.change;
    h.signed_off = facts.signed_off;
    // The corrections before the view takes the facts (an unexpected row has none of its own).
    for (const auto& p : facts.people)
        for (const auto& c : p.corrections) h.corrections.push_back(correction_fact(c));
    auto view = build_reconciliation(std::move(facts), now, Histories::full);
    if (!view.rows.empty()) {
        h.row = std::move(view.rows.front());
        h.scans = std::move(h.row->scans);
        h.row->scans.clear();
        h.row->corrections.clear();
    } else if (!view.unexpected.empty()) {
        h.unexpected = std::move(view.unexpected.front());
        h.scans = std::move(h.unexpected->scans);
        h.unexpected->scans.clear();
    } else {
        return std::nullopt;
    }
    return h;
}

}  // namespace recon
}  // namespace muster::store
