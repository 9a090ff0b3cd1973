// The PostgreSQL engine behind db::Database (libpq), for a hub whose store outgrew one
// machine (docs/scale.md). What it keeps of SQLite's behaviour, and how:
//  - parameters: ?N becomes $N (sql_placeholders.hpp); an int64 is sent as int8, a double as
//    float8, a blob as binary bytea, text untyped so PostgreSQL types it from its use;
//  - statements: Database::cached() ones are named prepared statements, prepared once per
//    connection (per set of parameter types); the others go as one extended-protocol call;
//  - results are read whole; booleans read as 1/0 and bytea as raw bytes, as SQLite's would;
//  - a write transaction takes one advisory lock shared by every Muster process, so writers
//    are serialized as SQLite's are (database.hpp, Transaction);
//  - errors carry the SQLite code of the same meaning, and only PostgreSQL's primary message:
//    its DETAIL lines quote the row's values, which may be personal data;
//  - a connection lost outside a transaction is opened again before the next statement.
#include "connection_impl.hpp"
#include "sql_placeholders.hpp"

#include "muster/db/postgresql.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <unordered_map>
#include <vector>

namespace muster::db::detail {
namespace {

constexpr Oid int8_oid = 20;
constexpr Oid float8_oid = 701;
constexpr Oid bytea_oid = 17;
constexpr Oid bool_oid = 16;
constexpr Oid int2_oid = 21;
constexpr Oid int4_oid = 23;
constexpr Oid float4_oid = 700;
constexpr Oid numeric_oid = 1700;

// The advisory lock every Muster write transaction holds: "MUST", 1.
constexpr const char* begin_write = "BEGIN; SELECT pg_advisory_xact_lock(1297437524, 1)";

int sqlite_code_for(const char* sqlstate) {
    if (!sqlstate) return SQLITE_IOERR;  // no server reply: the connection failed
    std::string_view s(sqlstate);
    if (s == "23505") return SQLITE_CONSTRAINT_UNIQUE;
    if (s == "23503") return SQLITE_CONSTRAINT_FOREIGNKEY;
    if (s == "23514") return SQLITE_CONSTRAINT_CHECK;
    if (s == "23502") return SQLITE_CONSTRAINT_NOTNULL;
    if (s.substr(0, 2) == "23") return SQLITE_CONSTRAINT;
    if (s == "53200") return SQLITE_NOMEM;
    if (s.substr(0, 2) == "53") return SQLITE_FULL;  // disk full, too many connections
    if (s == "40001" || s == "40P01" || s == "55P03") return SQLITE_BUSY;
    if (s == "25006") return SQLITE_READONLY;
    if (s == "3D000" || s.substr(0, 2) == "28") return SQLITE_CANTOPEN;
    if (s.substr(0, 2) == "08" || s.substr(0, 3) == "57P") return SQLITE_IOERR;
    return SQLITE_ERROR;
}

// PostgreSQL's one-line message, without the DETAIL that quotes row values. A data error
// ("invalid input syntax for type bigint: \"...\"") quotes the bound value after a colon:
// that part is dropped too.
std::string safe_message(const PGresult* result, PGconn* conn) {
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string message = primary ? primary : PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    if (state && std::string_view(state).substr(0, 2) == "22") {
        auto colon = message.find(':');
        if (colon != std::string::npos) message.resize(colon);
    }
    if (state) message += std::string(" [") + state + "]";
    return message;
}

[[noreturn]] void fail(const PGresult* result, PGconn* conn, std::string_view context) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    throw Error(sqlite_code_for(state), std::string(context) + ": " + safe_message(result, conn));
}

struct ResultDeleter {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string decode_bytea(const char* hex, std::size_t length) {
    // PostgreSQL's bytea_output = hex: "\x" then two digits a byte.
    if (length < 2 || hex[0] != '\\' || hex[1] != 'x') return std::string(hex, length);
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return 0;
    };
    std::string out;
    out.reserve((length - 2) / 2);
    for (std::size_t i = 2; i + 1 < length; i += 2)
        out += static_cast<char>(nibble(hex[i]) << 4 | nibble(hex[i + 1]));
    return out;
}

class PgConnection;

struct Parameter {
    Oid type = 0;
    std::string value;
    bool null = true;
    bool binary = false;
};

class PgStatement final : public StatementImpl {
public:
    PgStatement(PgConnection& connection, std::string_view sql, bool cached)
        : connection_(connection), sql_(to_postgresql_placeholders(sql)), cached_(cached) {}

    void bind_int64(int index, std::int64_t value) override { set(index, int8_oid, std::to_string(value), false); }
    void bind_double(int index, double value) override {
        char buffer[32];
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);  // shortest exact form
        (void)ec;
        set(index, float8_oid, std::string(buffer, end), false);
    }
    void bind_text(int index, std::string_view text) override { set(index, 0, std::string(text), false); }
    void bind_null(int index) override { slot(index) = Parameter{}; }
    void bind_blob(int index, const void* data, std::size_t size) override {
        set(index, bytea_oid, std::string(static_cast<const char*>(data), size), true);
    }

