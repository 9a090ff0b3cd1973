#include "muster/db/database.hpp"

#include "muster/log/logger.hpp"
#include "muster/util/private_files.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>

namespace muster::db {
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

}  // namespace

Error::Error(int extended_code, const std::string& what)
    : std::runtime_error(what), extended_code_(extended_code) {}

bool Error::is_unique_violation() const noexcept {
    return extended_code_ == SQLITE_CONSTRAINT_UNIQUE || extended_code_ == SQLITE_CONSTRAINT_PRIMARYKEY;
}

Statement::Statement(sqlite3* db, std::string_view sql) : stmt_(nullptr), db_(db) {
    int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) fail(db, rc, "prepare");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept : stmt_(other.stmt_), db_(other.db_) {
    other.stmt_ = nullptr;
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (int rc = sqlite3_bind_int64(stmt_, index, value); rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (int rc = sqlite3_bind_double(stmt_, index, value); rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::nullptr_t) {
    if (int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

Statement& Statement::bind_blob(int index, const void* data, std::size_t size) {
    if (int rc = sqlite3_bind_blob64(stmt_, index, data, size, SQLITE_TRANSIENT); rc != SQLITE_OK)
        fail(db_, rc, "bind");
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // Keep the error text before reset() clears it.
    int extended = sqlite3_extended_errcode(db_);
    std::string message = std::string("step: ") + sqlite3_errmsg(db_);
    sqlite3_reset(stmt_);
    throw Error(extended, message);
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() noexcept {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::text(int column) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

std::optional<std::string> Statement::opt_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
}

std::optional<std::int64_t> Statement::opt_int64(int column) const {
    if (is_null(column)) return std::nullopt;
    return int64(column);
}

std::string Statement::blob(int column) const {
    auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

Database::Database(const std::string& path, OpenMode mode) : path_(path) {
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

Database::~Database() {
    cache_.clear();  // finalize statements before closing
    sqlite3_close_v2(db_);
}

void Database::exec(std::string_view sql) {
    std::string copy(sql);  // sqlite3_exec needs a terminated string
    char* err = nullptr;
    int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string message = std::string("exec: ") + (err ? err : sqlite3_errstr(rc));
        sqlite3_free(err);
        throw Error(sqlite3_extended_errcode(db_), message);
    }
}

Statement Database::prepare(std::string_view sql) { return Statement(db_, sql); }

Statement& Database::cached(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end())
        it = cache_.emplace(std::string(sql), std::make_unique<Statement>(db_, sql)).first;
    it->second->reset();
    return *it->second;
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }
std::int64_t Database::total_changes() const { return sqlite3_total_changes64(db_); }

std::int64_t Database::data_version() {
    return cached("PRAGMA data_version").query_one([](const Statement& row) { return row.int64(0); }).value_or(0);
}

Transaction::Transaction(Database& db, Kind kind) : db_(db) {
    db_.exec(kind == Kind::immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
    if (!open_) return;
    // Never throws: a failed rollback leaves SQLite to roll back on close.
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    db_.exec("COMMIT");
    open_ = false;
}

}  // namespace muster::db
