#pragma once
// Small libpq reading helpers for the PostgreSQL tests: a query's rows as text, and the hub
// schema applied the way store::migrate applies it on PostgreSQL.
#include "postgres_cluster.hpp"

#include <optional>
#include <string>
#include <vector>

namespace muster::test {

using PgRow = std::vector<std::optional<std::string>>;

// Every row of `sql`'s result, each field as text (NULL as nullopt).
inline std::vector<PgRow> pg_rows(PGconn* conn, const std::string& sql) {
    auto result = pg_exec(conn, sql);
    std::vector<PgRow> rows;
    for (int r = 0; r < PQntuples(result.get()); ++r) {
        PgRow row;
        for (int c = 0; c < PQnfields(result.get()); ++c) {
            if (PQgetisnull(result.get(), r, c))
                row.emplace_back();
            else
                row.emplace_back(PQgetvalue(result.get(), r, c));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

// The first field of the first row ("" when there is none or it is NULL).
inline std::string pg_value(PGconn* conn, const std::string& sql) {
    auto rows = pg_rows(conn, sql);
    return rows.empty() || rows[0].empty() || !rows[0][0] ? std::string() : *rows[0][0];
}

}  // namespace muster::test
