#pragma once
// Moving a hub from its SQLite file to PostgreSQL (`muster hub migrate`, docs/scale.md): every
// hub table copied as it is, ids, change clock and sync_seq values included, so devices'
// cursors and everything that refers to an id stay valid. All or nothing: one PostgreSQL
// transaction, row counts checked table by table before it commits.
#include "muster/db/database.hpp"

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace muster::store {

// The copy was refused before anything was written: the target already holds data, the
// source is not a hub at this program's schema, or the two schemas do not match. The
// message says what to do.
class HubCopyRefused : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct HubCopyReport {
    struct Table {
        std::string name;
        std::int64_t rows = 0;
    };
    std::vector<Table> tables;  // in the order copied (parents before children)
    std::int64_t total_rows = 0;
};

// Called after each table is copied (and counted): counts only, never rows.
using HubCopyProgress = std::function<void(const std::string& table, std::int64_t rows)>;

// Copies the hub in `from_sqlite` (at latest_schema_version()) into `to_postgresql`, which
// must hold no hub data (a freshly migrated database: store::open_database on its URL).
// Migrates the target to the latest PostgreSQL schema first. Throws HubCopyRefused when the
// copy cannot start, db::Error when the target fails part way (then nothing was kept).
HubCopyReport copy_hub(db::Database& from_sqlite, db::Database& to_postgresql, const HubCopyProgress& progress = {});

// The hub's tables in an order that inserts every row after the rows its foreign keys name
// (read from the PostgreSQL catalog of `postgresql`), without muster_schema. Exposed for the
// tests.
std::vector<std::string> hub_tables_in_copy_order(db::Database& postgresql);

}  // namespace muster::store
