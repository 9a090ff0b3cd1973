#include "row_copy.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace muster::store {
namespace {

// Rows per INSERT: a statement of 500 rows costs one round trip instead of 500. PostgreSQL
// takes at most 65535 parameters a statement (SQLite 3.40: 32766), so a wide table gets fewer.
constexpr std::size_t rows_per_insert = 500;
constexpr std::size_t max_parameters = 30000;

// One cell as the source row holds it.
struct Cell {
    db::ColumnType type = db::ColumnType::null;
    std::int64_t integer = 0;
    double real = 0;
    std::string bytes;
};

Cell read_cell(const db::Statement& r, int column) {
    Cell c;
    c.type = r.column_type(column);
    switch (c.type) {
    case db::ColumnType::null: break;
    case db::ColumnType::integer: c.integer = r.int64(column); break;
    case db::ColumnType::real: c.real = r.real(column); break;
    case db::ColumnType::text: c.bytes = r.text(column); break;
    case db::ColumnType::blob: c.bytes = r.blob(column); break;
    }
    return c;
}

void bind_cell(db::Statement& st, int index, const Cell& c) {
    switch (c.type) {
    case db::ColumnType::null: st.bind(index, nullptr); break;
    case db::ColumnType::integer: st.bind(index, c.integer); break;
    case db::ColumnType::real: st.bind(index, c.real); break;
    case db::ColumnType::text: st.bind(index, std::string_view(c.bytes)); break;
    case db::ColumnType::blob: st.bind_blob(index, c.bytes.data(), c.bytes.size()); break;
    }
}

std::string insert_sql(const std::string& table, const std::vector<std::string>& columns, std::size_t rows) {
    std::string sql = "INSERT INTO " + quoted_name(table) + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + quoted_name(columns[i]);
    sql += ") VALUES ";
    int parameter = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        sql += r ? ", (" : "(";
        for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", ?" : "?") + std::to_string(++parameter);
        sql += ")";
    }
    return sql;
}

}  // namespace

std::string quoted_name(const std::string& name) {
    bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (!plain) throw std::invalid_argument("unexpected table or column name: '" + name + "'");
    return "\"" + name + "\"";
}

std::int64_t copy_rows(db::Statement& select, db::Database& to, const std::string& table,
                       const std::vector<std::string>& columns) {
    if (columns.empty()) throw std::invalid_argument("copy_rows: no columns for table " + table);
    insert_sql(table, columns, 0);  // checks the names before any row is read
    const std::size_t batch_rows = std::max<std::size_t>(1, std::min(rows_per_insert, max_parameters / columns.size()));
    std::optional<db::Statement> full_batch;  // prepared once, used for every full batch
    std::vector<std::vector<Cell>> batch;
    std::int64_t copied = 0;
    auto flush = [&] {
        if (batch.empty()) return;
        std::optional<db::Statement> partial;
        db::Statement* st = nullptr;
        if (batch.size() == batch_rows) {
            if (!full_batch) full_batch.emplace(to.prepare(insert_sql(table, columns, batch_rows)));
            st = &*full_batch;
        } else {
            partial.emplace(to.prepare(insert_sql(table, columns, batch.size())));
            st = &*partial;
        }
        int index = 0;
        for (const auto& row : batch)
            for (const auto& cell : row) bind_cell(*st, ++index, cell);
        try {
            st->run();
        } catch (const db::Error& e) {
            throw db::Error(e.extended_code(), "copying table " + table + " (rows " + std::to_string(copied + 1) + " to " +
                                                   std::to_string(copied + static_cast<std::int64_t>(batch.size())) +
                                                   "): " + e.what());
        }
        copied += static_cast<std::int64_t>(batch.size());
        batch.clear();
    };
    select.for_each_row([&](const db::Statement& r) {
        if (static_cast<std::size_t>(r.column_count()) != columns.size())
            throw std::invalid_argument("copy_rows: the select for table " + table + " has " + std::to_string(r.column_count()) +
                                        " columns, not " + std::to_string(columns.size()));
        std::vector<Cell> row;
        row.reserve(columns.size());
        for (std::size_t i = 0; i < columns.size(); ++i) row.push_back(read_cell(r, static_cast<int>(i)));
        batch.push_back(std::move(row));
        if (batch.size() == batch_rows) flush();
    });
    flush();
    return copied;
}

}  // namespace muster::store
