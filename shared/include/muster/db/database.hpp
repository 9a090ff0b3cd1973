#pragma once
// The one SQLite wrapper: a connection, prepared statements, RAII transactions and one
// exception type carrying SQLite's extended result code. Values are always bound, never
// spliced into SQL text.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace muster::db {

class Error : public std::runtime_error {
public:
    Error(int extended_code, const std::string& what);
    int code() const noexcept { return extended_code_ & 0xff; }
    int extended_code() const noexcept { return extended_code_; }

private:
    int extended_code_;
};

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;

    // Parameters are 1-based as in SQLite.
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

    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    int int32(int column) const { return static_cast<int>(int64(column)); }
    double real(int column) const;
    std::string text(int column) const;
    std::optional<std::string> opt_text(int column) const;
    std::optional<std::int64_t> opt_int64(int column) const;
    std::string blob(int column) const;

private:
    sqlite3_stmt* stmt_;
    sqlite3* db_;
};

enum class OpenMode { read_write_create, read_write, read_only };

class Database {
public:
    explicit Database(const std::string& path, OpenMode mode = OpenMode::read_write_create);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    // A statement prepared once per connection and reset for each use: the hot paths
    // (scan, lookup, import) use these to avoid re-parsing SQL.
    Statement& cached(std::string_view sql);

    std::int64_t last_insert_rowid() const;
    int changes() const;
    sqlite3* handle() const noexcept { return db_; }
    const std::string& path() const noexcept { return path_; }

private:
    sqlite3* db_ = nullptr;
    std::string path_;
    std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// BEGIN .. COMMIT; the destructor rolls back unless commit() ran, and never throws.
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
