// The tests' PostgreSQL (tests/support/postgres_cluster.hpp) and the hub schema on it
// (shared/migrations/postgresql/): a database per test, the schema applied, rows stored and
// read back, and the change clock heard by a LISTENing connection in another session.
#include "pg_rows.hpp"
#include "pg_schema.hpp"
#include "postgres_cluster.hpp"

#include <catch2/catch.hpp>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

using namespace muster::test;

namespace {

// Waits up to `timeout` for a notification on `conn`, waiting on its socket (not polling on
// a timer). Returns {channel, payload}, or {"", ""} when none came.
std::pair<std::string, std::string> next_notification(PGconn* conn, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        PQconsumeInput(conn);
        if (PGnotify* n = PQnotifies(conn)) {
            std::pair<std::string, std::string> got{n->relname, n->extra};
            PQfreemem(n);
            return got;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return {};
        pollfd fd{PQsocket(conn), POLLIN, 0};
        poll(&fd, 1, static_cast<int>(left.count()));
    }
}

}  // namespace

TEST_CASE("Each test's PostgreSQL database is its own and is dropped when its owner goes", "[postgres]") {
    std::string first_name;
    {
        auto first = fresh_postgres_database();
        auto second = fresh_postgres_database();
        first_name = first.name();
        CHECK(first.name() != second.name());
        CHECK(first.url().rfind("postgresql://muster@127.0.0.1:", 0) == 0);
        CHECK(first.url().substr(first.url().size() - first.name().size()) == first.name());
        auto conn = pg_connect(first.url());
        CHECK(pg_value(conn.get(), "SELECT current_database()") == first.name());
        // Text sorts by bytes, as SQLite's does: upper case before lower case.
        CHECK(pg_value(conn.get(), "SELECT string_agg(x, '' ORDER BY x) FROM (VALUES ('b'), ('B'), ('a')) v(x)") == "Bab");
    }
    auto admin = pg_connect(shared_postgres_url());
    CHECK(pg_value(admin.get(), "SELECT count(*) FROM pg_database WHERE datname = '" + first_name + "'") == "0");
}

