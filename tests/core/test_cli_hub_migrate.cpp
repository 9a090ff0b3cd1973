// `muster hub migrate --to postgresql://...` (docs/scale.md, "Moving a hub to PostgreSQL"): a
// hub made with the real tool (the demo's roster, events, badges, cards and devices, a staff
// account, a register link) plus uploaded check-ins and a correction, copied into a fresh
// PostgreSQL database of the run's cluster. Every table's rows are compared cell by cell,
// identities move on past the copied ids, sync-server.toml names the URL and hub.db is left
// byte for byte as it was. A database that holds data is refused, and a copy that fails part
// way keeps nothing.
#include "cli_run.hpp"
#include "postgres_cluster.hpp"
#include "temp_dir.hpp"

#include "muster/config/toml_file.hpp"
#include "muster/db/postgresql.hpp"
#include "muster/store/hub_copy.hpp"
#include "muster/store/schema.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace muster;

namespace {

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A hub made by `muster demo`, then a staff account, a register link, `check_ins` uploaded
// check-ins (sync_seq 1..n, some with NULLs) and a correction, the change clock moved on.
struct MigrationHub {
    test::TempDir dir;
    std::string hub = dir.file("hub");
    std::string database = hub + "/hub.db";
    std::string config = hub + "/sync-server.toml";

    explicit MigrationHub(int check_ins) {
        auto demo = test::muster_cli({"demo", "--hub", hub});
        if (demo.code != 0) throw std::runtime_error("muster demo failed: " + demo.err);
        auto staff = test::muster_cli_with_input({"staff", "add", "--name", "Ann Example", "--email", "Ann@Hub.org", "--role",
                                                  "admin", "--hub", hub},
                                                 "a long enough password\n", staff::test_cost);
        if (staff.code != 0) throw std::runtime_error("staff add failed: " + staff.err);
        auto link = test::muster_cli({"register", "link", "--event", "1", "--room", "1", "--hub", hub});
        if (link.code != 0) throw std::runtime_error("register link failed: " + link.err);
        auto db = store::open_database(database);
        db::Transaction tx(*db);
        auto insert = db->prepare(
            "INSERT INTO check_ins (uuid, device_id, device_seq, participant_id, event_id, session_id, direction, method, "
            "outcome, reason, device_ms, device_offset_min, received_ms, sync_seq, arrival_gap_ms) "
            "VALUES (?1, 'demo-entrance', ?2, ?3, 1, ?4, ?5, 'qr', 'checked_in', ?6, ?7, 60, ?8, ?2, ?9)");
        using I = std::int64_t;
        for (I i = 1; i <= check_ins; ++i) {
            std::string uuid = "0190a1b2-0000-7000-8000-" + std::string(12 - std::to_string(i).size(), '0') + std::to_string(i);
            insert.bind(1, uuid).bind(2, i).bind(3, I{1 + i % 200});
            if (i % 3) insert.bind(4, I{1});
            insert.bind(5, i % 4 ? "entry" : "exit");
            if (i % 5 == 0) insert.bind(6, "Zoë’s badge, scanned twice");  // non-ASCII text survives
            insert.bind(7, I{1'780'000'000'000} + i).bind(8, I{1'780'000'100'000} + i);
            if (i % 2) insert.bind(9, I{i * 7});
            insert.run();
        }
        db->exec("INSERT INTO corrections (uuid, kind, target_uuid, participant_id, event_id, reason, author, created_ms, "
                 "sync_seq) VALUES ('0190a1b2-0000-7000-9000-000000000001', 'void', '0190a1b2-0000-7000-8000-000000000001', "
                 "2, 1, 'scanned by mistake', 'Ann Example', 1780000200000, 9001)");
        db->prepare("UPDATE change_clock SET value = ?1").bind(1, I{check_ins + 9001}).run();
        tx.commit();
    }

