#pragma once
// A real PostgreSQL 15 for tests and benches (issue 14, docs/scale.md "Testing against
// PostgreSQL"): a private cluster made with initdb in a directory under /tmp, started with
// pg_ctl on a free 127.0.0.1 port and its own socket directory, and stopped afterwards.
// PostgreSQL refuses to run as root: when the tests run as root, initdb, pg_ctl and the
// server run as the `postgres` system user (else `nobody`), who owns the directory.
//
// Tests do not start clusters themselves: they ask for a fresh database,
//     auto db = muster::test::fresh_postgres_database();   // db.url(): postgresql://...
// which is created on the run's shared cluster and dropped when `db` dies. Under ctest the
// shared cluster is the one the `postgres` fixture started (tests/CMakeLists.txt,
// muster_postgres_tests): MUSTER_TEST_POSTGRES names the file holding its URL. A test program
// run by hand, without that variable, starts a private cluster on first use and stops it at
// exit.
#include <libpq-fe.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace muster::test {

// postgresql://muster@127.0.0.1:PORT/DATABASE with the database swapped for `database`.
std::string postgres_url_with_database(const std::string& url, std::string_view database);

class PostgresCluster {
public:
    struct Options {
        // Off (tests): fsync, synchronous_commit and full_page_writes off, so a test's
        // commits cost no disk flush. On (benches): PostgreSQL's own durable defaults.
        bool durable = false;
        // More postgresql.conf settings, written after the defaults (so they win), e.g.
        // {"synchronous_commit", "on"}, {"max_connections", "300"}.
        std::vector<std::pair<std::string, std::string>> settings;
    };

    // initdb (-U muster --auth=trust -E UTF8 --locale=C) in a new /tmp/muster-pg-XXXXXX and
    // start; returns once the server accepts connections. Throws std::runtime_error with
    // the tail of initdb's or the server's log when it cannot.
    explicit PostgresCluster(Options options);
    PostgresCluster();
    // Stops the server (pg_ctl stop -m fast) and removes its directory, unless detach()ed.
    // Only in the process that started it (a forked child's exit does not stop it).
    ~PostgresCluster();
    PostgresCluster(const PostgresCluster&) = delete;
    PostgresCluster& operator=(const PostgresCluster&) = delete;

    // The maintenance database's URL: postgresql://muster@127.0.0.1:PORT/postgres.
    std::string url() const { return url(std::string_view("postgres")); }
    std::string url(std::string_view database) const;
    int port() const { return port_; }
    const std::filesystem::path& directory() const { return dir_; }
    // Leave the server running when this object dies (muster-test-postgres start); stop it
    // later with stop_postgres_cluster(directory()).
    void detach() { detached_ = true; }
    void stop();

private:
    std::filesystem::path dir_;
    int port_ = 0;
    int owner_pid_ = 0;
    bool detached_ = false;
};

// Stops the cluster in `directory` (made by PostgresCluster) if it runs, and removes the
// directory. Quiet when there is nothing to stop.
void stop_postgres_cluster(const std::filesystem::path& directory);

// The run's shared cluster (see the top of this file), as its maintenance database's URL.
std::string shared_postgres_url();

// A database of its own for one test; dropped (WITH (FORCE): server processes the test
// left connected are cut off) when this object dies. Move-only.
class PostgresDatabase {
public:
    PostgresDatabase(std::string server_url, std::string name);
    ~PostgresDatabase();
    PostgresDatabase(PostgresDatabase&& other) noexcept;
    PostgresDatabase& operator=(PostgresDatabase&&) = delete;
    PostgresDatabase(const PostgresDatabase&) = delete;
    PostgresDatabase& operator=(const PostgresDatabase&) = delete;

    // postgresql://muster@127.0.0.1:PORT/muster_t_<pid>_<n>
    const std::string& url() const { return url_; }
    const std::string& name() const { return name_; }

private:
    std::string server_url_;
    std::string name_;
    std::string url_;
    int owner_pid_ = 0;
};

// CREATE DATABASE muster_t_<pid>_<counter> on the shared cluster (UTF8, C collation: text
// sorts by bytes, as SQLite's does).
PostgresDatabase fresh_postgres_database();
// The same, with the hub's PostgreSQL schema already migrated (copied from a template made
// once per cluster): what store::open_database would make, in a fraction of the time.
PostgresDatabase fresh_postgres_hub_database();

// A libpq connection for tests that talk to PostgreSQL directly.
struct PgConnectionClose {
    void operator()(PGconn* c) const { PQfinish(c); }
};
using PgConnection = std::unique_ptr<PGconn, PgConnectionClose>;
struct PgResultClear {
    void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultClear>;

// Connects to `url`; throws std::runtime_error with libpq's message when it cannot.
PgConnection pg_connect(const std::string& url);
// Runs `sql` (one or more statements, no parameters: the simple query protocol); throws
// std::runtime_error with the server's message when it fails. Returns the last result.
PgResult pg_exec(PGconn* conn, const std::string& sql);

}  // namespace muster::test
