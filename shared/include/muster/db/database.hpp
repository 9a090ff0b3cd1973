#pragma once
// The one database wrapper: a connection, prepared statements, RAII transactions and one
// exception type carrying SQLite's extended result code. Values are always bound, never
// spliced into SQL text. Only this wrapper and the store functions in shared/src know SQL;
// callers see no engine handle.
//
// Two engines sit behind it (docs/scale.md). A file path opens SQLite, the embedded default
// of kiosks and hubs. A `postgresql://` URL opens PostgreSQL through libpq, for a hub whose
// store outgrew one machine; a program enables that engine once (muster/db/postgresql.hpp),
// so a kiosk never links libpq. The store's SQL is written in the dialect both accept:
// `?N` parameters (rewritten to `$N` for PostgreSQL), ON CONFLICT, RETURNING. Where the
// engines must differ a store function asks engine(). Errors from PostgreSQL carry the
// SQLite code of the same meaning (a unique violation is SQLITE_CONSTRAINT_UNIQUE, a full
// disk SQLITE_FULL), so callers judge one vocabulary.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace muster::db {

enum class Engine { sqlite, postgresql };

// What a cell of the current row holds, as SQLite's storage classes name it. PostgreSQL's
// column types map onto them (int2/int4/int8/bool: integer; float4/float8/numeric: real;
// bytea: blob; anything else: text), so code that copies rows between the engines binds
// each cell as what it is.
enum class ColumnType { null, integer, real, text, blob };

namespace detail {
class StatementImpl;
class ConnectionImpl;
}  // namespace detail

class Error : public std::runtime_error {
public:
    Error(int extended_code, const std::string& what);
    int code() const noexcept { return extended_code_ & 0xff; }
    int extended_code() const noexcept { return extended_code_; }
    // A UNIQUE or PRIMARY KEY constraint refused the write (the row is already there).
    bool is_unique_violation() const noexcept;

private:
    int extended_code_;
};

class Statement {
public:
    explicit Statement(std::unique_ptr<detail::StatementImpl> impl);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;

    // Parameters are 1-based as in SQLite. An unbound parameter is NULL.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, std::nullptr_t);
    Statement& bind_blob(int index, const void* data, std::size_t size);
    template <class T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind(index, nullptr);
    }
    // bind_all(a, b, c) binds ?1, ?2, ?3.
    template <class... Args>
    Statement& bind_all(const Args&... args) {
        int i = 0;
        (bind(++i, args), ...);
        return *this;
    }

    // Advances; true while a row is available.
    bool step();
    // Runs a statement that returns no rows, then resets it for reuse.
    void run();
    void reset() noexcept;

    // Reading rows: `read(row)` builds a value from the current row's columns. The statement
    // is reset (bindings cleared) when these return or throw, so a cached statement is never
    // left mid-step: one that is keeps its read snapshot open, which pins the WAL and shows
    // the reader stale data on its next use.
    template <class Read>
    using Row = std::remove_cvref_t<std::invoke_result_t<Read&, const Statement&>>;

    // The first row, or nullopt when there is none.
    template <class Read>
    std::optional<Row<Read>> query_one(Read&& read) {
        ResetOnExit guard{*this};
        if (!step()) return std::nullopt;
        return std::invoke(read, std::as_const(*this));
    }
    // Every row, in order.
    template <class Read>
    std::vector<Row<Read>> query_all(Read&& read) {
        ResetOnExit guard{*this};
        std::vector<Row<Read>> out;
        while (step()) out.push_back(std::invoke(read, std::as_const(*this)));
        return out;
    }
    // Every row handed to `visit` as it is read, for callers that fold rows into something
    // other than a vector (a map, a running total) without a copy in between.
    template <class Visit>
    void for_each_row(Visit&& visit) {
        ResetOnExit guard{*this};
        while (step()) std::invoke(visit, std::as_const(*this));
    }

    // The current row's shape: how many columns, and what each cell holds (read after a
    // step() that returned true; PostgreSQL knows its columns only once the query ran).
    int column_count() const;
    ColumnType column_type(int column) const;
    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    int int32(int column) const { return static_cast<int>(int64(column)); }
    double real(int column) const;
    std::string text(int column) const;
    std::optional<std::string> opt_text(int column) const;
    std::optional<std::int64_t> opt_int64(int column) const;
    std::string blob(int column) const;

private:
    struct ResetOnExit {
        Statement& statement;
        ~ResetOnExit() { statement.reset(); }
    };

    std::unique_ptr<detail::StatementImpl> impl_;
};

enum class OpenMode { read_write_create, read_write, read_only };

class Database {
public:
    // A file path (SQLite) or a postgresql:// URL (PostgreSQL, once enabled; `mode` then
    // only tells read_only apart: its transactions are read-only).
    explicit Database(const std::string& path, OpenMode mode = OpenMode::read_write_create);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    // A statement prepared once per connection and reset for each use: the hot paths
    // (scan, lookup, import) use these to avoid re-parsing SQL.
    Statement& cached(std::string_view sql);

    Engine engine() const noexcept { return engine_; }

    // The id the last INSERT through this connection gave (SQLite's rowid; PostgreSQL's
    // lastval(), the last identity this session drew). New code says RETURNING id instead.
    std::int64_t last_insert_rowid() const;
    int changes() const;
    // Rows written through this connection since it opened.
    std::int64_t total_changes() const;
    // A number that changes when another connection commits to the file (PRAGMA
    // data_version; on PostgreSQL, the snapshot's). With total_changes() it tells a reader
    // whether what it read earlier may be stale, without reading it again.
    std::int64_t data_version();
    // The file, or the URL without its password: safe to show and log.
    const std::string& path() const noexcept { return path_; }

private:
    friend class Transaction;

    // Looked up by string_view, so finding a cached statement allocates nothing.
    struct SqlHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view sql) const noexcept { return std::hash<std::string_view>{}(sql); }
    };

    std::unique_ptr<detail::ConnectionImpl> impl_;
    Engine engine_ = Engine::sqlite;
    std::string path_;
    std::unordered_map<std::string, std::unique_ptr<Statement>, SqlHash, std::equal_to<>> cache_;
};

// BEGIN .. COMMIT; the destructor rolls back unless commit() ran, and never throws.
// immediate: a write transaction. SQLite takes its one write lock at BEGIN; PostgreSQL takes
// one advisory lock shared by every Muster process on the database, so writers run one at a
// time there too: what the store's read-then-write logic and the ordered change sequence
// rely on. deferred: a read transaction, one snapshot (PostgreSQL: REPEATABLE READ).
class Transaction {
public:
    enum class Kind { deferred, immediate };
    explicit Transaction(Database& db, Kind kind = Kind::immediate);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool open_ = true;
};

}  // namespace muster::db
