// The hub's schema on PostgreSQL (shared/migrations/postgresql/) against the one SQLite
// reaches (shared/migrations/*.sql, then store::use_hub_indexes): the same tables, the same
// columns with compatible types, nullability and defaults, the same primary keys, unique
// constraints, named indexes and foreign keys (with their ON DELETE). A SQLite migration
// that lands without its PostgreSQL twin fails here. CHECK constraints are not compared
// (their text differs by dialect); tests/pg/test_postgres_cluster.cpp exercises some.
#include "pg_rows.hpp"
#include "pg_schema.hpp"
#include "postgres_cluster.hpp"
#include "temp_dir.hpp"

#include "muster/store/schema.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace muster::test;

namespace {

struct Column {
    std::string type;     // PostgreSQL's name for it: bigint, text, citext, bytea
    bool not_null = false;
    std::string default_value;  // as written, without a PostgreSQL ::type cast; "" for none
    bool operator==(const Column&) const = default;
};

// What both engines must agree on. Ordered containers, so Catch prints a readable difference.
struct Schema {
    std::map<std::string, std::map<std::string, Column>> tables;  // table -> column -> shape
    std::set<std::string> primary_keys;   // "table(a,b)"
    std::set<std::string> unique_keys;    // "table(a,b)": UNIQUE constraints and columns
    std::set<std::string> indexes;        // named indexes of the schema's own
    std::set<std::string> foreign_keys;   // "table(a) -> other(b) ON DELETE CASCADE"
};

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
    return out;
}

// --- SQLite ---------------------------------------------------------------------------

class SqliteReader {
public:
    explicit SqliteReader(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
            throw std::runtime_error("cannot open " + path);
    }
    ~SqliteReader() { sqlite3_close(db_); }
    SqliteReader(const SqliteReader&) = delete;
    SqliteReader& operator=(const SqliteReader&) = delete;

    std::vector<std::vector<std::string>> rows(const std::string& sql) const {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string("SQLite: ") + sqlite3_errmsg(db_));
        std::vector<std::vector<std::string>> out;
        while (sqlite3_step(st) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int c = 0; c < sqlite3_column_count(st); ++c) {
                auto text = sqlite3_column_text(st, c);
                row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
            }
            out.push_back(std::move(row));
        }
        sqlite3_finalize(st);
        return out;
    }

private:
    sqlite3* db_ = nullptr;
};

std::string pg_type_for(const std::string& sqlite_type) {
    std::string t = upper(sqlite_type);
    if (t == "INTEGER") return "bigint";
    if (t == "TEXT") return "text";
    if (t == "BLOB") return "bytea";
    return "unmapped SQLite type " + sqlite_type;
}

