// Staff corrections from the reconciliation page and the hub's terminal
// (reconciliation_store.hpp): checked, then appended as a correction with no device (so
// every device of the event downloads it) carrying the change clock's next value.
#include "muster/model/field_limits.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/reconciliation_store.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/text.hpp"
#include "muster/util/uuid.hpp"
#include "store_sql.hpp"

#include "central/central_outbox_internal.hpp"

#include <array>
#include <iterator>
#include <map>
#include <utility>

namespace muster::store {

namespace {

constexpr std::array<std::pair<StaffAction, std::string_view>, 9> action_names{{
    {StaffAction::present, "present"},
    {StaffAction::late, "late"},
    {StaffAction::left_early, "left_early"},
    {StaffAction::absent, "absent"},
    {StaffAction::excused, "excused"},
    {StaffAction::caught_up, "caught_up"},
    {StaffAction::alternate, "alternate"},
    {StaffAction::void_scan, "void_scan"},
    {StaffAction::void_mark, "void_mark"},
}};

constexpr std::size_t author_chars = 80;
constexpr std::size_t evidence_chars = 500;

bool is_void(StaffAction a) { return a == StaffAction::void_scan || a == StaffAction::void_mark; }

CorrectionResult refused(CorrectionOutcome outcome, std::string problem) {
    CorrectionResult r;
    r.outcome = outcome;
    r.problem = std::move(problem);
    return r;
}

// A text field's problem ("reason: empty"), judged trimmed; nullopt when fine.
std::optional<std::string> text_field(std::string_view name, std::string_view value, std::size_t max, bool required) {
    auto v = text::trim(value);
    if (required && v.empty()) return std::string(name) + ": empty";
    if (auto p = limits::text_problem(v, max)) return std::string(name) + ": " + *p;
    return std::nullopt;
}

// YYYY-MM-DD naming a real date (not 2026-02-30).
bool is_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9') return false;
    int y = std::stoi(std::string(s.substr(0, 4))), m = std::stoi(std::string(s.substr(5, 2))),
        d = std::stoi(std::string(s.substr(8, 2)));
    if (m < 1 || m > 12 || d < 1 || d > 31) return false;
    auto back = uk_time::civil_from_days(uk_time::days_from_civil(y, m, d));
    return back.year == y && back.month == m && back.day == d;
}

// What is wrong with the correction's form (no database); nullopt when fine.
std::optional<std::string> form_problem(const CorrectionAuthor& by, const StaffCorrection& c) {
    if (auto p = text_field("author", by.name, author_chars, true)) return p;
    if (!is_uuid(c.uuid)) return "uuid: not a UUID";
    if (auto p = text_field("reason", c.reason, correction_reason_chars, true)) return p;
    if (auto p = text_field("note", c.note, correction_note_chars, false)) return p;
    if (c.amendment_reason)
        if (auto p = text_field("amendment_reason", *c.amendment_reason, correction_reason_chars, false)) return p;
    const auto action = std::string(to_string(c.action));
    if (is_void(c.action)) {
        if (!c.target_uuid || c.target_uuid->empty()) return "target_uuid: required for " + action;
        if (!is_uuid(*c.target_uuid) && limits::text_problem(*c.target_uuid, limits::uuid_chars))
            return "target_uuid: not a record id";
    } else if (c.target_uuid) {
        return "target_uuid: only for void_scan and void_mark";
    }
    if (c.action == StaffAction::caught_up) {
        if (!c.caught_up_on) return "caught_up_on: required for caught_up";
        if (!is_date(*c.caught_up_on)) return "caught_up_on: not a date (YYYY-MM-DD)";
        if (!c.evidence) return "evidence: required for caught_up";
        if (auto p = text_field("evidence", *c.evidence, evidence_chars, true)) return p;
    } else if (c.caught_up_on || c.evidence) {
        return std::string(c.caught_up_on ? "caught_up_on" : "evidence") + ": only for caught_up";
    }
    if (c.action == StaffAction::alternate) {
        if (!c.attended_event_id) return "attended_event_id: required for alternate";
        if (*c.attended_event_id == c.event_id) return "attended_event_id: the event attended instead must be another";
    } else if (c.attended_event_id) {
        return "attended_event_id: only for alternate";
    }
    return std::nullopt;
}

// The correction as stored.
struct Row {
    std::string kind;
    std::optional<std::string> status, target_uuid;
    ParticipantId participant_id = 0;
    EventId event_id = 0;
    std::optional<SessionId> session_id;
    std::string reason, note, author;
    std::optional<StaffId> staff_id;
    std::optional<std::string> device_id;
    std::optional<std::int64_t> link_id;
    std::optional<std::string> amendment_reason, caught_up_on, evidence;
    std::optional<EventId> linked_event_id;
    std::int64_t sync_seq = 0;
};

Row row_of(const CorrectionAuthor& by, const StaffCorrection& c) {
    Row r;
    r.kind = is_void(c.action) ? "void" : "mark";
    if (!is_void(c.action)) r.status = std::string(to_string(c.action));
    r.target_uuid = c.target_uuid;
    r.participant_id = c.participant_id;
    r.event_id = c.event_id;
    r.reason = std::string(text::trim(c.reason));
    r.note = std::string(text::trim(c.note));
    r.author = std::string(text::trim(by.name));
    r.staff_id = by.staff_id;
    if (c.caught_up_on) r.caught_up_on = *c.caught_up_on;
    if (c.evidence) r.evidence = std::string(text::trim(*c.evidence));
    r.linked_event_id = c.attended_event_id;
    return r;
}

std::optional<Row> stored(db::Database& db, const std::string& uuid) {
    auto& s = db.cached(
        "SELECT kind, status, target_uuid, participant_id, event_id, session_id, reason, COALESCE(note, ''), author, "
        "staff_id, device_id, register_link_id, amendment_reason, caught_up_on, evidence, linked_event_id, "
        "COALESCE(sync_seq, 0) FROM corrections WHERE uuid = ?1");
    return s.bind(1, uuid).query_one([](const db::Statement& r) {
        Row x;
        x.kind = r.text(0);
        x.status = r.opt_text(1);
        x.target_uuid = r.opt_text(2);
        x.participant_id = r.opt_int64(3).value_or(0);
        x.event_id = r.int64(4);
        x.session_id = r.opt_int64(5);
        x.reason = r.text(6);
        x.note = r.text(7);
        x.author = r.text(8);
        x.staff_id = r.opt_int64(9);
        x.device_id = r.opt_text(10);
        x.link_id = r.opt_int64(11);
        x.amendment_reason = r.opt_text(12);
        x.caught_up_on = r.opt_text(13);
        x.evidence = r.opt_text(14);
        x.linked_event_id = r.opt_int64(15);
        x.sync_seq = r.int64(16);
        return x;
    });
}

// A retry of the same request: everything the caller sent is what is stored (the amendment
// reason aside: whether one was needed depended on when the first try arrived).
bool same(const Row& a, const Row& b) {
    return a.kind == b.kind && a.status == b.status && a.target_uuid == b.target_uuid &&
           a.participant_id == b.participant_id && a.event_id == b.event_id && a.reason == b.reason && a.note == b.note &&
           a.author == b.author && a.staff_id == b.staff_id && !b.device_id && !b.link_id &&
           a.caught_up_on == b.caught_up_on && a.evidence == b.evidence && a.linked_event_id == b.linked_event_id;
}

template <class... Args>
bool exists(db::Database& db, std::string_view sql, const Args&... args) {
    auto& s = db.cached(sql);
    s.bind_all(args...);
    return s.query_one([](const db::Statement&) { return true; }).value_or(false);
}

void insert(db::Database& db, const Row& r, const std::string& uuid, TimeMs now) {
    auto& s = db.cached(
        "INSERT INTO corrections (uuid, kind, target_uuid, participant_id, event_id, session_id, status, reason, author, "
        "device_id, created_ms, sync_seq, register_link_id, room_id, note, staff_id, amendment_reason, linked_event_id, "
        "caught_up_on, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, ?10, ?11, NULL, NULL, ?12, ?13, ?14, "
        "?15, ?16, ?17)");
    s.bind_all(uuid, r.kind, r.target_uuid, r.participant_id, r.event_id, r.session_id, r.status, r.reason, r.author, now,
               r.sync_seq, r.note, r.staff_id, r.amendment_reason, r.linked_event_id, r.caught_up_on, r.evidence);
    s.run();
}

// The people whose central record an amendment may change, (event, person) → the
// amendment's reason: their records are made again once the transaction's corrections are
// all written (central_outbox.hpp).
using Amended = std::map<std::pair<EventId, ParticipantId>, std::string>;

// One correction inside the caller's immediate transaction: written when it is fine.
CorrectionResult apply(db::Database& db, const CorrectionAuthor& by, const StaffCorrection& c, TimeMs now,
                       Amended& amended) {
    if (auto p = form_problem(by, c)) return refused(CorrectionOutcome::invalid, *p);
    Row row = row_of(by, c);
    if (auto s = stored(db, c.uuid)) {
        if (!same(row, *s)) return refused(CorrectionOutcome::conflict, "This correction's id is already used by another record.");
        CorrectionResult r;
        r.outcome = CorrectionOutcome::already;
        r.change = s->sync_seq;
        r.amendment = s->amendment_reason.has_value();
        return r;
    }
    auto& event = db.cached("SELECT local_date FROM events WHERE id = ?1");
    auto event_date = event.bind(1, c.event_id).query_one([](const db::Statement& r) { return r.text(0); });
    if (!event_date) return refused(CorrectionOutcome::not_found, "There is no such event.");
    if (!exists(db, "SELECT 1 FROM participants WHERE id = ?1", c.participant_id))
        return refused(CorrectionOutcome::not_found, "There is no such participant.");
    if (!exists(db, "SELECT 1 FROM enrolments WHERE event_id = ?1 AND participant_id = ?2", c.event_id, c.participant_id) &&
        !exists(db, "SELECT 1 FROM check_ins WHERE event_id = ?1 AND participant_id = ?2", c.event_id, c.participant_id) &&
        !exists(db, "SELECT 1 FROM corrections WHERE event_id = ?1 AND participant_id = ?2", c.event_id, c.participant_id))
        return refused(CorrectionOutcome::not_found, "That person is neither expected nor scanned at this event.");

    switch (c.action) {
        case StaffAction::caught_up:
            if (*c.caught_up_on < *event_date)
                return refused(CorrectionOutcome::invalid, "caught_up_on: before the event (" + *event_date + ")");
            break;
        case StaffAction::alternate:
            if (!exists(db, "SELECT 1 FROM events WHERE id = ?1", *c.attended_event_id))
                return refused(CorrectionOutcome::not_found, "There is no such event to link as attended instead.");
            if (!exists(db, "SELECT 1 FROM check_ins c WHERE c.event_id = ?1 AND c.participant_id = ?2 AND " +
                                counted_not_voided_sql() + " LIMIT 1",
                        *c.attended_event_id, c.participant_id))
                return refused(CorrectionOutcome::not_found, "That person has no counted scan at the event attended instead.");
            break;
        case StaffAction::void_scan: {
            auto& scan = db.cached("SELECT c.session_id, c.outcome, EXISTS (SELECT 1 FROM corrections v WHERE "
                                   "v.kind = 'void' AND v.target_uuid = c.uuid) FROM check_ins c WHERE c.uuid = ?1 AND "
                                   "c.event_id = ?2 AND c.participant_id = ?3");
            auto found = scan.bind_all(*c.target_uuid, c.event_id, c.participant_id).query_one([](const db::Statement& r) {
                return std::tuple{r.opt_int64(0), parse_outcome(r.text(1)), r.int64(2) != 0};
            });
            if (!found || !std::get<1>(*found) || !counts_as_attendance(*std::get<1>(*found)))
                return refused(CorrectionOutcome::not_found, "There is no such counted scan of this person here.");
            if (std::get<2>(*found)) return refused(CorrectionOutcome::invalid, "target_uuid: that scan is voided already");
            row.session_id = std::get<0>(*found);
            break;
        }
        case StaffAction::void_mark: {
            auto& mark = db.cached("SELECT m.session_id, EXISTS (SELECT 1 FROM corrections v WHERE v.kind = 'void' AND "
                                   "v.target_uuid = m.uuid) FROM corrections m WHERE m.uuid = ?1 AND m.event_id = ?2 AND "
                                   "m.participant_id = ?3 AND m.kind = 'mark'");
            auto found = mark.bind_all(*c.target_uuid, c.event_id, c.participant_id).query_one([](const db::Statement& r) {
                return std::pair{r.opt_int64(0), r.int64(1) != 0};
            });
            if (!found) return refused(CorrectionOutcome::not_found, "There is no such mark of this person here.");
            if (found->second) return refused(CorrectionOutcome::invalid, "target_uuid: that mark is voided already");
            row.session_id = found->first;
            break;
        }
        default: break;
    }

    CorrectionResult r;
    // An alternate also amends the event attended: its unexpected row becomes linked and
    // programme progress stops counting its own record for that person.
    const bool linked_signed_off = c.action == StaffAction::alternate &&
                                   exists(db, "SELECT 1 FROM event_sign_offs WHERE event_id = ?1", *c.attended_event_id);
    const bool signed_off = exists(db, "SELECT 1 FROM event_sign_offs WHERE event_id = ?1", c.event_id);
    if (linked_signed_off || signed_off) {
        auto why = c.amendment_reason ? text::trim(*c.amendment_reason) : std::string_view{};
        if (why.empty())
            return refused(CorrectionOutcome::amendment_reason_needed,
                           linked_signed_off ? "The event attended is signed off: linking to it is an amendment and needs a reason."
                                             : "This event is signed off: a change is an amendment and needs a reason.");
        row.amendment_reason = std::string(why);
        r.amendment = true;
    }
    row.sync_seq = next_change(db);
    insert(db, row, c.uuid, now);
    // The record is about the event the correction is stored at (for `alternate`, the one
    // the person was expected at); the event attended instead holds no record of theirs.
    if (signed_off) amended[{c.event_id, c.participant_id}] = *row.amendment_reason;
    r.outcome = CorrectionOutcome::stored;
    r.change = row.sync_seq;
    return r;
}

// Once per person however many of the batch's items touched them: one new version of their
// record with everything the batch changed.
void queue_amended(db::Database& db, const Amended& amended, TimeMs now) {
    // The map is ordered by event: each event's people go together.
    std::vector<std::pair<ParticipantId, std::string>> people;
    for (auto it = amended.begin(); it != amended.end(); ++it) {
        people.emplace_back(it->first.second, it->second);
        auto next = std::next(it);
        if (next == amended.end() || next->first.first != it->first.first) {
            outbox::queue_amended(db, it->first.first, people, now);
            people.clear();
        }
    }
}

bool is_refusal(CorrectionOutcome o) { return o != CorrectionOutcome::stored && o != CorrectionOutcome::already; }

}  // namespace