    test::CliRun migrate(const std::string& url) const { return test::muster_cli({"hub", "migrate", "--to", url, "--hub", hub}); }
};

using Rows = std::vector<std::vector<std::optional<std::string>>>;

std::vector<std::string> sqlite_columns(db::Database& sqlite, const std::string& table) {
    return sqlite.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
        .bind(1, table)
        .query_all([](const db::Statement& r) { return r.text(0); });
}

// Every row of `table` (the given columns), each cell as its bytes (NULL as nullopt), sorted.
Rows table_rows(db::Database& db, const std::string& table, const std::vector<std::string>& columns) {
    std::string sql = "SELECT ";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + columns[i];
    sql += " FROM " + table;
    auto rows = db.prepare(sql).query_all([&](const db::Statement& r) {
        std::vector<std::optional<std::string>> row;
        for (int c = 0; c < static_cast<int>(columns.size()); ++c)
            row.push_back(r.is_null(c) ? std::nullopt : std::optional<std::string>(r.blob(c)));
        return row;
    });
    std::sort(rows.begin(), rows.end());
    return rows;
}

std::int64_t count(db::Database& db, const std::string& sql) {
    return db.prepare(sql).query_one([](const db::Statement& r) { return r.int64(0); }).value_or(-1);
}

std::unique_ptr<db::Database> open_postgresql(const std::string& url) {
    db::enable_postgresql();
    return store::open_database(url);
}

}  // namespace

TEST_CASE("hub migrate copies every table into PostgreSQL and points the server at it", "[cli][hub-migrate]") {
    MigrationHub hub(1234);  // two full batches of 500 and a part
    auto target = test::fresh_postgres_database();
    const std::string backup = file_bytes(hub.database);

    auto moved = hub.migrate(target.url());
    INFO(moved.err);
    REQUIRE(moved.code == 0);
    CHECK(moved.out.find("check_ins                     1234") != std::string::npos);
    CHECK(moved.out.find("Restart muster-sync-server") != std::string::npos);

    // The file is the backup, untouched; the server's file names the URL.
    CHECK(file_bytes(hub.database) == backup);
    CHECK(config::TomlFile(hub.config).text("hub.database", "") == target.url());

    auto sqlite = store::open_database(hub.database);
    auto pg = open_postgresql(target.url());
    auto order = store::hub_tables_in_copy_order(*pg);
    auto on_sqlite = sqlite->prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'")
                         .query_all([](const db::Statement& r) { return r.text(0); });
    CHECK(std::set<std::string>(order.begin(), order.end()) == std::set<std::string>(on_sqlite.begin(), on_sqlite.end()));

    std::int64_t total = 0;
    for (const auto& table : order) {
        INFO("table " << table);
        auto columns = sqlite_columns(*sqlite, table);
        auto rows = table_rows(*sqlite, table, columns);
        CHECK(table_rows(*pg, table, columns) == rows);
        total += static_cast<std::int64_t>(rows.size());
    }
    CHECK(moved.out.find(std::to_string(total) + " rows in") != std::string::npos);
    // The tables this hub filled, so the comparison above compared something.
    CHECK(count(*pg, "SELECT count(*) FROM participants") == count(*sqlite, "SELECT count(*) FROM participants"));
    CHECK(count(*pg, "SELECT count(*) FROM participants") > 100);
    CHECK(count(*pg, "SELECT count(*) FROM check_ins WHERE reason LIKE 'Zoë%'") == 246);
    CHECK(count(*pg, "SELECT octet_length(public_key) FROM hub") == 32);
    CHECK(count(*pg, "SELECT count(*) FROM register_links WHERE octet_length(code_hash) = 32") == 1);
    CHECK(count(*pg, "SELECT count(*) FROM staff_accounts WHERE email = 'ann@hub.org'") == 1);  // citext
    // Devices' cursors stay valid: the change clock and every sync_seq as they were.
    CHECK(count(*pg, "SELECT value FROM change_clock") == 1234 + 9001);
    CHECK(count(*pg, "SELECT max(sync_seq) FROM check_ins") == 1234);

    // Each identity moved on past the copied ids: a row added without an id does not collide.
    auto max_event = count(*pg, "SELECT max(id) FROM events");
    auto next_event = pg->prepare("INSERT INTO events (programme, item, cohort, kind, title, venue, local_date) "
                                  "VALUES ('ect-y1', 'conference-9', 2025, 'conference', 'After the move', 'Hall', '2026-01-05') "
                                  "RETURNING id")
                          .query_one([](const db::Statement& r) { return r.int64(0); });
    CHECK(next_event == max_event + 1);
    auto max_participant = count(*pg, "SELECT max(id) FROM participants");
    auto next_participant = pg->prepare("INSERT INTO participants (first_name, last_name, role) VALUES ('New', 'Person', 'guest') "
                                        "RETURNING id")
                                .query_one([](const db::Statement& r) { return r.int64(0); });
    CHECK(next_participant == max_participant + 1);
}

