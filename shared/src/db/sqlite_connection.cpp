// The SQLite engine behind db::Database: the embedded default on kiosks and hubs.
#include "connection_impl.hpp"

#include "muster/log/logger.hpp"
#include "muster/util/private_files.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>

namespace muster::db::detail {
namespace {

// A file on disk, not ":memory:", a temporary database ("") or a URI.
bool is_plain_file(const std::string& path) { return !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0; }

// A Muster database holds personal data (and on a hub, each device's sealed secret): only
// its owner may read it. SQLite gives the -wal, -shm and -journal files the database file's
// mode, so a file made 0600 here keeps all four private. An older file others may read is
// tightened once, with one log line (file name and old mode, nothing from inside it).
void keep_private(const std::string& path, OpenMode mode) {
    if (mode == OpenMode::read_only || !is_plain_file(path)) return;
    if (mode == OpenMode::read_write_create) create_private_file(path);
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::filesystem::path file = path + suffix;
        try {
            if (auto was = restrict_to_owner(file)) {
                char octal[8];
                std::snprintf(octal, sizeof octal, "%04o", *was);
                log::Logger().warn("file_mode_tightened", {{"file", file.filename().string()}, {"was", octal}, {"now", "0600"}});
            }
        } catch (const std::filesystem::filesystem_error&) {
            log::Logger().warn("file_mode_open", {{"file", file.filename().string()}, {"reason", "cannot chmod: not its owner"}});
        }
    }
}

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view context) {
    int extended = db ? sqlite3_extended_errcode(db) : rc;
    std::string message(context);
    message += ": ";
    message += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw Error(extended, message);
}

class SqliteStatement final : public StatementImpl {
public:
    SqliteStatement(sqlite3* db, std::string_view sql) : db_(db) {
        int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
        if (rc != SQLITE_OK) fail(db, rc, "prepare");
    }
    ~SqliteStatement() override { sqlite3_finalize(stmt_); }
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    void bind_int64(int index, std::int64_t value) override { check(sqlite3_bind_int64(stmt_, index, value)); }
    void bind_double(int index, double value) override { check(sqlite3_bind_double(stmt_, index, value)); }
    void bind_text(int index, std::string_view text) override {
        check(sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    }
    void bind_null(int index) override { check(sqlite3_bind_null(stmt_, index)); }
    void bind_blob(int index, const void* data, std::size_t size) override {
        check(sqlite3_bind_blob64(stmt_, index, data, size, SQLITE_TRANSIENT));
    }

    bool step() override {
        int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        // Keep the error text before reset() clears it.
        int extended = sqlite3_extended_errcode(db_);
        std::string message = std::string("step: ") + sqlite3_errmsg(db_);
        sqlite3_reset(stmt_);
        throw Error(extended, message);
    }
    void reset() noexcept override {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }

    int column_count() const override { return sqlite3_column_count(stmt_); }
    ColumnType column_type(int column) const override {
        switch (sqlite3_column_type(stmt_, column)) {
        case SQLITE_INTEGER: return ColumnType::integer;
        case SQLITE_FLOAT: return ColumnType::real;
        case SQLITE_TEXT: return ColumnType::text;
        case SQLITE_BLOB: return ColumnType::blob;
        default: return ColumnType::null;
        }
    }
    bool is_null(int column) const override { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
    std::int64_t int64(int column) const override { return sqlite3_column_int64(stmt_, column); }
    double real(int column) const override { return sqlite3_column_double(stmt_, column); }
    std::string text(int column) const override {
        auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
    }
    std::string blob(int column) const override {
        auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
    }

private:
    void check(int rc) {
        if (rc != SQLITE_OK) fail(db_, rc, "bind");
    }
    sqlite3_stmt* stmt_ = nullptr;
    sqlite3* db_;
};

class SqliteConnection final : public ConnectionImpl {
public:
    SqliteConnection(const std::string& path, OpenMode mode) {
        keep_private(path, mode);
        int flags = SQLITE_OPEN_NOMUTEX;  // one connection per thread by design
        switch (mode) {
            case OpenMode::read_write_create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
            case OpenMode::read_write: flags |= SQLITE_OPEN_READWRITE; break;
            case OpenMode::read_only: flags |= SQLITE_OPEN_READONLY; break;
        }
        int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
        if (rc != SQLITE_OK) {
            std::string message = "open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
            int extended = db_ ? sqlite3_extended_errcode(db_) : rc;
            sqlite3_close_v2(db_);
            throw Error(extended, message);
        }
        sqlite3_extended_result_codes(db_, 1);
        // Another process (the kiosk's sync thread, the CLI) may hold the write lock briefly.
        sqlite3_busy_timeout(db_, 5000);
    }
    // Statements are finalized by their owners (Database clears its cache first); close_v2
    // defers the close until the last is gone.
    ~SqliteConnection() override { sqlite3_close_v2(db_); }
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    void exec(std::string_view sql) override {
        std::string copy(sql);  // sqlite3_exec needs a terminated string
        char* err = nullptr;
        int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &err);
        if (rc != SQLITE_OK) {
            std::string message = std::string("exec: ") + (err ? err : sqlite3_errstr(rc));
            sqlite3_free(err);
            throw Error(sqlite3_extended_errcode(db_), message);
        }
    }
    std::unique_ptr<StatementImpl> prepare(std::string_view sql, bool /*cached*/) override {
        return std::make_unique<SqliteStatement>(db_, sql);
    }
    std::int64_t last_insert_rowid() override { return sqlite3_last_insert_rowid(db_); }
    int changes() const override { return sqlite3_changes(db_); }
    std::int64_t total_changes() const override { return sqlite3_total_changes64(db_); }
    std::int64_t data_version() override {
        if (!data_version_) data_version_ = std::make_unique<SqliteStatement>(db_, "PRAGMA data_version");
        std::int64_t v = data_version_->step() ? data_version_->int64(0) : 0;
        data_version_->reset();
        return v;
    }
    void begin(Transaction::Kind kind) override { exec(kind == Transaction::Kind::immediate ? "BEGIN IMMEDIATE" : "BEGIN"); }
    void commit() override { exec("COMMIT"); }
    // Never throws: a failed rollback leaves SQLite to roll back on close.
    void rollback() noexcept override { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

private:
    sqlite3* db_ = nullptr;
    std::unique_ptr<SqliteStatement> data_version_;
};

}  // namespace

std::unique_ptr<ConnectionImpl> open_sqlite(const std::string& path, OpenMode mode) {
    return std::make_unique<SqliteConnection>(path, mode);
}

}  // namespace muster::db::detail