Schema sqlite_hub_schema(const std::string& path) {
    SqliteReader db(path);
    Schema s;
    for (const auto& t : db.rows("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
        const std::string& table = t[0];
        auto& columns = s.tables[table];
        std::vector<std::pair<int, std::string>> pk;
        // cid, name, type, notnull, dflt_value, pk
        for (const auto& c : db.rows("SELECT name, type, \"notnull\", coalesce(dflt_value, ''), pk FROM pragma_table_info('" + table + "')")) {
            int pk_pos = std::stoi(c[4]);
            // A primary key column is NOT NULL on PostgreSQL whatever SQLite's flag says.
            columns[c[0]] = Column{pg_type_for(c[1]), c[2] == "1" || pk_pos > 0, c[3]};
            if (pk_pos > 0) pk.emplace_back(pk_pos, c[0]);
        }
        std::sort(pk.begin(), pk.end());
        std::vector<std::string> pk_names;
        for (const auto& [pos, name] : pk) pk_names.push_back(name);
        if (!pk_names.empty()) s.primary_keys.insert(table + "(" + joined(pk_names) + ")");

        // origin c: CREATE INDEX, u: UNIQUE constraint, pk: the primary key.
        for (const auto& ix : db.rows("SELECT name, origin FROM pragma_index_list('" + table + "')")) {
            if (ix[1] == "c") s.indexes.insert(ix[0]);
            if (ix[1] == "u") {
                std::vector<std::string> cols;
                for (const auto& c : db.rows("SELECT name FROM pragma_index_info('" + ix[0] + "') ORDER BY seqno"))
                    cols.push_back(c[0]);
                s.unique_keys.insert(table + "(" + joined(cols) + ")");
            }
        }
        // id, seq, table, from, to, on_update, on_delete, match
        std::map<std::string, std::vector<std::vector<std::string>>> fks;
        for (const auto& fk : db.rows("SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('" + table + "') ORDER BY id, seq"))
            fks[fk[0]].push_back(fk);
        for (const auto& [id, parts] : fks) {
            std::vector<std::string> from, to;
            for (const auto& p : parts) {
                from.push_back(p[2]);
                to.push_back(p[3]);
            }
            s.foreign_keys.insert(table + "(" + joined(from) + ") -> " + parts[0][1] + "(" + joined(to) + ") ON DELETE " +
                                  upper(parts[0][4]));
        }
    }
    return s;
}

// --- PostgreSQL -----------------------------------------------------------------------

std::string without_cast(std::string value) {
    // '' ::text -> ''; 0 -> 0; PostgreSQL writes a default with its type cast.
    if (auto cast = value.rfind("::"); cast != std::string::npos && value.find('\'') != std::string::npos) value.erase(cast);
    return value;
}

const char* delete_action(char code) {
    switch (code) {
        case 'a': return "NO ACTION";
        case 'r': return "RESTRICT";
        case 'c': return "CASCADE";
        case 'n': return "SET NULL";
        case 'd': return "SET DEFAULT";
        default: return "unknown";
    }
}

Schema postgres_hub_schema(PGconn* conn) {
    Schema s;
    for (const auto& c : pg_rows(conn, "SELECT table_name, column_name, udt_name, is_nullable, coalesce(column_default, '') "
                                       "FROM information_schema.columns WHERE table_schema = 'public' "
                                       "AND table_name <> 'muster_schema'")) {
        std::string type = *c[2] == "int8" ? "bigint" : *c[2];
        s.tables[*c[0]][*c[1]] = Column{type, *c[3] == "NO", without_cast(*c[4])};
    }
    // Constraints: p primary key, u unique, f foreign key; columns in key order.
    std::string key_columns =
        "(SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(%KEY%) WITH ORDINALITY k(attnum, ord) "
        "JOIN pg_attribute a ON a.attrelid = %REL% AND a.attnum = k.attnum)";
    auto columns_of = [&](const std::string& key, const std::string& rel) {
        std::string sql = key_columns;
        sql.replace(sql.find("%KEY%"), 5, key);
        sql.replace(sql.find("%REL%"), 5, rel);
        return sql;
    };
    for (const auto& k : pg_rows(conn, "SELECT c.contype, c.conrelid::regclass::text, " + columns_of("c.conkey", "c.conrelid") + ", "
                                       "c.confrelid::regclass::text, " + columns_of("c.confkey", "c.confrelid") + ", c.confdeltype "
                                       "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                                       "WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f') "
                                       "AND c.conrelid::regclass::text <> 'muster_schema'")) {
        std::string key = *k[1] + "(" + *k[2] + ")";
        if (*k[0] == "p") s.primary_keys.insert(key);
        if (*k[0] == "u") s.unique_keys.insert(key);
        if (*k[0] == "f") s.foreign_keys.insert(key + " -> " + *k[3] + "(" + *k[4] + ") ON DELETE " + delete_action((*k[5])[0]));
    }
    // Named indexes: those not made for a constraint.
    for (const auto& ix : pg_rows(conn, "SELECT i.indexname FROM pg_indexes i WHERE i.schemaname = 'public' "
                                        "AND i.tablename <> 'muster_schema' AND NOT EXISTS "
                                        "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"))
        s.indexes.insert(*ix[0]);
    return s;
}

}  // namespace

TEST_CASE("The PostgreSQL hub schema has every table, column, key and index of the SQLite one", "[postgres]") {
    TempDir dir;
    const std::string path = dir.file("hub.db");
    {
        auto db = muster::store::open_database(path);
        muster::store::use_hub_indexes(*db);
    }
    Schema lite = sqlite_hub_schema(path);
    REQUIRE(lite.tables.size() > 20);

    auto pgdb = fresh_postgres_database();
    auto conn = pg_connect(pgdb.url());
    apply_hub_schema(conn.get());
    Schema pg = postgres_hub_schema(conn.get());

    // staff_accounts.email is COLLATE NOCASE on SQLite, citext here: the one place TEXT
    // becomes another type.
    REQUIRE(pg.tables["staff_accounts"]["email"].type == "citext");
    pg.tables["staff_accounts"]["email"].type = "text";

    std::set<std::string> lite_tables, pg_tables;
    for (const auto& [name, cols] : lite.tables) lite_tables.insert(name);
    for (const auto& [name, cols] : pg.tables) pg_tables.insert(name);
    CHECK(pg_tables == lite_tables);

    for (const auto& [table, columns] : lite.tables) {
        if (!pg.tables.count(table)) continue;
        for (const auto& [name, column] : columns) {
            INFO(table << "." << name << ": SQLite " << column.type << (column.not_null ? " NOT NULL" : "")
                       << " DEFAULT '" << column.default_value << "'");
            auto it = pg.tables[table].find(name);
            REQUIRE(it != pg.tables[table].end());
            CHECK(it->second.type == column.type);
            CHECK(it->second.not_null == column.not_null);
            CHECK(it->second.default_value == column.default_value);
        }
        CHECK(pg.tables[table].size() == columns.size());
    }
    CHECK(pg.primary_keys == lite.primary_keys);
    CHECK(pg.unique_keys == lite.unique_keys);
    CHECK(pg.indexes == lite.indexes);
    CHECK(pg.foreign_keys == lite.foreign_keys);
}
