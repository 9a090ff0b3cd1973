#include "muster/store/outbox_store.hpp"

namespace muster::store {
namespace {

OutboxKind kind_of(const std::string& text) { return text == "correction" ? OutboxKind::correction : OutboxKind::check_in; }

}  // namespace

OutboxCounts outbox_counts(db::Database& db) {
    auto& s = db.cached("SELECT count(*) FILTER (WHERE rejected_reason IS NULL), "
                        "count(*) FILTER (WHERE rejected_reason IS NOT NULL) FROM outbox");
    return s.query_one([](const db::Statement& r) {
                return OutboxCounts{static_cast<std::size_t>(r.int64(0)), static_cast<std::size_t>(r.int64(1))};
            }).value();
}

std::vector<OutboxItem> outbox_next(db::Database& db, std::size_t limit) {
    auto& s = db.cached("SELECT uuid, kind FROM outbox WHERE rejected_reason IS NULL ORDER BY queued_ms, uuid LIMIT ?1");
    s.bind(1, static_cast<std::int64_t>(limit));
    return s.query_all([](const db::Statement& r) { return OutboxItem{r.text(0), kind_of(r.text(1))}; });
}

std::vector<OutboxItem> outbox_all(db::Database& db) {
    auto& s = db.cached("SELECT uuid, kind FROM outbox ORDER BY queued_ms, uuid");
    return s.query_all([](const db::Statement& r) { return OutboxItem{r.text(0), kind_of(r.text(1))}; });
}

void outbox_remove(db::Database& db, const std::string& uuid) {
    auto& s = db.cached("DELETE FROM outbox WHERE uuid = ?1");
    s.bind(1, uuid);
    s.run();
}

void outbox_refuse(db::Database& db, const std::string& uuid, const std::string& reason) {
    auto& s = db.cached("UPDATE outbox SET rejected_reason = ?2, attempts = attempts + 1 WHERE uuid = ?1");
    s.bind(1, uuid).bind(2, reason);
    s.run();
}

void outbox_note_failure(db::Database& db, const std::string& uuid, const std::string& error) {
    auto& s = db.cached("UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE uuid = ?1");
    s.bind(1, uuid).bind(2, error);
    s.run();
}

std::vector<OutboxEntry> outbox_entries(db::Database& db, std::size_t limit) {
    auto& s = db.cached(
        "SELECT o.queued_ms, o.kind, o.uuid, o.attempts, coalesce(o.rejected_reason, o.last_error, ''), c.outcome, "
        "coalesce(c.participant_id, v.participant_id), v.kind FROM outbox o LEFT JOIN check_ins c ON c.uuid = o.uuid "
        "LEFT JOIN corrections v ON v.uuid = o.uuid ORDER BY o.queued_ms DESC, o.uuid LIMIT ?1");
    s.bind(1, static_cast<std::int64_t>(limit));
    return s.query_all([](const db::Statement& r) {
        OutboxEntry e;
        e.queued_ms = r.int64(0);
        e.kind = kind_of(r.text(1));
        e.uuid = r.text(2);
        e.attempts = r.int32(3);
        e.problem = r.text(4);
        if (!r.is_null(5)) e.outcome = parse_outcome(r.text(5));
        e.participant_id = r.opt_int64(6);
        e.correction_kind = r.text(7);
        return e;
    });
}

}  // namespace muster::store
