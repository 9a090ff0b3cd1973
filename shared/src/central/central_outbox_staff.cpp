// What staff see of the outbox and what they can do about it (central_outbox.hpp): counts
// per event and target, every entry of an event, and a retry of what a target rejected.
#include "central_outbox_internal.hpp"
#include "../sql_json.hpp"

#include <map>

namespace muster::store {
namespace {

void count(DeliveryCounts& c, std::string_view state, int n) {
    switch (parse_delivery_state(state).value_or(DeliveryState::pending)) {
        case DeliveryState::pending: c.pending += n; break;
        case DeliveryState::sending: c.sending += n; break;
        case DeliveryState::delivered: c.delivered += n; break;
        case DeliveryState::rejected: c.rejected += n; break;
        case DeliveryState::superseded: c.superseded += n; break;
    }
}

struct TargetInfo {
    TargetKind kind = TargetKind::https;
    bool active = false;
};

std::map<std::string, TargetInfo> targets(db::Database& db) {
    std::map<std::string, TargetInfo> out;
    db.cached("SELECT name, kind, active FROM central_targets").for_each_row([&](const db::Statement& r) {
        out[r.text(0)] = TargetInfo{parse_target_kind(r.text(1)).value_or(TargetKind::https), r.int64(2) != 0};
    });
    return out;
}

TargetDeliveryCounts target_counts(const std::map<std::string, TargetInfo>& info, const std::string& name) {
    TargetDeliveryCounts t;
    t.target = name;
    if (auto it = info.find(name); it != info.end()) {
        t.kind = it->second.kind;
        t.active = it->second.active;
    }
    return t;
}

}  // namespace

std::vector<EventDeliveryStatus> central_status(db::Database& db) {
    db::Transaction tx(db, db::Transaction::Kind::deferred);
    const auto info = targets(db);
    std::vector<EventDeliveryStatus> out;
    std::map<EventId, std::size_t> index;
    auto& events = db.cached(
        "SELECT e.id, e.title, e.local_date, so.signed_off_ms, (SELECT COUNT(DISTINCT r.participant_id) FROM "
        "central_records r WHERE r.event_id = e.id) FROM events e JOIN event_sign_offs so ON so.event_id = e.id WHERE "
        "EXISTS (SELECT 1 FROM central_records r WHERE r.event_id = e.id) ORDER BY e.local_date DESC, e.id DESC");
    events.for_each_row([&](const db::Statement& r) {
        EventDeliveryStatus s;
        s.event_id = r.int64(0);
        s.title = r.text(1);
        s.local_date = r.text(2);
        s.signed_off_ms = r.int64(3);
        s.records = r.int32(4);
        index.emplace(s.event_id, out.size());
        out.push_back(std::move(s));
    });
    auto& counts = db.cached(
        "SELECT r.event_id, d.target, d.state, COUNT(*), MAX(d.delivered_ms) FROM central_deliveries d JOIN "
        "central_records r ON r.id = d.record_row GROUP BY r.event_id, d.target, d.state ORDER BY r.event_id, d.target");
    counts.for_each_row([&](const db::Statement& r) {
        auto it = index.find(r.int64(0));
        if (it == index.end()) return;
        EventDeliveryStatus& s = out[it->second];
        const std::string target = r.text(1);
        if (s.targets.empty() || s.targets.back().target != target) s.targets.push_back(target_counts(info, target));
        count(s.targets.back().counts, r.text(2), r.int32(3));
        if (auto at = r.opt_int64(4); at && (!s.last_delivered_ms || *at > *s.last_delivered_ms)) s.last_delivered_ms = at;
    });
    tx.commit();
    return out;
}

std::vector<TargetDeliveryCounts> central_totals(db::Database& db) {
    db::Transaction tx(db, db::Transaction::Kind::deferred);
    const auto info = targets(db);
    std::vector<TargetDeliveryCounts> out;
    for (const auto& [name, _] : info) out.push_back(target_counts(info, name));  // by name, idle ones too
    auto& counts = db.cached("SELECT target, state, COUNT(*) FROM central_deliveries GROUP BY target, state");
    counts.for_each_row([&](const db::Statement& r) {
        const std::string target = r.text(0);
        for (auto& t : out)
            if (t.target == target) count(t.counts, r.text(1), r.int32(2));
    });
    tx.commit();
    return out;
}

std::optional<std::vector<RecordDelivery>> event_deliveries(db::Database& db, EventId event) {
    db::Transaction tx(db, db::Transaction::Kind::deferred);
    auto& exists = db.cached("SELECT 1 FROM events WHERE id = ?1");
    if (!exists.bind(1, event).query_one([](const db::Statement&) { return true; })) return std::nullopt;
    // The names and status as the version states them (its payload), so the page shows what
    // was sent even if the roster changed since.
    const auto field = [&](std::string_view name) { return sql_json::text_field(db, "r.payload", name); };
    auto& s = db.cached(
        "SELECT d.id, d.target, r.record_id, r.version, d.correction, r.participant_id, " + field("first_name") + ", " +
        field("last_name") + ", " + field("status") +
        ", d.state, d.attempts, d.queued_ms, d.updated_ms, d.next_attempt_ms, "
        "d.last_status, COALESCE(d.last_error, ''), d.remote_id, d.delivered_ms, d.retried_by "
        "FROM central_deliveries d JOIN central_records r ON r.id = d.record_row WHERE r.event_id = ?1 "
        "ORDER BY lower(" + field("last_name") + "), lower(" + field("first_name") +
        "), r.participant_id, r.version, d.target");
    auto rows = s.bind(1, event).query_all([](const db::Statement& r) {
        RecordDelivery d;
        d.delivery_id = r.int64(0);
        d.target = r.text(1);
        d.record_id = r.text(2);
        d.version = r.int32(3);
        d.correction = r.int64(4) != 0;
        d.participant_id = r.int64(5);
        d.full_name = r.opt_text(6).value_or("") + " " + r.opt_text(7).value_or("");
        d.status = parse_attendance_status(r.opt_text(8).value_or("")).value_or(AttendanceStatus::absent);
        d.state = parse_delivery_state(r.text(9)).value_or(DeliveryState::pending);
        d.attempts = r.int32(10);
        d.queued_ms = r.int64(11);
        d.updated_ms = r.int64(12);
        if (d.state == DeliveryState::pending) d.next_attempt_ms = r.int64(13);
        if (auto st = r.opt_int64(14)) d.last_status = static_cast<int>(*st);
        d.last_error = r.text(15);
        d.remote_id = r.opt_text(16);
        d.delivered_ms = r.opt_int64(17);
        d.retried_by = r.opt_text(18);
        return d;
    });
    tx.commit();
    return rows;
}

int retry_rejected(db::Database& db, const RetrySelection& which, std::string_view by, TimeMs now) {
    db::Transaction tx(db);
    auto& s = db.cached(
        "UPDATE central_deliveries SET state = 'pending', next_attempt_ms = ?4, updated_ms = ?4, retried_by = ?5, "
        "retried_ms = ?4 WHERE state = 'rejected' AND (CAST(?1 AS BIGINT) IS NULL OR id = ?1) AND "
        "(CAST(?2 AS BIGINT) IS NULL OR record_row IN (SELECT id FROM central_records WHERE event_id = ?2)) AND "
        "(CAST(?3 AS TEXT) IS NULL OR target = ?3)");
    s.bind_all(which.delivery_id, which.event_id, which.target, now, by).run();
    const int retried = db.changes();
    tx.commit();
    return retried;
}

}  // namespace muster::store
