#pragma once
// What an engine behind db::Database provides (database.hpp says what each call means).
// SQLite (sqlite_connection.cpp) is built into muster_core; PostgreSQL
// (postgresql_connection.cpp, library muster_postgresql) is registered by
// db::enable_postgresql(), so only the programs that may open a postgresql:// URL link libpq.
#include "muster/db/database.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace muster::db::detail {

class StatementImpl {
public:
    virtual ~StatementImpl() = default;
    virtual void bind_int64(int index, std::int64_t value) = 0;
    virtual void bind_double(int index, double value) = 0;
    virtual void bind_text(int index, std::string_view text) = 0;
    virtual void bind_null(int index) = 0;
    virtual void bind_blob(int index, const void* data, std::size_t size) = 0;
    virtual bool step() = 0;
    virtual void reset() noexcept = 0;  // back to before the first step, bindings cleared

    virtual int column_count() const = 0;
    virtual ColumnType column_type(int column) const = 0;
    virtual bool is_null(int column) const = 0;
    virtual std::int64_t int64(int column) const = 0;
    virtual double real(int column) const = 0;
    virtual std::string text(int column) const = 0;
    virtual std::string blob(int column) const = 0;
};

class ConnectionImpl {
public:
    virtual ~ConnectionImpl() = default;
    virtual void exec(std::string_view sql) = 0;
    // cached: the statement lives as long as the connection and is run many times (a named
    // prepared statement on PostgreSQL); otherwise it is run once or a few times.
    virtual std::unique_ptr<StatementImpl> prepare(std::string_view sql, bool cached) = 0;
    virtual std::int64_t last_insert_rowid() = 0;
    virtual int changes() const = 0;
    virtual std::int64_t total_changes() const = 0;
    virtual std::int64_t data_version() = 0;
    virtual void begin(Transaction::Kind kind) = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;
};

std::unique_ptr<ConnectionImpl> open_sqlite(const std::string& path, OpenMode mode);

// Set by db::enable_postgresql(); null until then.
using PostgresqlOpener = std::unique_ptr<ConnectionImpl> (*)(const std::string& url, OpenMode mode);
void set_postgresql_opener(PostgresqlOpener opener);

}  // namespace muster::db::detail
