// The delivery worker's side of the outbox (central_outbox.hpp): claim due entries, record
// what the target said, release what a stopped server left half-sent.
#include "central_outbox_internal.hpp"

#include <algorithm>

namespace muster::store {
namespace {

// "Not held back by an older version of the same record still on its way to this target":
// versions reach a target in order. Version 1 has nothing before it (the common case, no
// lookup).
constexpr std::string_view in_order =
    "(r.version = 1 OR NOT EXISTS (SELECT 1 FROM central_records o JOIN central_deliveries od ON od.record_row = o.id "
    "WHERE o.record_id = r.record_id AND o.version < r.version AND od.target = d.target AND "
    "od.state IN ('pending', 'sending')))";

// An entry rejected while a newer version of its record was queued behind it (an amendment
// made while it was being sent) gives way to that version, as it would have had it not been
// on its way: never retried after it, which would put the older record back. The newer
// entries there are corrections only if an older version did reach the target.
void give_way_if_newer(db::Database& db, std::int64_t delivery_id, TimeMs now) {
    auto& newer = db.cached(
        "SELECT nd.id FROM central_deliveries d JOIN central_records r ON r.id = d.record_row JOIN central_records nr "
        "ON nr.record_id = r.record_id AND nr.version > r.version JOIN central_deliveries nd ON nd.record_row = nr.id "
        "AND nd.target = d.target WHERE d.id = ?1 AND nd.state = 'pending'");
    auto ids = newer.bind(1, delivery_id).query_all([](const db::Statement& r) { return r.int64(0); });
    if (ids.empty()) return;
    db.cached("UPDATE central_deliveries SET state = 'superseded', updated_ms = ?2 WHERE id = ?1")
        .bind_all(delivery_id, now)
        .run();
    auto& correction = db.cached(
        "UPDATE central_deliveries SET correction = CASE WHEN EXISTS (SELECT 1 FROM central_records me JOIN "
        "central_records o ON o.record_id = me.record_id AND o.version < me.version JOIN central_deliveries od ON "
        "od.record_row = o.id AND od.target = central_deliveries.target WHERE me.id = central_deliveries.record_row "
        "AND od.state IN ('delivered', 'sending')) THEN 1 ELSE 0 END WHERE id = ?1");
    for (auto id : ids) correction.bind(1, id).run();
}

}  // namespace

std::vector<DeliveryItem> claim_due_deliveries(db::Database& db, std::string_view target, std::size_t limit,
                                               TimeMs now) {
    std::vector<DeliveryItem> out;
    if (limit == 0) return out;
    db::Transaction tx(db);
    // Earliest due first, along the (target, state, next_attempt_ms) index, so a claim reads
    // only the entries it hands out (and the few held back), not the whole backlog. An entry
    // never tried is due when it was queued: oldest queued first.
    static const std::string sql =
        "SELECT d.id, r.record_id, r.version, d.correction, r.payload, d.attempts FROM central_deliveries d "
        "JOIN central_records r ON r.id = d.record_row WHERE d.target = ?1 AND d.state = 'pending' AND "
        "d.next_attempt_ms <= ?2 AND " + std::string(in_order) + " ORDER BY d.next_attempt_ms, d.id LIMIT ?3";
    auto& s = db.cached(sql);
    s.bind_all(target, now, static_cast<std::int64_t>(limit)).for_each_row([&](const db::Statement& r) {
        DeliveryItem item;
        item.delivery_id = r.int64(0);
        item.target = std::string(target);
        item.record_id = r.text(1);
        item.version = r.int32(2);
        item.correction = r.int64(3) != 0;
        item.idempotency_key = item.target + ":" + item.record_id + ":" + std::to_string(item.version);
        item.payload = r.text(4);
        item.attempts = r.int32(5) + 1;
        out.push_back(std::move(item));
    });
    auto& claim = db.cached("UPDATE central_deliveries SET state = 'sending', attempts = attempts + 1, updated_ms = ?2 "
                            "WHERE id = ?1 AND state = 'pending'");
    for (const auto& item : out) claim.bind_all(item.delivery_id, now).run();
    tx.commit();
    return out;
}

void record_delivery_results(db::Database& db, std::span<const DeliveryResult> results, TimeMs now) {
    if (results.empty()) return;
    db::Transaction tx(db);
    auto& delivered = db.cached(
        "UPDATE central_deliveries SET state = 'delivered', last_status = ?2, last_error = NULL, remote_id = ?3, "
        "delivered_ms = ?4, updated_ms = ?4 WHERE id = ?1 AND state = 'sending'");
    auto& retry = db.cached(
        "UPDATE central_deliveries SET state = 'pending', last_status = ?2, last_error = ?3, next_attempt_ms = ?4, "
        "updated_ms = ?5 WHERE id = ?1 AND state = 'sending'");
    auto& rejected = db.cached(
        "UPDATE central_deliveries SET state = 'rejected', last_status = ?2, last_error = ?3, updated_ms = ?4 "
        "WHERE id = ?1 AND state = 'sending'");
    for (const auto& r : results) {
        switch (r.kind) {
            case DeliveryResult::Kind::delivered:
                delivered.bind_all(r.delivery_id, r.http_status, r.remote_id, now).run();
                break;
            case DeliveryResult::Kind::retry:
                retry.bind_all(r.delivery_id, r.http_status, r.error, std::max(r.next_attempt_ms, now), now).run();
                break;
            case DeliveryResult::Kind::rejected:
                rejected.bind_all(r.delivery_id, r.http_status, r.error, now).run();
                if (db.changes() == 1) give_way_if_newer(db, r.delivery_id, now);
                break;
        }
    }
    tx.commit();
}

int release_interrupted_deliveries(db::Database& db, TimeMs now, std::string_view target, TimeMs stale_after_ms) {
    static const std::string release = "UPDATE central_deliveries SET state = 'pending', next_attempt_ms = ?1, "
                                       "updated_ms = ?1, last_error = 'interrupted: the server stopped while sending' "
                                       "WHERE state = 'sending' AND updated_ms <= ?2";
    static const std::string release_target = release + " AND target = ?3";
    db::Transaction tx(db);
    auto& s = db.cached(target.empty() ? release : release_target);
    s.bind_all(now, now - stale_after_ms);
    if (!target.empty()) s.bind(3, target);
    s.run();
    const int released = db.changes();
    tx.commit();
    return released;
}

std::optional<TimeMs> next_delivery_due(db::Database& db, std::string_view target) {
    // The first pending entry not held back by an older version: one held back is due when
    // the one before it is done, which the worker hears of anyway.
    static const std::string sql = "SELECT d.next_attempt_ms FROM central_deliveries d JOIN central_records r ON "
                                   "r.id = d.record_row WHERE d.target = ?1 AND d.state = 'pending' AND " +
                                   std::string(in_order) + " ORDER BY d.next_attempt_ms, d.id LIMIT 1";
    auto& s = db.cached(sql);
    return s.bind(1, target).query_one([](const db::Statement& r) { return r.int64(0); });
}

}  // namespace muster::store
