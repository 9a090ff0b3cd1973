#include "sql_placeholders.hpp"

#include <cctype>

namespace muster::db::detail {

PostgresqlSql to_postgresql_placeholders(std::string_view sql) {
    PostgresqlSql out;
    out.text.reserve(sql.size() + 8);
    int next_bare = 0;  // SQLite numbers a bare ? one above the largest number so far
    std::size_t i = 0;
    auto copy_until = [&](char close) {  // a quoted run, its quotes doubled inside
        out.text += sql[i++];
        while (i < sql.size()) {
            char c = sql[i++];
            out.text += c;
            if (c == close) {
                if (i < sql.size() && sql[i] == close) {
                    out.text += sql[i++];
                    continue;
                }
                return;
            }
        }
    };
    while (i < sql.size()) {
        char c = sql[i];
        if (c == '\'' || c == '"') {
            copy_until(c);
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            while (i < sql.size() && sql[i] != '\n') out.text += sql[i++];
        } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            auto end = sql.find("*/", i + 2);
            end = end == std::string_view::npos ? sql.size() : end + 2;
            out.text.append(sql.substr(i, end - i));
            i = end;
        } else if (c == '?') {
            ++i;
            int n = 0;
            bool numbered = false;
            while (i < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i]))) {
                n = n * 10 + (sql[i++] - '0');
                numbered = true;
            }
            if (!numbered) n = next_bare + 1;
            if (n > next_bare) next_bare = n;
            if (n > out.parameters) out.parameters = n;
            out.text += '$';
            out.text += std::to_string(n);
        } else {
            out.text += c;
            ++i;
        }
    }
    return out;
}

}  // namespace muster::db::detail