TEST_CASE("The hub schema applies to a fresh PostgreSQL database and keeps what is stored", "[postgres]") {
    auto db = fresh_postgres_database();
    auto conn = pg_connect(db.url());
    int latest = apply_hub_schema(conn.get());
    REQUIRE(latest >= 1);
    CHECK(pg_value(conn.get(), "SELECT version FROM muster_schema") == std::to_string(latest));
    // Applying again finds nothing newer to do.
    CHECK(apply_hub_schema(conn.get()) == latest);
    CHECK(pg_value(conn.get(), "SELECT count(*) FROM muster_schema") == "1");

    pg_exec(conn.get(), "INSERT INTO hub (id, name, public_key, key_id, created_ms) "
                        "VALUES (1, 'Test hub', decode(repeat('ab', 32), 'hex'), 'abcdabcd', 1700000000000)");
    pg_exec(conn.get(), "INSERT INTO participants (trn, email, first_name, last_name, role) "
                        "VALUES ('1234567', 'ann@example.org', 'Ann', 'Example', 'ect')");
    pg_exec(conn.get(), "INSERT INTO participants (first_name, last_name, role) VALUES ('Bob', 'Sample', 'mentor')");
    CHECK(pg_value(conn.get(), "SELECT string_agg(id::text || ':' || first_name, ',' ORDER BY id) FROM participants") ==
          "1:Ann,2:Bob");
    CHECK(pg_value(conn.get(), "SELECT part_time FROM participants WHERE id = 1") == "0");
    CHECK(pg_value(conn.get(), "SELECT octet_length(public_key) FROM hub") == "32");
    CHECK(pg_value(conn.get(), "SELECT pg_typeof(changed_at)::text FROM participants LIMIT 1") == "bigint");

    // The SQLite checks hold here too.
    CHECK_THROWS(pg_exec(conn.get(), "INSERT INTO participants (trn, first_name, last_name, role) VALUES ('12345x7', 'C', 'D', 'ect')"));
    CHECK_THROWS(pg_exec(conn.get(), "INSERT INTO participants (first_name, last_name, role) VALUES ('C', 'D', 'pilot')"));
    CHECK_THROWS(pg_exec(conn.get(), "INSERT INTO participants (email, first_name, last_name, role) VALUES ('ANN@example.org', 'C', 'D', 'ect')"));
    CHECK_THROWS(pg_exec(conn.get(), "INSERT INTO change_clock VALUES (2, 0)"));

    // Staff emails are one account whatever their case (citext).
    pg_exec(conn.get(), "INSERT INTO staff_accounts (name, email, role, password_hash, created_ms, password_changed_ms) "
                        "VALUES ('Ann', 'Ann@Hub.org', 'admin', '$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA', 1, 1)");
    CHECK(pg_value(conn.get(), "SELECT name FROM staff_accounts WHERE email = 'ann@hub.org'") == "Ann");
    CHECK_THROWS(pg_exec(conn.get(), "INSERT INTO staff_accounts (name, email, role, password_hash, created_ms, password_changed_ms) "
                                     "VALUES ('Ann', 'ANN@HUB.ORG', 'staff', '$argon2id$x', 1, 1)"));

    // Cascades as on SQLite: an event takes its sessions and rooms with it.
    pg_exec(conn.get(), "INSERT INTO events (programme, item, cohort, kind, title, venue, local_date) "
                        "VALUES ('ect-y1', 'conference-1', 2025, 'conference', 'Conference 1', 'Hall', '2026-01-10')");
    pg_exec(conn.get(), "INSERT INTO sessions (event_id, name, starts_ms, ends_ms) VALUES (1, 'Morning', 10, 20)");
    pg_exec(conn.get(), "INSERT INTO rooms (event_id, name) VALUES (1, 'Room 1')");
    CHECK(pg_value(conn.get(), "SELECT late_after_min FROM events WHERE id = 1") == "10");
    pg_exec(conn.get(), "DELETE FROM events WHERE id = 1");
    CHECK(pg_value(conn.get(), "SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM rooms)") == "0");

    // A register link's code hash is exactly 32 bytes.
    pg_exec(conn.get(), "INSERT INTO events (id, programme, item, cohort, kind, title, venue, local_date) "
                        "VALUES (5, 'p', 'i', 1, 'other', 't', 'v', '2026-01-01')");
    CHECK_THROWS(pg_exec(conn.get(), "INSERT INTO register_links (event_id, code_hash, created_ms, expires_ms) "
                                     "VALUES (5, decode('abcd', 'hex'), 1, 2)"));
    CHECK_NOTHROW(pg_exec(conn.get(), "INSERT INTO register_links (event_id, code_hash, created_ms, expires_ms) "
                                      "VALUES (5, decode(repeat('cd', 32), 'hex'), 1, 2)"));
}

TEST_CASE("The change clock moving is heard by a listening connection when it commits, not before", "[postgres]") {
    auto db = fresh_postgres_database();
    auto writer = pg_connect(db.url());
    apply_hub_schema(writer.get());
    auto listener = pg_connect(db.url());
    pg_exec(listener.get(), "LISTEN muster_change");

    pg_exec(writer.get(), "BEGIN");
    pg_exec(writer.get(), "UPDATE change_clock SET value = value + 1 WHERE id = 1");
    CHECK(next_notification(listener.get(), std::chrono::milliseconds(200)).first.empty());
    pg_exec(writer.get(), "COMMIT");
    auto heard = next_notification(listener.get(), std::chrono::seconds(10));
    CHECK(heard.first == "muster_change");
    CHECK(heard.second == "1");

    // A rolled-back move is never announced: the next one heard is the next committed value.
    pg_exec(writer.get(), "BEGIN");
    pg_exec(writer.get(), "UPDATE change_clock SET value = 100 WHERE id = 1");
    pg_exec(writer.get(), "ROLLBACK");
    pg_exec(writer.get(), "UPDATE change_clock SET value = value + 1 WHERE id = 1 RETURNING value");
    heard = next_notification(listener.get(), std::chrono::seconds(10));
    CHECK(heard.second == "2");
}

