#pragma once
// The hub's own row: its name and Ed25519 public key (the private key is a file beside the
// database, never in it). A device database holds a copy; a database without it is not a
// hub's or a provisioned device's.
#include "muster/badge/hub_keys.hpp"
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <optional>
#include <string>

namespace muster::store {

struct HubRecord {
    std::string name;
    std::string public_key;  // raw bytes as stored; 32 for an intact key
    std::string key_id;
};

void insert_hub(db::Database& db, const std::string& name, const badge::PublicKey& public_key, TimeMs created_ms);
std::optional<HubRecord> read_hub(db::Database& db);

}  // namespace muster::store
