#include "muster/store/hub_store.hpp"

namespace muster::store {

void insert_hub(db::Database& db, const std::string& name, const badge::PublicKey& public_key, TimeMs created_ms) {
    auto& s = db.cached("INSERT INTO hub (id, name, public_key, key_id, created_ms) VALUES (1, ?1, ?2, ?3, ?4)");
    s.bind(1, name).bind_blob(2, public_key.data(), public_key.size());
    s.bind(3, badge::key_id(public_key)).bind(4, created_ms);
    s.run();
}

std::optional<HubRecord> read_hub(db::Database& db) {
    auto& s = db.cached("SELECT name, public_key, key_id FROM hub WHERE id = 1");
    return s.query_one([](const db::Statement& r) { return HubRecord{r.text(0), r.blob(1), r.text(2)}; });
}

}  // namespace muster::store
