// Signing an event off and its audit log (reconciliation_store.hpp).
#include "reconciliation_facts.hpp"

#include "central/central_outbox_internal.hpp"

#include "muster/model/field_limits.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/text.hpp"

#include <algorithm>
#include <unordered_map>

namespace muster::store {

std::string_view to_string(SignOffOutcome o) {
    switch (o) {
        case SignOffOutcome::signed_off: return "signed_off";
        case SignOffOutcome::already: return "already";
        case SignOffOutcome::not_found: return "not_found";
        case SignOffOutcome::not_held: return "not_held";
        case SignOffOutcome::unsettled_rows: return "unsettled_rows";
        case SignOffOutcome::invalid: return "invalid";
    }
    return "?";
}

SignOffResult sign_off_event(db::Database& db, EventId event, const CorrectionAuthor& by, std::string_view note,
                             TimeMs now) {
    SignOffResult r;
    auto author = text::trim(by.name);
    auto trimmed_note = text::trim(note);
    std::optional<std::string> problem;
    if (author.empty()) problem = "author: empty";
    else if (auto p = limits::text_problem(author, 80)) problem = "author: " + *p;
    else if (auto q = limits::text_problem(trimmed_note, sign_off_note_chars)) problem = "note: " + *q;
    if (problem) {
        r.outcome = SignOffOutcome::invalid;
        r.problem = *problem;
        return r;
    }

    // Immediate: the rows are judged and the sign-off written with no correction in between.
    db::Transaction tx(db);
    auto facts = recon::load_event_facts(db, event);
    if (!facts) return r;  // not_found
    if (facts->signed_off) {
        r.outcome = SignOffOutcome::already;
        r.sign_off = facts->signed_off;
        return r;
    }
    // Full histories: the same read makes the records queued for the central targets.
    auto people = outbox::expected_people(*facts);
    auto view = recon::build_reconciliation(std::move(*facts), now, Histories::full);
    if (!view.held) {
        r.outcome = SignOffOutcome::not_held;
        return r;
    }
    if (view.unsettled > 0) {
        r.outcome = SignOffOutcome::unsettled_rows;
        r.unsettled = view.unsettled;
        return r;
    }
    SignOff record{now, CorrectionAuthor{by.staff_id, std::string(author)}, std::string(trimmed_note)};
    auto& s = db.cached("INSERT INTO event_sign_offs (event_id, signed_off_ms, staff_id, author, note) "
                        "VALUES (?1, ?2, ?3, ?4, ?5)");
    s.bind_all(event, record.at_ms, record.by.staff_id, record.by.name, record.note);
    s.run();
    // Version 1 of every expected participant's record, in the same transaction: a signed-off
    // event always has its outbox (docs/central.md).
    outbox::queue_sign_off(db, view, people, record.at_ms, now);
    tx.commit();
    r.outcome = SignOffOutcome::signed_off;
    r.sign_off = std::move(record);
    return r;
}

namespace {

std::string what_of(const recon::LoadedCorrection& l, EventId event,
                    const std::unordered_map<std::string, TimeMs>& scan_times,
                    const std::unordered_map<std::string, const recon::LoadedCorrection*>& marks) {
    const Correction& c = l.c;
    if (c.kind == CorrectionKind::void_scan) {
        auto target = c.target_uuid.value_or("");
        if (auto s = scan_times.find(target); s != scan_times.end())
            return "voided scan at " + uk_time::format_hhmm(s->second);
        if (auto m = marks.find(target); m != marks.end() && m->second->c.status)
            return "voided mark (" + std::string(to_string(*m->second->c.status)) + ")";
        return "voided " + target;
    }
    if (!c.status) return "marked";
    std::string what = "marked " + std::string(to_string(*c.status));
    if (*c.status == AttendanceStatus::alternate && l.linked_event_id) {
        if (c.event_id == event) what += " (attended event " + std::to_string(*l.linked_event_id) + " instead)";
        else what = "linked as the alternate-date attendance for event " + std::to_string(c.event_id);
    }
    if (*c.status == AttendanceStatus::caught_up && l.caught_up_on) what += " on " + *l.caught_up_on;
    return what;
}

}  // namespace

std::vector<AuditEntry> event_audit(db::Database& db, EventId event) {
    db::Transaction tx(db, db::Transaction::Kind::deferred);
    std::vector<recon::LoadedCorrection> corrections;
    auto& s = db.cached(recon::loaded_correction_sql() +
                        "WHERE m.event_id = ?1 OR m.linked_event_id = ?1 ORDER BY m.created_ms, m.uuid");
    s.bind(1, event).for_each_row([&](const db::Statement& r) { corrections.push_back(recon::read_loaded_correction(r)); });

    std::unordered_map<ParticipantId, std::string> names;
    auto& people = db.cached("SELECT " + std::string(participant_columns) +
                             " FROM participants WHERE id IN (SELECT participant_id FROM corrections WHERE event_id = ?1 "
                             "OR linked_event_id = ?1)");
    people.bind(1, event).for_each_row([&](const db::Statement& r) {
        auto p = read_participant(r);
        names.emplace(p.id, p.full_name());
    });
    std::unordered_map<std::string, TimeMs> scan_times;
    auto& scans = db.cached("SELECT uuid, device_ms FROM check_ins WHERE uuid IN (SELECT target_uuid FROM corrections "
                            "WHERE event_id = ?1 AND kind = 'void')");
    scans.bind(1, event).for_each_row([&](const db::Statement& r) { scan_times.emplace(r.text(0), r.int64(1)); });
    auto& sign = db.cached("SELECT signed_off_ms, author, note FROM event_sign_offs WHERE event_id = ?1");
    auto sign_off = sign.bind(1, event).query_one([](const db::Statement& r) {
        AuditEntry a;
        a.at_ms = r.int64(0);
        a.kind = "sign_off";
        a.author = r.text(1);
        a.what = "signed off";
        a.reason = r.text(2);
        return a;
    });
    tx.commit();

    std::unordered_map<std::string, const recon::LoadedCorrection*> marks;
    for (const auto& c : corrections)
        if (c.c.kind == CorrectionKind::mark) marks.emplace(c.c.uuid, &c);
    std::vector<AuditEntry> out;
    out.reserve(corrections.size() + 1);
    for (const auto& l : corrections) {
        AuditEntry a;
        a.at_ms = l.c.created_ms;
        a.kind = l.amendment_reason ? "amendment" : "correction";
        a.author = l.c.author;
        a.source = recon::source_of(l.c.device_id, l.register_link_id);
        a.participant_id = l.c.participant_id;
        if (l.c.participant_id)
            if (auto n = names.find(*l.c.participant_id); n != names.end()) a.participant_name = n->second;
        a.what = what_of(l, event, scan_times, marks);
        a.reason = l.c.reason + (l.note.empty() ? "" : "; " + l.note);
        a.amendment_reason = l.amendment_reason;
        a.uuid = l.c.uuid;
        out.push_back(std::move(a));
    }
    if (sign_off) {
        // After every correction made at the same millisecond or before it.
        auto at = std::upper_bound(out.begin(), out.end(), sign_off->at_ms,
                                   [](TimeMs t, const AuditEntry& e) { return t < e.at_ms; });
        out.insert(at, std::move(*sign_off));
    }
    return out;
}

}  // namespace muster::store
