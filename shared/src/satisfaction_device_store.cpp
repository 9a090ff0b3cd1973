// The exit kiosk's side of the satisfaction answers (satisfaction_store.hpp, migration 0011):
// stored with a random uuid and the hour only, handed to the sync in uuid order, forgotten
// once the hub has answered for them. Nothing here takes or writes who answered.
#include "muster/store/satisfaction_store.hpp"

#include "muster/util/uuid.hpp"

#include <stdexcept>

namespace muster::store {

sync::SatisfactionAnswer record_satisfaction_answer(db::Database& db, EventId event, std::optional<SessionId> session,
                                                    SatisfactionAnswerKind answer, TimeMs now) {
    if (now < 0) throw std::invalid_argument("a satisfaction answer needs a time after 1970");
    sync::SatisfactionAnswer a;
    a.uuid = new_random_uuid();  // v4: a v7 uuid would carry the exact time the hour hides
    a.event_id = event;
    a.session_id = session;
    a.answer = answer;
    a.answered_hour_ms = now - now % satisfaction_hour_ms;
    auto& s = db.cached(
        "INSERT INTO satisfaction_answers (uuid, event_id, session_id, answer, answered_hour_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    s.bind_all(a.uuid, a.event_id, a.session_id, to_string(a.answer), a.answered_hour_ms);
    s.run();
    return a;
}

std::vector<sync::SatisfactionAnswer> pending_satisfaction_answers(db::Database& db, std::size_t limit) {
    auto& s = db.cached(
        "SELECT uuid, event_id, session_id, answer, answered_hour_ms FROM satisfaction_answers ORDER BY uuid LIMIT ?1");
    s.bind(1, static_cast<std::int64_t>(limit));
    return s.query_all([](const db::Statement& r) {
        sync::SatisfactionAnswer a;
        a.uuid = r.text(0);
        a.event_id = r.int64(1);
        a.session_id = r.opt_int64(2);
        // The CHECK constraint keeps the column to the three codes.
        a.answer = parse_satisfaction_answer(r.text(3)).value_or(SatisfactionAnswerKind::not_sure);
        a.answered_hour_ms = r.int64(4);
        return a;
    });
}

void forget_satisfaction_answers(db::Database& db, std::span<const std::string> uuids) {
    if (uuids.empty()) return;
    db::Transaction tx(db);
    auto& s = db.cached("DELETE FROM satisfaction_answers WHERE uuid = ?1");
    for (const auto& u : uuids) {
        s.bind(1, u);
        s.run();
    }
    tx.commit();
}

}  // namespace muster::store