std::string_view to_string(StaffAction a) {
    for (const auto& [action, name] : action_names)
        if (action == a) return name;
    return "?";
}

std::optional<StaffAction> parse_staff_action(std::string_view s) {
    for (const auto& [action, name] : action_names)
        if (name == s) return action;
    return std::nullopt;
}

std::string_view to_string(CorrectionOutcome o) {
    switch (o) {
        case CorrectionOutcome::stored: return "stored";
        case CorrectionOutcome::already: return "already";
        case CorrectionOutcome::conflict: return "conflict";
        case CorrectionOutcome::invalid: return "invalid";
        case CorrectionOutcome::not_found: return "not_found";
        case CorrectionOutcome::amendment_reason_needed: return "amendment_reason_needed";
        case CorrectionOutcome::batch_refused: return "batch_refused";
    }
    return "?";
}

CorrectionResult record_staff_correction(db::Database& db, const CorrectionAuthor& by, const StaffCorrection& c,
                                         TimeMs now) {
    db::Transaction tx(db);
    Amended amended;
    auto r = apply(db, by, c, now, amended);
    if (r.outcome != CorrectionOutcome::stored) return r;
    queue_amended(db, amended, now);
    tx.commit();
    return r;
}

std::vector<CorrectionResult> record_staff_corrections(db::Database& db, const CorrectionAuthor& by,
                                                       std::span<const StaffCorrection> items, TimeMs now) {
    // Written in order in one transaction (a later item may void an earlier one's mark);
    // rolled back as a whole when any item is refused.
    db::Transaction tx(db);
    std::vector<CorrectionResult> out;
    out.reserve(items.size());
    Amended amended;
    bool any_refused = false;
    for (const auto& c : items) {
        out.push_back(apply(db, by, c, now, amended));
        any_refused = any_refused || is_refusal(out.back().outcome);
    }
    if (!any_refused) {
        queue_amended(db, amended, now);
        tx.commit();
        return out;
    }
    for (auto& r : out)
        if (!is_refusal(r.outcome)) {
            r = CorrectionResult{};
            r.outcome = CorrectionOutcome::batch_refused;
            r.problem = "Not written: another item of the selection was refused.";
        }
    return out;
}

}  // namespace muster::store