TEST_CASE("hub migrate refuses a database that holds a hub and changes nothing", "[cli][hub-migrate]") {
    MigrationHub first(20);
    auto target = test::fresh_postgres_database();
    REQUIRE(first.migrate(target.url()).code == 0);

    // The same hub again: it is already on PostgreSQL.
    auto again = first.migrate(target.url());
    CHECK(again.code == 2);
    CHECK(again.err.find("already on PostgreSQL") != std::string::npos);

    // Another hub into the same database: refused, its file and configuration as they were.
    MigrationHub second(5);
    const std::string config = file_bytes(second.config);
    auto other = second.migrate(target.url());
    CHECK(other.code == 2);
    CHECK(other.err.find("already holds a hub") != std::string::npos);
    CHECK(file_bytes(second.config) == config);
    auto pg = open_postgresql(target.url());
    CHECK(count(*pg, "SELECT count(*) FROM check_ins") == 20);
    CHECK(count(*pg, "SELECT value FROM change_clock") == 20 + 9001);
}

TEST_CASE("a hub migrate that fails part way keeps nothing and leaves the server file alone", "[cli][hub-migrate]") {
    MigrationHub hub(700);
    auto target = test::fresh_postgres_database();
    {
        // The target refuses one check-in (the 613th, in the second batch) after the tables
        // before it were copied.
        auto pg = open_postgresql(target.url());
        pg->exec("ALTER TABLE check_ins ADD CONSTRAINT refuse_one CHECK (device_seq <> 613)");
    }
    const std::string config = file_bytes(hub.config);
    auto failed = hub.migrate(target.url());
    CHECK(failed.code == 1);
    CHECK(failed.err.find("rolled back") != std::string::npos);
    CHECK(failed.err.find("check_ins") != std::string::npos);
    CHECK(file_bytes(hub.config) == config);

    auto pg = open_postgresql(target.url());
    for (const auto& table : store::hub_tables_in_copy_order(*pg)) {
        INFO("table " << table);
        if (table == "change_clock")
            CHECK(count(*pg, "SELECT value FROM change_clock") == 0);
        else
            CHECK(count(*pg, "SELECT count(*) FROM " + table) == 0);
    }
    // With the obstacle gone, the same database takes the hub.
    pg->exec("ALTER TABLE check_ins DROP CONSTRAINT refuse_one");
    CHECK(hub.migrate(target.url()).code == 0);
    CHECK(count(*pg, "SELECT count(*) FROM check_ins") == 700);
}

TEST_CASE("hub migrate refuses a URL that is not PostgreSQL and a server it cannot reach", "[cli][hub-migrate]") {
    MigrationHub hub(3);
    const std::string config = file_bytes(hub.config);
    auto not_url = hub.migrate(hub.dir.file("other.db"));
    CHECK(not_url.code == 2);
    CHECK(not_url.err.find("postgresql://") != std::string::npos);
    // Port 1 on loopback: nothing listens there.
    auto unreachable = hub.migrate("postgresql://muster@127.0.0.1:1/muster");
    CHECK(unreachable.code == 1);
    CHECK(unreachable.err.find("cannot open") != std::string::npos);
    CHECK(unreachable.err.find("Nothing was changed") != std::string::npos);
    CHECK(file_bytes(hub.config) == config);
}
