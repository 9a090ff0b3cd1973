// The sync server under faults (issue 15, docs/durability.md "Full disks and damaged
// files"): hub.db on a small tmpfs filled to the last byte, where a signed upload gets 503
// with Retry-After and nothing acknowledged, a staff login a clear 503, the server neither
// crashes nor wedges, and the same upload is stored once when space returns; and a damaged
// hub.db at start, which the server names and leaves as it is.
#include "http_probe.hpp"
#include "sync_fixture.hpp"
#include "tmpfs_mount.hpp"

#include "command.hpp"
#include "muster/staff/staff_access.hpp"
#include "muster/store/register_link_store.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <fstream>
#include <sstream>

using namespace std::chrono_literals;
using namespace muster;
using namespace muster::test;

namespace {

std::string bytes_of(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

// The test server configuration with [hub] database pointing at `database`.
std::string config_with_database(const SyncHub& hub, const std::string& database) {
    std::string text = bytes_of(hub.config());
    const std::string from = "database = \"hub.db\"";
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), "database = \"" + database + "\"");
    std::string path = hub.hub + "/fault-server.toml";
    std::ofstream(path) << text;
    return path;
}

std::int64_t count(const std::string& database, const std::string& sql) {
    db::Database d(database, db::OpenMode::read_only);
    return d.prepare(sql).query_one([](const db::Statement& r) { return r.int64(0); }).value();
}

HttpReply staff_login(unsigned short port, const std::string& email, const std::string& password) {
    return http_request(port, "POST", "/staff/login",
                        boost::json::serialize(boost::json::object{{"email", email}, {"password", password}}),
                        {{"Origin", "http://127.0.0.1"}});
}

}  // namespace

