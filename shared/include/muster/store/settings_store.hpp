#pragma once
// Small key/value state kept in the database (a device's sync cursor and sync status).
#include "muster/db/database.hpp"

#include <optional>
#include <string>

namespace muster::store {

std::optional<std::string> setting(db::Database& db, const std::string& key);
void set_setting(db::Database& db, const std::string& key, const std::string& value);

}  // namespace muster::store