    bool step() override;
    void reset() noexcept override {
        result_.reset();
        row_ = -1;
        rows_ = 0;
        for (auto& p : parameters_) p = Parameter{};
    }

    int column_count() const override { return result_ ? PQnfields(result_.get()) : 0; }
    ColumnType column_type(int column) const override {
        if (!value(column)) return ColumnType::null;
        switch (PQftype(result_.get(), column)) {
        case int2_oid:
        case int4_oid:
        case int8_oid:
        case bool_oid: return ColumnType::integer;
        case float4_oid:
        case float8_oid:
        case numeric_oid: return ColumnType::real;
        case bytea_oid: return ColumnType::blob;
        default: return ColumnType::text;
        }
    }
    bool is_null(int column) const override { return PQgetisnull(result_.get(), row_, column) != 0; }
    std::int64_t int64(int column) const override {
        const char* v = value(column);
        if (!v) return 0;
        if (PQftype(result_.get(), column) == bool_oid) return v[0] == 't' ? 1 : 0;
        std::int64_t out = 0;
        auto [end, ec] = std::from_chars(v, v + std::strlen(v), out);
        if (ec == std::errc() && (*end == '\0')) return out;
        return static_cast<std::int64_t>(std::strtod(v, nullptr));  // numeric, real: as SQLite, truncated
    }
    double real(int column) const override {
        const char* v = value(column);
        if (!v) return 0;
        if (PQftype(result_.get(), column) == bool_oid) return v[0] == 't' ? 1 : 0;
        return std::strtod(v, nullptr);
    }
    std::string text(int column) const override {
        const char* v = value(column);
        if (!v) return {};
        Oid type = PQftype(result_.get(), column);
        if (type == bool_oid) return v[0] == 't' ? "1" : "0";
        std::size_t length = static_cast<std::size_t>(PQgetlength(result_.get(), row_, column));
        if (type == bytea_oid) return decode_bytea(v, length);
        return std::string(v, length);
    }
    std::string blob(int column) const override { return text(column); }

private:
    Parameter& slot(int index) {
        if (index < 1) throw Error(SQLITE_RANGE, "bind: parameter " + std::to_string(index) + " out of range");
        if (static_cast<std::size_t>(index) > parameters_.size()) parameters_.resize(static_cast<std::size_t>(index));
        return parameters_[static_cast<std::size_t>(index) - 1];
    }
    void set(int index, Oid type, std::string value, bool binary) {
        auto& p = slot(index);
        p.type = type;
        p.value = std::move(value);
        p.null = false;
        p.binary = binary;
    }
    const char* value(int column) const {
        if (!result_ || row_ < 0 || row_ >= rows_ || PQgetisnull(result_.get(), row_, column)) return nullptr;
        return PQgetvalue(result_.get(), row_, column);
    }

    PgConnection& connection_;
    PostgresqlSql sql_;
    bool cached_;
    std::vector<Parameter> parameters_;
    Result result_;
    int row_ = -1;
    int rows_ = 0;
};

