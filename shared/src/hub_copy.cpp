#include "muster/store/hub_copy.hpp"

#include "muster/store/schema.hpp"
#include "row_copy.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>

namespace muster::store {
namespace {

// Table and column names come from the two catalogs, never from rows; quoted all the same,
// and refused if they are not the plain names the migrations make.
std::string quoted(const std::string& name) {
    bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (!plain) throw HubCopyRefused("unexpected table or column name in the schema: '" + name + "'");
    return "\"" + name + "\"";
}

std::int64_t count_rows(db::Database& db, const std::string& table, const std::string& where = "") {
    return db.prepare("SELECT count(*) FROM " + quoted(table) + where)
        .query_one([](const db::Statement& r) { return r.int64(0); })
        .value_or(0);
}

// The columns of each table on PostgreSQL, and which of them are identity columns.
struct PgColumns {
    std::map<std::string, std::set<std::string>> columns;
    std::vector<std::pair<std::string, std::string>> identities;  // (table, column)
};

PgColumns postgresql_columns(db::Database& pg) {
    PgColumns out;
    pg.prepare("SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT), CAST(is_identity AS TEXT) "
               "FROM information_schema.columns WHERE table_schema = current_schema() "
               "ORDER BY table_name, ordinal_position")
        .for_each_row([&](const db::Statement& r) {
            out.columns[r.text(0)].insert(r.text(1));
            if (r.text(2) == "YES") out.identities.emplace_back(r.text(0), r.text(1));
        });
    return out;
}

std::vector<std::string> sqlite_tables(db::Database& sqlite) {
    return sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")
        .query_all([](const db::Statement& r) { return r.text(0); });
}

std::vector<std::string> sqlite_columns(db::Database& sqlite, const std::string& table) {
    return sqlite.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
        .bind(1, table)
        .query_all([](const db::Statement& r) { return r.text(0); });
}

// The source must be a hub at exactly this program's schema: an older one is migrated by
// opening it with this muster first; a newer one has tables this program cannot know.
void require_latest_hub(db::Database& sqlite) {
    if (sqlite.engine() != db::Engine::sqlite) throw HubCopyRefused("the hub to copy must be a SQLite file");
    int version = sqlite.prepare("PRAGMA user_version").query_one([](const db::Statement& r) { return r.int32(0); }).value_or(0);
    if (version < latest_schema_version())
        throw HubCopyRefused(sqlite.path() + " is at schema version " + std::to_string(version) + ", older than this muster's " +
                             std::to_string(latest_schema_version()) +
                             ": open it once with this muster (e.g. `muster event list`) to bring it up to date, then copy it");
    if (version > latest_schema_version())
        throw HubCopyRefused(sqlite.path() + " is at schema version " + std::to_string(version) +
                             ", newer than this muster knows: use the muster that made it");
    bool has_hub = sqlite.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'hub'")
                       .query_one([](const db::Statement& r) { return r.int64(0); })
                       .value_or(0) > 0;
    if (!has_hub || count_rows(sqlite, "hub") != 1) throw HubCopyRefused(sqlite.path() + " is not a hub's database (no hub row)");
}

// The two schemas must name the same tables and columns: a column only one side has would
// be lost or left at its default without anyone noticing.
void require_same_tables(db::Database& sqlite, const std::vector<std::string>& order, const PgColumns& pg) {
    std::set<std::string> on_pg(order.begin(), order.end());
    auto on_sqlite = sqlite_tables(sqlite);
    for (const auto& t : on_sqlite)
        if (!on_pg.count(t)) throw HubCopyRefused("table " + t + " has no twin in the PostgreSQL schema: this muster cannot copy it");
    std::set<std::string> sqlite_set(on_sqlite.begin(), on_sqlite.end());
    for (const auto& t : order) {
        if (!sqlite_set.count(t)) throw HubCopyRefused("table " + t + " of the PostgreSQL schema is not in " + sqlite.path());
        auto columns = sqlite_columns(sqlite, t);
        std::set<std::string> sqlite_cols(columns.begin(), columns.end());
        const auto& pg_cols = pg.columns.at(t);
        if (sqlite_cols != pg_cols) throw HubCopyRefused("table " + t + " has different columns on SQLite and PostgreSQL");
    }
}

// Nothing may be overwritten or merged: the target holds no row of any hub table, apart
// from the change clock's first row (0) that the migration itself writes.
void require_empty_target(db::Database& pg, const std::vector<std::string>& order) {
    for (const char* t : {"hub", "participants", "check_ins"})
        if (std::int64_t n = count_rows(pg, t); n > 0)
            throw HubCopyRefused(pg.path() + " already holds a hub (table " + t + " has rows: " + std::to_string(n) +
                                 "): copy into an empty database, made for this hub");
    for (const auto& t : order) {
        std::int64_t n = t == "change_clock" ? count_rows(pg, t, " WHERE value <> 0") : count_rows(pg, t);
        if (n > 0)
            throw HubCopyRefused(pg.path() + " already holds hub data (table " + t + " has rows: " + std::to_string(n) +
                                 "): copy into an empty database, made for this hub");
    }
}

// Copies one table; returns the rows read from the source. Each cell is bound as what
// SQLite stored (row_copy), so PostgreSQL checks it against the column (and refuses,
// aborting the copy, rather than coercing silently).
std::int64_t copy_table(db::Database& from, db::Database& to, const std::string& table) {
    auto columns = sqlite_columns(from, table);
    std::string select = "SELECT ";
    for (std::size_t i = 0; i < columns.size(); ++i) select += (i ? ", " : "") + quoted(columns[i]);
    select += " FROM " + quoted(table);
    auto rows = from.prepare(select);
    return copy_rows(rows, to, table, columns);
}

}  // namespace

std::vector<std::string> hub_tables_in_copy_order(db::Database& pg) {
    std::set<std::string> tables;
    pg.prepare("SELECT CAST(c.relname AS TEXT) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
               "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname <> 'muster_schema'")
        .for_each_row([&](const db::Statement& r) { tables.insert(r.text(0)); });
    // child -> the tables it refers to
    std::map<std::string, std::set<std::string>> parents;
    pg.prepare("SELECT CAST(child.relname AS TEXT), CAST(parent.relname AS TEXT) FROM pg_constraint k "
               "JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid "
               "JOIN pg_namespace n ON n.oid = child.relnamespace "
               "WHERE k.contype = 'f' AND n.nspname = current_schema()")
        .for_each_row([&](const db::Statement& r) {
            if (r.text(0) != r.text(1)) parents[r.text(0)].insert(r.text(1));  // a self reference orders nothing
        });
    // Kahn's order, alphabetical among the ready ones so the order is the same every run.
    std::vector<std::string> order;
    std::set<std::string> placed;
    while (order.size() < tables.size()) {
        bool progressed = false;
        for (const auto& t : tables) {
            if (placed.count(t)) continue;
            bool ready = std::all_of(parents[t].begin(), parents[t].end(),
                                     [&](const std::string& p) { return placed.count(p) || !tables.count(p); });
            if (!ready) continue;
            order.push_back(t);
            placed.insert(t);
            progressed = true;
            break;
        }
        if (!progressed) throw HubCopyRefused("the PostgreSQL schema's foreign keys form a cycle: no order to copy the tables in");
    }
    return order;
}

HubCopyReport copy_hub(db::Database& from, db::Database& to, const HubCopyProgress& progress) {
    if (to.engine() != db::Engine::postgresql) throw HubCopyRefused("the target must be a postgresql:// database");
    migrate(to);
    // One snapshot of the source (a server still writing to it would not tear the copy),
    // and one write transaction on the target: its advisory lock keeps any server process
    // on the target waiting until the copy has committed or rolled back.
    db::Transaction reading(from, db::Transaction::Kind::deferred);
    db::Transaction writing(to, db::Transaction::Kind::immediate);
    require_latest_hub(from);
    auto order = hub_tables_in_copy_order(to);
    auto pg = postgresql_columns(to);
    require_same_tables(from, order, pg);
    require_empty_target(to, order);

    HubCopyReport report;
    for (const auto& table : order) {
        if (table == "change_clock") to.exec("DELETE FROM change_clock");  // the migration's 0, replaced by the hub's value
        std::int64_t expected = count_rows(from, table);
        std::int64_t copied = copy_table(from, to, table);
        std::int64_t landed = count_rows(to, table);
        if (copied != expected || landed != expected)
            throw db::Error(SQLITE_ERROR, "count check failed for table " + table + ": " + std::to_string(expected) +
                                                            " rows in the hub, " + std::to_string(copied) + " read, " +
                                                            std::to_string(landed) + " in the target; nothing was kept");
        report.tables.push_back({table, expected});
        report.total_rows += expected;
        if (progress) progress(table, expected);
    }
    // Ids were inserted as given: each identity moves on past the largest, so the next row
    // the server adds does not collide with a copied one.
    for (const auto& [table, column] : pg.identities) {
        if (table == "muster_schema") continue;
        to.prepare("SELECT setval(pg_get_serial_sequence(?1, ?2), max(" + quoted(column) + ")) FROM " + quoted(table))
            .bind(1, table)
            .bind(2, column)
            .query_one([](const db::Statement&) { return 0; });
    }
    writing.commit();
    reading.commit();
    return report;
}

}  // namespace muster::store
