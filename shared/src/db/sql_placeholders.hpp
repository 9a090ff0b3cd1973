#pragma once
// The store's SQL names parameters as SQLite does (?1, ?2 or a bare ?); PostgreSQL wants
// $1, $2. This rewrites one to the other, leaving string literals, quoted names and
// comments alone.
#include <string>
#include <string_view>

namespace muster::db::detail {

struct PostgresqlSql {
    std::string text;
    int parameters = 0;  // the highest $N used
};

PostgresqlSql to_postgresql_placeholders(std::string_view sqlite_sql);

}  // namespace muster::db::detail