class PgConnection final : public ConnectionImpl {
public:
    PgConnection(const std::string& url, OpenMode mode) : shown_(redact_url(url)) {
        conn_ = PQconnectdb(url.c_str());
        if (PQstatus(conn_) != CONNECTION_OK) {
            std::string message = "open " + shown_ + ": " + PQerrorMessage(conn_);
            while (!message.empty() && message.back() == '\n') message.pop_back();
            PQfinish(conn_);
            conn_ = nullptr;
            throw Error(SQLITE_CANTOPEN, message);
        }
        read_only_ = mode == OpenMode::read_only;
        configure();
    }
    ~PgConnection() override { PQfinish(conn_); }
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    void exec(std::string_view sql) override {
        ensure_open();
        Result r(PQexec(conn_, std::string(sql).c_str()));
        check(r.get(), "exec");
    }
    std::unique_ptr<StatementImpl> prepare(std::string_view sql, bool cached) override {
        return std::make_unique<PgStatement>(*this, sql, cached);
    }
    std::int64_t last_insert_rowid() override {
        Result r(PQexec(conn_, "SELECT lastval()"));
        if (PQresultStatus(r.get()) != PGRES_TUPLES_OK || PQntuples(r.get()) != 1) return 0;
        return std::strtoll(PQgetvalue(r.get(), 0, 0), nullptr, 10);
    }
    int changes() const override { return changes_; }
    std::int64_t total_changes() const override { return total_changes_; }
    std::int64_t data_version() override {
        // The snapshot moves whenever any transaction on the server ends.
        Result r(PQexec(conn_, "SELECT pg_current_snapshot()::text"));
        if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) fail(r.get(), conn_, "data_version");
        return static_cast<std::int64_t>(std::hash<std::string_view>{}(PQgetvalue(r.get(), 0, 0)) >> 1);
    }
    void begin(Transaction::Kind kind) override {
        exec(kind == Transaction::Kind::immediate && !read_only_ ? begin_write : "BEGIN ISOLATION LEVEL REPEATABLE READ");
    }
    void commit() override {
        // COMMIT of a transaction a failed statement aborted "succeeds" as a rollback: say so.
        if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
            rollback();
            throw Error(SQLITE_ABORT, "commit: a statement failed earlier, so the transaction was rolled back");
        }
        exec("COMMIT");
    }
    void rollback() noexcept override {
        if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
        PQclear(PQexec(conn_, "ROLLBACK"));
    }

    // Runs one statement for PgStatement::step: prepared once per parameter types when cached.
    Result run(const PostgresqlSql& sql, const std::vector<Parameter>& parameters, bool cached) {
        ensure_open();
        int n = std::max<int>(sql.parameters, static_cast<int>(parameters.size()));
        std::vector<Oid> types(static_cast<std::size_t>(n), 0);
        std::vector<const char*> values(static_cast<std::size_t>(n), nullptr);
        std::vector<int> lengths(static_cast<std::size_t>(n), 0);
        std::vector<int> formats(static_cast<std::size_t>(n), 0);
        for (std::size_t i = 0; i < parameters.size(); ++i) {
            const auto& p = parameters[i];
            types[i] = p.type;
            if (p.null) continue;
            values[i] = p.value.data();  // text values are NUL-terminated by std::string
            lengths[i] = static_cast<int>(p.value.size());
            formats[i] = p.binary ? 1 : 0;
        }
        Result r;
        if (cached) {
            std::string key = sql.text;
            key += '\0';
            for (Oid t : types) key += std::to_string(t) + ",";
            auto it = prepared_.find(key);
            if (it == prepared_.end()) {
                std::string name = "m" + std::to_string(prepared_.size() + 1);
                Result made(PQprepare(conn_, name.c_str(), sql.text.c_str(), n, types.data()));
                check(made.get(), "prepare");
                it = prepared_.emplace(std::move(key), std::move(name)).first;
            }
            r.reset(PQexecPrepared(conn_, it->second.c_str(), n, values.data(), lengths.data(), formats.data(), 0));
        } else {
            r.reset(PQexecParams(conn_, sql.text.c_str(), n, types.data(), values.data(), lengths.data(), formats.data(), 0));
        }
        check(r.get(), "step");
        return r;
    }

private:
    void configure() {
        PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);  // NOTICEs are not errors
        exec(read_only_ ? "SET default_transaction_read_only = on" : "SET default_transaction_read_only = off");
    }
    // A connection the server dropped (a restart, a failover) is opened again, but never in
    // the middle of a transaction: that one is lost, and its caller is told.
    void ensure_open() {
        if (PQstatus(conn_) == CONNECTION_OK) return;
        PQreset(conn_);
        if (PQstatus(conn_) != CONNECTION_OK) {
            std::string message = "reconnect " + shown_ + ": " + PQerrorMessage(conn_);
            while (!message.empty() && message.back() == '\n') message.pop_back();
            throw Error(SQLITE_IOERR, message);
        }
        prepared_.clear();
        configure();
    }
    void check(const PGresult* r, std::string_view context) {
        auto status = PQresultStatus(r);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r, conn_, context);
        const char* tuples = PQcmdTuples(const_cast<PGresult*>(r));
        if (tuples && *tuples && status == PGRES_COMMAND_OK) {
            changes_ = std::atoi(tuples);
            total_changes_ += changes_;
        } else if (status == PGRES_TUPLES_OK && tuples && *tuples) {
            // INSERT .. RETURNING and the like report rows written too.
            const char* command = PQcmdStatus(const_cast<PGresult*>(r));
            if (command && std::strncmp(command, "SELECT", 6) != 0) {
                changes_ = std::atoi(tuples);
                total_changes_ += changes_;
            }
        }
    }

    PGconn* conn_ = nullptr;
    std::string shown_;
    bool read_only_ = false;
    int changes_ = 0;
    std::int64_t total_changes_ = 0;
    std::unordered_map<std::string, std::string> prepared_;
};

bool PgStatement::step() {
    if (!result_) {
        result_ = connection_.run(sql_, parameters_, cached_);
        rows_ = PQntuples(result_.get());
        row_ = -1;
    }
    return ++row_ < rows_;
}

std::unique_ptr<ConnectionImpl> open_postgresql(const std::string& url, OpenMode mode) {
    return std::make_unique<PgConnection>(url, mode);
}

}  // namespace
}  // namespace muster::db::detail

namespace muster::db {

void enable_postgresql() { detail::set_postgresql_opener(&detail::open_postgresql); }

}  // namespace muster::db