TEST_CASE("The hub schema applies as a database owner who is not a superuser", "[postgres]") {
    auto admin = pg_connect(shared_postgres_url());
    // Numbers only in the role's name: nothing from outside goes into the SQL.
    std::string role = "muster_owner_" + std::to_string(getpid());
    pg_exec(admin.get(), "DROP ROLE IF EXISTS " + role);
    pg_exec(admin.get(), "CREATE ROLE " + role + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE");
    {
        auto db = fresh_postgres_database();
        pg_exec(admin.get(), "ALTER DATABASE " + db.name() + " OWNER TO " + role);
        std::string as_owner = db.url();
        as_owner.replace(as_owner.find("muster@"), 6, role);
        auto conn = pg_connect(as_owner);
        CHECK(pg_value(conn.get(), "SELECT rolsuper FROM pg_roles WHERE rolname = current_user") == "f");
        // citext is trusted: the owner creates it without a superuser's help.
        CHECK_NOTHROW(apply_hub_schema(conn.get()));
        CHECK(pg_value(conn.get(), "SELECT count(*) FROM pg_extension WHERE extname = 'citext'") == "1");
        pg_exec(conn.get(), "INSERT INTO change_clock VALUES (1, 5) ON CONFLICT (id) DO UPDATE SET value = excluded.value");
        CHECK(pg_value(conn.get(), "SELECT value FROM change_clock") == "5");
    }
    pg_exec(admin.get(), "DROP ROLE " + role);
}

TEST_CASE("A private PostgreSQL cluster listens on 127.0.0.1 only and is gone once stopped", "[postgres]") {
    PostgresCluster cluster({.durable = true, .settings = {{"synchronous_commit", "on"}, {"max_connections", "50"}}});
    auto dir = cluster.directory();
    REQUIRE(std::filesystem::exists(dir / "data" / "postmaster.pid"));
    {
        auto conn = pg_connect(cluster.url());
        CHECK(pg_value(conn.get(), "SHOW listen_addresses") == "127.0.0.1");
        CHECK(pg_value(conn.get(), "SHOW fsync") == "on");
        CHECK(pg_value(conn.get(), "SHOW synchronous_commit") == "on");
        CHECK(pg_value(conn.get(), "SHOW max_connections") == "50");
        CHECK(pg_value(conn.get(), "SHOW server_encoding") == "UTF8");
        CHECK(pg_value(conn.get(), "SELECT current_setting('server_version_num')::int / 10000") == "15");
        CHECK(pg_value(conn.get(), "SELECT rolsuper FROM pg_roles WHERE rolname = 'muster'") == "t");
    }
    std::string url = cluster.url();
    cluster.stop();
    CHECK_FALSE(std::filesystem::exists(dir));
    CHECK_THROWS(pg_connect(url));
}

TEST_CASE("The tests' shared PostgreSQL is not run as root", "[postgres]") {
    auto conn = pg_connect(shared_postgres_url());
    // The server's data directory belongs to the user it runs as; root's is refused by
    // PostgreSQL itself, so this guards the helper's choice of user rather than PostgreSQL.
    std::string data_dir = pg_value(conn.get(), "SHOW data_directory");
    REQUIRE_FALSE(data_dir.empty());
    struct stat st {};
    REQUIRE(::stat(data_dir.c_str(), &st) == 0);
    if (geteuid() == 0) CHECK(st.st_uid != 0);
    CHECK(data_dir.rfind(std::filesystem::temp_directory_path().string(), 0) == 0);
}
