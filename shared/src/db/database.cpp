// db::Database and its statements, forwarding to the engine the location names
// (connection_impl.hpp): a file is SQLite, a postgresql:// URL PostgreSQL.
#include "muster/db/database.hpp"

#include "connection_impl.hpp"
#include "muster/db/postgresql.hpp"

#include <sqlite3.h>

#include <atomic>

namespace muster::db {
namespace detail {
namespace {
std::atomic<PostgresqlOpener> postgresql_opener{nullptr};
}  // namespace

void set_postgresql_opener(PostgresqlOpener opener) { postgresql_opener.store(opener); }
}  // namespace detail

bool is_postgresql_url(std::string_view location) {
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::string redact_url(const std::string& url) {
    if (!is_postgresql_url(url)) return url;
    // scheme://user:password@host...: the password is between the first ':' after the
    // scheme and the last '@' of the authority.
    auto scheme_end = url.find("://") + 3;
    auto authority_end = url.find_first_of("/?", scheme_end);
    auto at = url.rfind('@', authority_end == std::string::npos ? std::string::npos : authority_end);
    std::string out = url;
    if (at != std::string::npos && at >= scheme_end) {
        auto colon = url.find(':', scheme_end);
        if (colon != std::string::npos && colon < at) out = url.substr(0, colon + 1) + "***" + url.substr(at);
    }
    // A password may also come as a query parameter.
    auto q = out.find("password=");
    if (q != std::string::npos && q > 0 && (out[q - 1] == '?' || out[q - 1] == '&')) {
        auto end = out.find('&', q);
        out = out.substr(0, q + 9) + "***" + (end == std::string::npos ? "" : out.substr(end));
    }
    return out;
}

Error::Error(int extended_code, const std::string& what) : std::runtime_error(what), extended_code_(extended_code) {}

bool Error::is_unique_violation() const noexcept {
    return extended_code_ == SQLITE_CONSTRAINT_UNIQUE || extended_code_ == SQLITE_CONSTRAINT_PRIMARYKEY;
}

Statement::Statement(std::unique_ptr<detail::StatementImpl> impl) : impl_(std::move(impl)) {}
Statement::~Statement() = default;
Statement::Statement(Statement&& other) noexcept = default;

Statement& Statement::bind(int index, std::int64_t value) {
    impl_->bind_int64(index, value);
    return *this;
}
Statement& Statement::bind(int index, double value) {
    impl_->bind_double(index, value);
    return *this;
}
Statement& Statement::bind(int index, std::string_view text) {
    impl_->bind_text(index, text);
    return *this;
}
Statement& Statement::bind(int index, std::nullptr_t) {
    impl_->bind_null(index);
    return *this;
}
Statement& Statement::bind_blob(int index, const void* data, std::size_t size) {
    impl_->bind_blob(index, data, size);
    return *this;
}

bool Statement::step() { return impl_->step(); }

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() noexcept { impl_->reset(); }

int Statement::column_count() const { return impl_->column_count(); }
ColumnType Statement::column_type(int column) const { return impl_->column_type(column); }
bool Statement::is_null(int column) const { return impl_->is_null(column); }
std::int64_t Statement::int64(int column) const { return impl_->int64(column); }
double Statement::real(int column) const { return impl_->real(column); }
std::string Statement::text(int column) const { return impl_->text(column); }
std::string Statement::blob(int column) const { return impl_->blob(column); }

std::optional<std::string> Statement::opt_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
}

std::optional<std::int64_t> Statement::opt_int64(int column) const {
    if (is_null(column)) return std::nullopt;
    return int64(column);
}

Database::Database(const std::string& path, OpenMode mode) : path_(redact_url(path)) {
    if (is_postgresql_url(path)) {
        auto opener = detail::postgresql_opener.load();
        if (!opener)
            throw Error(SQLITE_CANTOPEN, "open " + path_ + ": this program cannot open a PostgreSQL database");
        impl_ = opener(path, mode);
        engine_ = Engine::postgresql;
    } else {
        impl_ = detail::open_sqlite(path, mode);
    }
}

Database::~Database() {
    cache_.clear();  // statements go before their connection
}

void Database::exec(std::string_view sql) { impl_->exec(sql); }

Statement Database::prepare(std::string_view sql) { return Statement(impl_->prepare(sql, false)); }

Statement& Database::cached(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end())
        it = cache_.emplace(std::string(sql), std::make_unique<Statement>(impl_->prepare(sql, true))).first;
    it->second->reset();
    return *it->second;
}

std::int64_t Database::last_insert_rowid() const { return impl_->last_insert_rowid(); }
int Database::changes() const { return impl_->changes(); }
std::int64_t Database::total_changes() const { return impl_->total_changes(); }
std::int64_t Database::data_version() { return impl_->data_version(); }

Transaction::Transaction(Database& db, Kind kind) : db_(db) { db_.impl_->begin(kind); }

Transaction::~Transaction() {
    if (open_) db_.impl_->rollback();
}

void Transaction::commit() {
    db_.impl_->commit();
    open_ = false;
}

}  // namespace muster::db
