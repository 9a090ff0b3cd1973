#include "muster/store/device_store.hpp"

namespace muster::store {
namespace {

constexpr std::string_view device_columns = "id, name, mode, event_id, room_id, secret, revoked_ms";

DeviceRow read_device(const db::Statement& s) {
    DeviceRow d;
    d.id = s.text(0);
    d.name = s.text(1);
    d.mode = parse_device_mode(s.text(2)).value_or(DeviceMode::entrance);
    d.event_id = s.opt_int64(3).value_or(0);
    d.room_id = s.opt_int64(4);
    d.secret_box = s.is_null(5) ? std::string() : s.blob(5);
    d.revoked_ms = s.opt_int64(6);
    return d;
}

}  // namespace

std::optional<DeviceRow> find_device(db::Database& db, const std::string& id) {
    auto& s = db.cached("SELECT " + std::string(device_columns) + " FROM devices WHERE id = ?1");
    s.bind(1, id);
    return s.query_one(read_device);
}

bool insert_device(db::Database& db, const NewDevice& d) {
    auto& s = db.cached(
        "INSERT INTO devices (id, name, mode, event_id, room_id, created_ms, secret) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    s.bind_all(d.id, d.name, std::string(to_string(d.mode)), d.event_id);
    s.bind(5, d.room_id).bind(6, d.created_ms).bind_blob(7, d.secret_box.data(), d.secret_box.size());
    try {
        s.run();
    } catch (const db::Error& e) {
        if (e.is_unique_violation()) return false;
        throw;
    }
    return true;
}

Revocation revoke_device(db::Database& db, const std::string& id, TimeMs now) {
    auto& s = db.cached("UPDATE devices SET revoked_ms = ?2 WHERE id = ?1 AND revoked_ms IS NULL");
    s.bind(1, id).bind(2, now);
    s.run();
    if (db.changes() > 0) return Revocation::revoked;
    return find_device(db, id) ? Revocation::already_revoked : Revocation::no_such_device;
}

std::vector<DeviceListing> list_devices(db::Database& db) {
    auto& s = db.cached("SELECT " + std::string(device_columns) +
                        ", (SELECT count(*) FROM check_ins c WHERE c.device_id = d.id) FROM devices d ORDER BY d.id");
    return s.query_all([](const db::Statement& r) { return DeviceListing{read_device(r), r.int64(7)}; });
}

}  // namespace muster::store
