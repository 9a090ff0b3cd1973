#pragma once
// Applies shared/migrations/postgresql/*.sql (generated::postgresql_migrations) to a
// database the way store::migrate does on PostgreSQL (docs/scale.md): in one transaction that
// holds an advisory lock (two server processes starting at once migrate once), read
// muster_schema.version (0 when the table is not there yet), run each newer migration as one
// simple-protocol query and record its number.
#include "migrations.hpp"  // generated from shared/migrations/ (cmake/EmbedMigrations.cmake)
#include "pg_rows.hpp"

#include <cstddef>
#include <string>

namespace muster::test {

inline int apply_hub_schema(PGconn* conn) {
    const int latest = static_cast<int>(store::generated::postgresql_migrations.size());
    pg_exec(conn, "BEGIN");
    try {
        // The lock's key is arbitrary but fixed: the migrator's own.
        pg_exec(conn, "SELECT pg_advisory_xact_lock(7731400)");
        int current = 0;
        if (!pg_value(conn, "SELECT to_regclass('muster_schema')").empty())
            current = std::stoi(pg_value(conn, "SELECT version FROM muster_schema"));
        for (int v = current + 1; v <= latest; ++v) {
            pg_exec(conn, store::generated::postgresql_migrations[static_cast<std::size_t>(v - 1)]);
            pg_exec(conn, "UPDATE muster_schema SET version = " + std::to_string(v));
        }
        pg_exec(conn, "COMMIT");
    } catch (...) {
        PQclear(PQexec(conn, "ROLLBACK"));
        throw;
    }
    return latest;
}

}  // namespace muster::test
