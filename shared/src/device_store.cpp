#include "muster/store/device_store.hpp"

namespace muster::store {
namespace {

constexpr std::string_view device_columns =
    "id, name, mode, event_id, room_id, secret, revoked_ms, removed_ms, last_seen_ms, last_version, last_queued, "
    "last_clock_skew_ms";
constexpr int device_column_count = 12;

DeviceRow read_device(const db::Statement& s) {
    DeviceRow d;
    d.id = s.text(0);
    d.name = s.text(1);
    d.mode = parse_device_mode(s.text(2)).value_or(DeviceMode::entrance);
    d.event_id = s.opt_int64(3).value_or(0);
    d.room_id = s.opt_int64(4);
    d.secret_box = s.is_null(5) ? std::string() : s.blob(5);
    d.revoked_ms = s.opt_int64(6);
    d.removed_ms = s.opt_int64(7);
    d.last_seen_ms = s.opt_int64(8);
    d.last_version = s.opt_text(9);
    d.last_queued = s.opt_int64(10);
    d.last_clock_skew_ms = s.opt_int64(11);
    return d;
}

}  // namespace

std::optional<DeviceRow> find_device(db::Database& db, const std::string& id) {
    auto& s = db.cached("SELECT " + std::string(device_columns) + " FROM devices WHERE id = ?1");
    s.bind(1, id);
    return s.query_one(read_device);
}

bool insert_device(db::Database& db, const NewDevice& d) {
    // A taken id writes nothing rather than raising: on PostgreSQL a raised unique violation
    // would abort the caller's transaction.
    auto& s = db.cached(
        "INSERT INTO devices (id, name, mode, event_id, room_id, created_ms, secret) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
        "ON CONFLICT (id) DO NOTHING");
    s.bind_all(d.id, d.name, std::string(to_string(d.mode)), d.event_id);
    s.bind(5, d.room_id).bind(6, d.created_ms).bind_blob(7, d.secret_box.data(), d.secret_box.size());
    s.run();
    return db.changes() == 1;
}

bool reissue_device(db::Database& db, const NewDevice& d) {
    auto& s = db.cached(
        "UPDATE devices SET name = ?2, mode = ?3, event_id = ?4, room_id = ?5, created_ms = ?6, secret = ?7, "
        "revoked_ms = NULL, removed_ms = NULL, last_seen_ms = NULL, last_version = NULL, last_queued = NULL, "
        "last_clock_skew_ms = NULL WHERE id = ?1");
    s.bind_all(d.id, d.name, std::string(to_string(d.mode)), d.event_id);
    s.bind(5, d.room_id).bind(6, d.created_ms).bind_blob(7, d.secret_box.data(), d.secret_box.size());
    s.run();
    return db.changes() > 0;
}

std::int64_t hub_device_seq_max(db::Database& db, const std::string& id) {
    auto& s = db.cached("SELECT COALESCE(MAX(device_seq), 0) FROM check_ins WHERE device_id = ?1");
    s.bind(1, id);
    return s.query_one([](const db::Statement& r) { return r.int64(0); }).value_or(0);
}

Revocation revoke_device(db::Database& db, const std::string& id, TimeMs now) {
    auto& s = db.cached("UPDATE devices SET revoked_ms = ?2 WHERE id = ?1 AND revoked_ms IS NULL");
    s.bind(1, id).bind(2, now);
    s.run();
    if (db.changes() > 0) return Revocation::revoked;
    return find_device(db, id) ? Revocation::already_revoked : Revocation::no_such_device;
}

Removal remove_device(db::Database& db, const std::string& id, TimeMs now) {
    auto& s = db.cached("UPDATE devices SET removed_ms = ?2 WHERE id = ?1 AND removed_ms IS NULL");
    s.bind(1, id).bind(2, now);
    s.run();
    if (db.changes() > 0) return Removal::removed;
    return find_device(db, id) ? Removal::already_removed : Removal::no_such_device;
}

void note_device_report(db::Database& db, const std::string& id, const DeviceReport& r) {
    auto& s = db.cached(
        "UPDATE devices SET last_seen_ms = ?2, last_version = COALESCE(?3, last_version), "
        "last_queued = COALESCE(?4, last_queued), last_clock_skew_ms = COALESCE(?5, last_clock_skew_ms) WHERE id = ?1");
    s.bind(1, id).bind(2, r.seen_ms).bind(3, r.version).bind(4, r.queued).bind(5, r.clock_skew_ms);
    s.run();
}

std::optional<std::string> clean_version(std::string_view text) {
    if (text.empty() || text.size() > 32) return std::nullopt;
    for (char c : text) {
        bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '+' ||
                  c == '_' || c == '~' || c == '-';
        if (!ok) return std::nullopt;
    }
    return std::string(text);
}

std::vector<DeviceListing> list_devices(db::Database& db) {
    auto& s = db.cached("SELECT " + std::string(device_columns) +
                        ", (SELECT count(*) FROM check_ins c WHERE c.device_id = d.id) FROM devices d ORDER BY d.id");
    return s.query_all([](const db::Statement& r) { return DeviceListing{read_device(r), r.int64(device_column_count)}; });
}

}  // namespace muster::store
