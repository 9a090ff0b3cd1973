// The hub's side of the satisfaction question (muster/store/satisfaction_store.hpp,
// docs/satisfaction.md): answers uploaded by exit kiosks, stored as they came (event,
// session, answer, hour: nothing that names who gave them), and counted per event against
// the alliance's 90 %.
#include "muster/store/satisfaction_store.hpp"

namespace muster::store {
namespace {

// The answer under `uuid` as stored, or nullopt.
std::optional<sync::SatisfactionAnswer> stored_answer(db::Database& db, const std::string& uuid) {
    auto& s = db.cached("SELECT event_id, session_id, answer, answered_hour_ms FROM satisfaction_answers WHERE uuid = ?1");
    s.bind(1, uuid);
    return s.query_one([&](const db::Statement& r) {
        sync::SatisfactionAnswer a;
        a.uuid = uuid;
        a.event_id = r.int64(0);
        a.session_id = r.opt_int64(1);
        // The column's CHECK allows only the three words.
        a.answer = parse_satisfaction_answer(r.text(2)).value_or(SatisfactionAnswerKind::not_sure);
        a.answered_hour_ms = r.int64(3);
        return a;
    });
}

bool same_content(const sync::SatisfactionAnswer& a, const sync::SatisfactionAnswer& b) {
    return a.event_id == b.event_id && a.session_id == b.session_id && a.answer == b.answer &&
           a.answered_hour_ms == b.answered_hour_ms;
}

bool event_exists(db::Database& db, EventId event) {
    auto& s = db.cached("SELECT 1 FROM events WHERE id = ?1");
    s.bind(1, event);
    return s.query_one([](const db::Statement&) { return true; }).has_value();
}

bool session_of_event(db::Database& db, SessionId session, EventId event) {
    auto& s = db.cached("SELECT 1 FROM sessions WHERE id = ?1 AND event_id = ?2");
    s.bind_all(session, event);
    return s.query_one([](const db::Statement&) { return true; }).has_value();
}

}  // namespace

AnswerIntake store_satisfaction_answer(db::Database& db, const sync::SatisfactionAnswer& a) {
    // A uuid already stored is answered before the content is judged, so a retry is
    // answered as the first try was even if the event's sessions changed since.
    if (auto before = stored_answer(db, a.uuid)) return same_content(*before, a) ? AnswerIntake::already : AnswerIntake::conflict;
    if (a.uuid.empty() || a.answered_hour_ms < 0 || a.answered_hour_ms % satisfaction_hour_ms != 0) return AnswerIntake::invalid;
    if (!event_exists(db, a.event_id)) return AnswerIntake::invalid;
    if (a.session_id && !session_of_event(db, *a.session_id, a.event_id)) return AnswerIntake::invalid;
    // ON CONFLICT rather than a caught unique violation: on PostgreSQL a failed statement
    // would abort the caller's whole upload transaction. The intake's write transaction
    // serializes uploads, so the uuid is new here unless a caller writes outside one; then the
    // row another connection stored first answers as a retry would.
    auto& s = db.cached(
        "INSERT INTO satisfaction_answers (uuid, event_id, session_id, answer, answered_hour_ms) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (uuid) DO NOTHING");
    s.bind_all(a.uuid, a.event_id, a.session_id, to_string(a.answer), a.answered_hour_ms);
    s.run();
    if (db.changes() == 0) {
        auto before = stored_answer(db, a.uuid);
        return before && same_content(*before, a) ? AnswerIntake::already : AnswerIntake::conflict;
    }
    return AnswerIntake::stored;
}

namespace {

// The answers' counts joined to their events, for one event (?1) or all (?1 NULL). An
// event with no answers gives zero counts (the LEFT JOIN's NULL answer is counted by none).
constexpr const char* figures_sql =
    "SELECT e.id, e.title, e.local_date, "
    "       COUNT(CASE WHEN a.answer = 'agree' THEN 1 END), COUNT(CASE WHEN a.answer = 'not_sure' THEN 1 END), "
    "       COUNT(CASE WHEN a.answer = 'disagree' THEN 1 END) "
    "FROM events e LEFT JOIN satisfaction_answers a ON a.event_id = e.id "
    "WHERE (CAST(?1 AS BIGINT) IS NULL OR e.id = ?1) "
    "GROUP BY e.id HAVING CAST(?1 AS BIGINT) IS NOT NULL OR COUNT(a.uuid) > 0 "
    "ORDER BY e.local_date DESC, e.id DESC";

SatisfactionFigure read_figure(const db::Statement& r) {
    SatisfactionFigure f;
    f.event_id = r.int64(0);
    f.title = r.text(1);
    f.local_date = r.text(2);
    f.agree = r.int32(3);
    f.not_sure = r.int32(4);
    f.disagree = r.int32(5);
    return f;
}

}  // namespace

std::optional<SatisfactionFigure> satisfaction_for_event(db::Database& db, EventId event) {
    auto s = db.prepare(figures_sql);
    s.bind(1, event);
    return s.query_one(read_figure);
}

std::vector<SatisfactionFigure> satisfaction_by_event(db::Database& db) {
    auto s = db.prepare(figures_sql);
    s.bind(1, nullptr);
    return s.query_all(read_figure);
}

}  // namespace muster::store
