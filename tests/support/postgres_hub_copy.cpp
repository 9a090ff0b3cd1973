#include "postgres_hub_copy.hpp"

#include "postgres_cluster.hpp"

#include "muster/db/postgresql.hpp"
#include "muster/store/schema.hpp"

#include <sqlite3.h>

#include <memory>
#include <set>
#include <stdexcept>
#include <vector>

namespace muster::test {
namespace {

struct SqliteClose {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct SqliteFinalize {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using SqliteStatement = std::unique_ptr<sqlite3_stmt, SqliteFinalize>;

SqliteStatement prepare(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
        throw std::runtime_error(std::string("copy_hub_to_postgres: ") + sqlite3_errmsg(db));
    return SqliteStatement(s);
}

std::string identifier(const std::string& name) { return "\"" + name + "\""; }

std::string hex_bytea(const unsigned char* bytes, int n) {
    static const char* digits = "0123456789abcdef";
    std::string out = "\\x";
    for (int i = 0; i < n; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 15];
    }
    return out;
}

}  // namespace

void copy_hub_to_postgres(const std::string& sqlite_file, const std::string& postgres_url) {
    db::enable_postgresql();
    store::open_database(postgres_url);  // migrated: the tables exist
    sqlite3* raw = nullptr;
    if (sqlite3_open_v2(sqlite_file.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(raw);
        throw std::runtime_error("copy_hub_to_postgres: cannot open " + sqlite_file);
    }
    std::unique_ptr<sqlite3, SqliteClose> lite(raw);
    auto pg = pg_connect(postgres_url);

    std::set<std::string> pg_tables;
    auto listed = pg_exec(pg.get(), "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                                    "AND table_type = 'BASE TABLE' AND table_name <> 'muster_schema'");
    for (int r = 0; r < PQntuples(listed.get()); ++r) pg_tables.insert(PQgetvalue(listed.get(), r, 0));

    pg_exec(pg.get(), "BEGIN");
    pg_exec(pg.get(), "SET LOCAL session_replication_role = replica");
    std::string truncate = "TRUNCATE ";
    for (const auto& t : pg_tables) truncate += (truncate.size() > 9 ? ", " : "") + identifier(t);
    if (!pg_tables.empty()) pg_exec(pg.get(), truncate);

    auto tables = prepare(lite.get(), "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    while (sqlite3_step(tables.get()) == SQLITE_ROW) {
        std::string table = reinterpret_cast<const char*>(sqlite3_column_text(tables.get(), 0));
        if (!pg_tables.count(table)) continue;
        auto rows = prepare(lite.get(), "SELECT * FROM " + identifier(table));
        int columns = sqlite3_column_count(rows.get());
        std::string sql = "INSERT INTO " + identifier(table) + " (";
        std::string values;
        for (int c = 0; c < columns; ++c) {
            sql += (c ? ", " : "") + identifier(sqlite3_column_name(rows.get(), c));
            values += (c ? ", $" : "$") + std::to_string(c + 1);
        }
        sql += ") VALUES (" + values + ")";
        while (sqlite3_step(rows.get()) == SQLITE_ROW) {
            std::vector<std::string> text(static_cast<std::size_t>(columns));
            std::vector<const char*> params(static_cast<std::size_t>(columns), nullptr);
            for (int c = 0; c < columns; ++c) {
                auto i = static_cast<std::size_t>(c);
                switch (sqlite3_column_type(rows.get(), c)) {
                case SQLITE_NULL: continue;
                case SQLITE_BLOB:
                    text[i] = hex_bytea(static_cast<const unsigned char*>(sqlite3_column_blob(rows.get(), c)),
                                        sqlite3_column_bytes(rows.get(), c));
                    break;
                default: text[i] = reinterpret_cast<const char*>(sqlite3_column_text(rows.get(), c));
                }
                params[i] = text[i].c_str();
            }
            PgResult r(PQexecParams(pg.get(), sql.c_str(), columns, nullptr, params.data(), nullptr, nullptr, 0));
            if (PQresultStatus(r.get()) != PGRES_COMMAND_OK)
                throw std::runtime_error("copy_hub_to_postgres: " + table + ": " + PQerrorMessage(pg.get()));
        }
    }
    // Identity columns draw past the copied ids (an explicit id does not move the sequence).
    auto identities = pg_exec(pg.get(), "SELECT table_name, column_name FROM information_schema.columns "
                                        "WHERE table_schema = 'public' AND is_identity = 'YES'");
    for (int r = 0; r < PQntuples(identities.get()); ++r) {
        std::string t = PQgetvalue(identities.get(), r, 0), c = PQgetvalue(identities.get(), r, 1);
        pg_exec(pg.get(), "SELECT setval(pg_get_serial_sequence('" + identifier(t) + "', '" + c + "'), " +
                              "COALESCE((SELECT max(" + identifier(c) + ") FROM " + identifier(t) + "), 0) + 1, false)");
    }
    pg_exec(pg.get(), "COMMIT");
}

}  // namespace muster::test