TEST_CASE("A full disk under the server gets 503 with nothing acknowledged, then the same upload is stored once",
          "[server][durability][full_disk]") {
    SyncHub hub;
    // A staff account, made while hub.db is still on the ordinary disk.
    const std::string email = "ann@hub.example.org", password = "plum orchard at noon";
    {
        std::istringstream in(password + "\n");
        std::ostringstream out, err;
        REQUIRE(admin::run_cli({"staff", "add", "--name", "Ann Admin", "--email", email, "--role", "admin", "--hub", hub.hub},
                               out, err, admin::PasswordInput{&in, staff::test_cost}) == 0);
    }
    // A facilitator's register link, also made before: opening it stores a register session.
    std::string register_code;
    {
        auto db = store::open_database(hub.hub + "/hub.db");
        auto made = store::create_link(*db, {1, std::nullopt, std::nullopt}, uk_time::now_ms());
        REQUIRE(made.link);
        register_code = made.link->code;
    }
    auto open_register = [&](unsigned short port) {
        return http_request(port, "POST", "/register/session",
                            boost::json::serialize(boost::json::object{{"code", register_code}}));
    };
    const auto hub_db_kib = std::filesystem::file_size(hub.hub + "/hub.db") / 1024;
    TmpfsMount disk(hub.dir.path() / "hubdisk", hub_db_kib + 1024);
    if (!disk.mounted()) {
        WARN("SKIPPED, not tested: " << disk.why_not());
        SUCCEED("the full-disk test needs root to mount a tmpfs");
        return;
    }
    const std::string database = disk.file("hub.db");
    std::filesystem::copy_file(hub.hub + "/hub.db", database);
    ServerProcess server(config_with_database(hub, database), hub.log());

    // One upload while there is room: the WAL is under way.
    REQUIRE(signed_request(server.port(), "POST", "/v1/upload", upload_body({make_check_in("entrance-1", 1)}), hub.as())
                .status == 200);
    std::vector<CheckIn> batch;
    for (int seq = 2; seq <= 61; ++seq) batch.push_back(make_check_in("entrance-1", seq, seq));
    const std::string body = upload_body(batch);

    INFO("filler: " << disk.fill("filler") << " bytes; free now " << disk.free_bytes());
    for (int attempt = 0; attempt < 3; ++attempt) {  // the device retries: each gets the same answer
        auto full = signed_request(server.port(), "POST", "/v1/upload", body, hub.as());
        INFO(full.body);
        CHECK(full.status == 503);
        CHECK(sync::parse_error_reply(full.body).code == sync::ErrorCode::store_busy);
        CHECK(full.headers.count("retry-after") == 1);
        CHECK(full.body.find("\"acked\"") == std::string::npos);  // nothing acknowledged
    }
    CHECK(count(database, "SELECT COUNT(*) FROM check_ins") == 1);
    // The staff pages' writes (a login stores a session) get a clear 503, not a 500.
    auto login = staff_login(server.port(), email, password);
    CHECK(login.status == 503);
    CHECK_THAT(login.body, Catch::Contains("store_busy"));
    // So do the facilitators' register's (opening a link stores a session).
    auto tablet = open_register(server.port());
    CHECK(tablet.status == 503);
    CHECK_THAT(tablet.body, Catch::Contains("store_busy"));
    CHECK(server.running());

    std::filesystem::remove(disk.file("filler"));
    CHECK(http_request(server.port(), "GET", "/v1/health").status == 200);
    auto stored = signed_request(server.port(), "POST", "/v1/upload", body, hub.as());
    REQUIRE(stored.status == 200);
    CHECK(sync::parse_upload_reply(stored.body).acked.size() == batch.size());
    auto again = signed_request(server.port(), "POST", "/v1/upload", body, hub.as());  // a reply lost: sent once more
    REQUIRE(again.status == 200);
    CHECK(sync::parse_upload_reply(again.body).acked.size() == batch.size());
    CHECK(count(database, "SELECT COUNT(*) FROM check_ins") == 1 + static_cast<std::int64_t>(batch.size()));
    CHECK(count(database, "SELECT COUNT(DISTINCT device_seq) FROM check_ins WHERE device_id = 'entrance-1'") ==
          1 + static_cast<std::int64_t>(batch.size()));
    CHECK(staff_login(server.port(), email, password).status == 200);
    CHECK(open_register(server.port()).status == 200);

    server.terminate();
    CHECK(server.wait(15s) == 0);
    CHECK(count(database, "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'") == 1);
    auto log = read_text_file(hub.log());
    CHECK_THAT(log, Catch::Contains("\"event\":\"store_error\"") && Catch::Contains("\"sqlite_code\":13"));
    CHECK(log.find(email) == std::string::npos);
}

TEST_CASE("A damaged hub.db at server start is named and left as it is", "[server][durability][damaged]") {
    SyncHub hub;
    const std::string path = hub.hub + "/hub.db";
    const std::string good = bytes_of(path);
    std::string damaged;
    std::string expected;
    SECTION("an empty file (SQLite would make a new hub in it)") { expected = "is empty (0 bytes)"; }
    SECTION("garbage bytes") {
        damaged = std::string(good.size(), '\0');
        for (std::size_t i = 0; i < damaged.size(); ++i) damaged[i] = static_cast<char>((i * 31 + 7) & 0xff);
        expected = "is not an SQLite database";
    }
    SECTION("a file cut off in the middle of a page") {
        damaged = good.substr(0, good.size() / 2 + 100);
        expected = "is truncated";
    }
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(damaged.data(), static_cast<std::streamsize>(damaged.size()));
    pid_t pid = spawn_with_stderr({ServerProcess::binary(), "--config", hub.config(), "--listen", "127.0.0.1", "--port", "0",
                                   "--plain-http"},
                                  hub.log(), false);
    int status = 0;
    REQUIRE(wait_until([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, 20s));
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);
    auto log = read_text_file(hub.log());
    CHECK_THAT(log, Catch::Contains("\"reason\":\"damaged_database\"") && Catch::Contains(path) &&
                        Catch::Contains(expected) && Catch::Contains("backup"));
    CHECK(log.find("\"event\":\"listening\"") == std::string::npos);
    CHECK(bytes_of(path) == damaged);
}
