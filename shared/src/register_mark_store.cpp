#include "muster/store/register_mark_store.hpp"

#include "muster/model/field_limits.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/util/text.hpp"
#include "muster/util/uuid.hpp"

#include <algorithm>

namespace muster::store {

std::optional<MarkKind> parse_mark_kind(std::string_view s) {
    if (s == "present") return MarkKind::present;
    if (s == "left_early") return MarkKind::left_early;
    return std::nullopt;
}

std::string_view to_string(MarkKind k) { return k == MarkKind::present ? "present" : "left_early"; }

std::optional<std::string> problem_in(const NewMark& m) {
    if (!is_uuid(m.uuid)) return "uuid: not a UUID";
    if (m.kind == MarkKind::present) {
        if (std::find(present_reasons.begin(), present_reasons.end(), m.reason) == present_reasons.end())
            return "reason: not one of forgot_badge, badge_failed, other";
    } else if (m.reason != left_early_reason) {
        return "reason: a left-early mark's reason is left_early";
    }
    if (auto p = limits::text_problem(m.note, mark_note_chars)) return "note: " + *p;
    auto author = text::trim(m.author);
    if (author.empty()) return "author: empty";
    if (auto p = limits::text_problem(author, mark_author_chars)) return "author: " + *p;
    return std::nullopt;
}

namespace {

MarkResult refused(MarkOutcome outcome, std::string problem) {
    MarkResult r;
    r.outcome = outcome;
    r.problem = std::move(problem);
    return r;
}

// What is stored under a uuid, for comparing a retried request with it.
struct Stored {
    std::string kind;
    std::optional<std::string> target_uuid;
    std::optional<ParticipantId> participant_id;
    EventId event_id = 0;
    std::optional<SessionId> session_id;
    std::optional<std::string> status;
    std::string reason;
    std::string author;
    std::optional<std::string> device_id;
    std::optional<std::int64_t> link_id;
    std::optional<RoomId> room_id;
    std::optional<std::string> note;
    std::optional<std::int64_t> sync_seq;
};

std::optional<Stored> stored(db::Database& db, const std::string& uuid) {
    auto& s = db.cached(
        "SELECT kind, target_uuid, participant_id, event_id, session_id, status, reason, author, device_id, "
        "register_link_id, room_id, note, sync_seq FROM corrections WHERE uuid = ?1");
    s.bind(1, uuid);
    return s.query_one([](const db::Statement& r) {
        return Stored{r.text(0),      r.opt_text(1),  r.opt_int64(2), r.int64(3),     r.opt_int64(4),
                      r.opt_text(5),  r.text(6),      r.text(7),      r.opt_text(8),  r.opt_int64(9),
                      r.opt_int64(10), r.opt_text(11), r.opt_int64(12)};
    });
}

template <class... Args>
bool exists(db::Database& db, std::string_view sql, const Args&... args) {
    auto& s = db.cached(sql);
    int i = 0;
    (s.bind(++i, args), ...);
    return s.query_one([](const db::Statement&) { return true; }).value_or(false);
}

// Can the register `room` (nullopt: the whole event) of `event` see this participant? A room's
// register sees its list (enrolled there, not withdrawn) and whoever was scanned or marked at
// the room; the whole event's sees anyone the hub knows.
bool visible(db::Database& db, EventId event, std::optional<RoomId> room, ParticipantId who, TimeMs now) {
    if (!room) return exists(db, "SELECT 1 FROM participants WHERE id = ?1", who);
    if (exists(db,
               "SELECT 1 FROM enrolments e JOIN participants p ON p.id = e.participant_id WHERE e.event_id = ?1 AND "
               "e.participant_id = ?2 AND e.room_id = ?3 AND (p.withdrawn_ms IS NULL OR p.withdrawn_ms > ?4)",
               event, who, *room, now))
        return true;
    return exists(db, "SELECT 1 FROM check_ins WHERE event_id = ?1 AND participant_id = ?2 AND room_id = ?3", event,
                  who, *room) ||
           exists(db, "SELECT 1 FROM corrections WHERE event_id = ?1 AND participant_id = ?2 AND room_id = ?3", event,
                  who, *room);
}

std::optional<EventId> event_of(db::Database& db, RoomId room) {
    auto& s = db.cached("SELECT event_id FROM rooms WHERE id = ?1");
    s.bind(1, room);
    return s.query_one([](const db::Statement& r) { return r.int64(0); });
}

void insert(db::Database& db, const Correction& c, const register_access::Scope& scope, std::optional<RoomId> room,
            const std::string& note, std::int64_t change) {
    auto& s = db.cached(
        "INSERT INTO corrections (uuid, kind, target_uuid, participant_id, event_id, session_id, status, reason, author, "
        "device_id, created_ms, sync_seq, register_link_id, room_id, note) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, ?10, ?11, ?12, ?13, ?14)");
    std::optional<std::string> status;
    if (c.status) status = std::string(to_string(*c.status));
    s.bind(1, c.uuid).bind(2, c.kind == CorrectionKind::void_scan ? "void" : "mark").bind(3, c.target_uuid);
    s.bind(4, c.participant_id).bind(5, c.event_id).bind(6, c.session_id).bind(7, status).bind(8, c.reason);
    s.bind(9, c.author).bind(10, c.created_ms).bind(11, change).bind(12, scope.link_id).bind(13, room).bind(14, note);
    s.run();
}

}  // namespace

MarkResult record_mark(db::Database& db, const register_access::Scope& scope, NewMark m, TimeMs now) {
    if (auto p = problem_in(m)) return refused(MarkOutcome::invalid, *p);
    m.author = std::string(text::trim(m.author));
    const std::string_view status = to_string(m.kind);

    db::Transaction tx(db);
    if (auto s = stored(db, m.uuid)) {
        bool same = s->kind == "mark" && !s->target_uuid && s->participant_id == m.participant_id &&
                    s->event_id == scope.event_id && s->session_id == m.session_id && s->status == status &&
                    s->reason == m.reason && s->author == m.author && !s->device_id && s->link_id == scope.link_id &&
                    s->room_id == m.room_id && s->note.value_or("") == m.note;
        if (!same) return refused(MarkOutcome::conflict, "This mark's id is already used by another record.");
        MarkResult r;
        r.outcome = MarkOutcome::already;
        r.change = s->sync_seq.value_or(0);
        r.participant = m.participant_id;
        r.kind = m.kind;
        return r;
    }
    if (m.room_id) {
        auto event = event_of(db, *m.room_id);
        if (!event) return refused(MarkOutcome::not_found, "There is no such room.");
        if (!register_access::may_read(scope, *event, m.room_id))
            return refused(MarkOutcome::forbidden, "This tablet's link is for another room.");
    } else if (!register_access::may_read(scope, scope.event_id, std::nullopt)) {
        return refused(MarkOutcome::forbidden, "This tablet's link is for one room only.");
    }
    if (!exists(db, "SELECT 1 FROM sessions WHERE id = ?1 AND event_id = ?2", m.session_id, scope.event_id))
        return refused(MarkOutcome::not_found, "That session is not one of this event's.");
    if (!exists(db, "SELECT 1 FROM participants WHERE id = ?1", m.participant_id))
        return refused(MarkOutcome::not_found, "There is no such participant.");
    if (!visible(db, scope.event_id, m.room_id, m.participant_id, now))
        return refused(MarkOutcome::forbidden, "That person is not on this register.");

    Correction c;
    c.uuid = m.uuid;
    c.kind = CorrectionKind::mark;
    c.participant_id = m.participant_id;
    c.event_id = scope.event_id;
    c.session_id = m.session_id;
    c.status = m.kind == MarkKind::present ? AttendanceStatus::present : AttendanceStatus::left_early;
    c.reason = m.reason;
    c.author = m.author;
    c.created_ms = now;
    MarkResult r;
    r.change = next_change(db);
    insert(db, c, scope, m.room_id, m.note, r.change);
    tx.commit();
    r.outcome = MarkOutcome::stored;
    r.participant = m.participant_id;
    r.kind = m.kind;
    return r;
}

MarkResult undo_mark(db::Database& db, const register_access::Scope& scope, NewUndo u, TimeMs now) {
    if (!is_uuid(u.uuid)) return refused(MarkOutcome::invalid, "uuid: not a UUID");
    if (!is_uuid(u.target_uuid)) return refused(MarkOutcome::invalid, "target_uuid: not a UUID");
    u.author = std::string(text::trim(u.author));
    if (u.author.empty()) return refused(MarkOutcome::invalid, "author: empty");
    if (auto p = limits::text_problem(u.author, mark_author_chars)) return refused(MarkOutcome::invalid, "author: " + *p);

    db::Transaction tx(db);
    auto target = stored(db, u.target_uuid);
    if (auto s = stored(db, u.uuid)) {
        bool same = s->kind == "void" && s->target_uuid == u.target_uuid && s->author == u.author && !s->device_id &&
                    s->link_id == scope.link_id;
        if (!same) return refused(MarkOutcome::conflict, "This undo's id is already used by another record.");
        MarkResult r;
        r.outcome = MarkOutcome::already;
        r.change = s->sync_seq.value_or(0);
        r.participant = s->participant_id;
        return r;
    }
    if (!target || target->kind != "mark" || target->event_id != scope.event_id)
        return refused(MarkOutcome::not_found, "There is no such mark.");
    if (target->link_id != scope.link_id || target->device_id)
        return refused(MarkOutcome::forbidden, "Only the tablet that made a mark can undo it.");
    MarkResult r;
    r.participant = target->participant_id;
    r.kind = target->status ? parse_mark_kind(*target->status) : std::nullopt;
    auto& undone = db.cached("SELECT sync_seq FROM corrections WHERE kind = 'void' AND target_uuid = ?1 LIMIT 1");
    undone.bind(1, u.target_uuid);
    if (auto seq = undone.query_one([](const db::Statement& row) { return row.opt_int64(0); })) {
        // Undone already (another tap, another tab): harmless, nothing more is stored.
        r.outcome = MarkOutcome::already;
        r.change = seq->value_or(0);
        return r;
    }
    Correction c;
    c.uuid = u.uuid;
    c.kind = CorrectionKind::void_scan;
    c.target_uuid = u.target_uuid;
    c.participant_id = target->participant_id;
    c.event_id = scope.event_id;
    c.session_id = target->session_id;
    c.reason = "undone on the register";
    c.author = u.author;
    c.created_ms = now;
    r.change = next_change(db);
    insert(db, c, scope, target->room_id, "", r.change);
    tx.commit();
    r.outcome = MarkOutcome::stored;
    return r;
}

std::vector<register_view::Mark> register_marks(db::Database& db, EventId event, SessionId session) {
    auto& s = db.cached(
        "SELECT m.uuid, m.participant_id, m.status, m.reason, COALESCE(m.note, ''), m.author, m.created_ms, "
        "m.register_link_id, m.room_id, EXISTS (SELECT 1 FROM corrections v WHERE v.kind = 'void' AND "
        "v.target_uuid = m.uuid) FROM corrections m WHERE m.event_id = ?1 AND m.session_id = ?2 AND m.kind = 'mark' "
        "AND m.status IN ('present', 'left_early') AND m.participant_id IS NOT NULL ORDER BY m.created_ms, m.uuid");
    s.bind(1, event).bind(2, session);
    return s.query_all([](const db::Statement& r) {
        register_view::Mark m;
        m.uuid = r.text(0);
        m.participant_id = r.int64(1);
        m.status = r.text(2) == "left_early" ? AttendanceStatus::left_early : AttendanceStatus::present;
        m.reason = r.text(3);
        m.note = r.text(4);
        m.author = r.text(5);
        m.at_ms = r.int64(6);
        m.link_id = r.opt_int64(7);
        m.room_id = r.opt_int64(8);
        m.undone = r.int64(9) != 0;
        return m;
    });
}

}  // namespace muster::store
