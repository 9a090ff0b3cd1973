#include "muster/store/settings_store.hpp"

namespace muster::store {

std::optional<std::string> setting(db::Database& db, const std::string& key) {
    auto& s = db.cached("SELECT value FROM settings WHERE key = ?1");
    s.bind(1, key);
    return s.query_one([](const db::Statement& r) { return r.text(0); });
}

void set_setting(db::Database& db, const std::string& key, const std::string& value) {
    auto& s = db.cached("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    s.bind(1, key).bind(2, value);
    s.run();
}

}  // namespace muster::store
