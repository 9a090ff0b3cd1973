#pragma once
// Copying rows from one database into another, whatever engine each is on: every cell is
// bound as what the source row holds (db::ColumnType), so nothing is coerced on the way and
// the target's own column types judge it. Used to provision a device from a hub (SQLite or
// PostgreSQL) and to move a SQLite hub onto PostgreSQL (muster hub migrate).
#include "muster/db/database.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace muster::store {

// Steps `select` (prepared on the source and bound by the caller; reset when done) and
// inserts each row into `table (columns)` of `to`, in batched multi-row INSERTs. The select's
// columns match `columns` one for one. Returns the rows copied. Table and column names come
// from code or the schema's catalogs, never from rows; a name that is not a plain lower-case
// identifier is refused. A failed INSERT throws db::Error naming the table and rows.
std::int64_t copy_rows(db::Statement& select, db::Database& to, const std::string& table,
                       const std::vector<std::string>& columns);

// A table or column name quoted for SQL, after the check above (std::invalid_argument).
std::string quoted_name(const std::string& name);

}  // namespace muster::store
