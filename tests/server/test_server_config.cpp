// The server's configuration file: the example in device-config/ parses, a bad field is
// named, and plain HTTP off loopback is refused.
#include "server_config.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace muster::server;

TEST_CASE("The example server configuration parses", "[sync][config]") {
    auto c = load_server_config(std::string(MUSTER_SOURCE_DIR) + "/device-config/sync-server.example.toml");
    CHECK(c.listen == "0.0.0.0");
    CHECK(c.port == 8443);
    CHECK(c.tls);
    CHECK(c.certificate.filename() == "server-cert.pem");
    CHECK(c.body_bytes == 1048576);
    CHECK(c.request_timeout_ms == 10000);
    CHECK(c.max_connections == 1000);
    CHECK(c.stop_grace_ms == 10000);
    CHECK(c.max_connections_per_address == 250);
    CHECK(c.min_reply_bytes_per_s == 65536);
    CHECK(c.changes_bytes == 4194304);
    CHECK(c.stream_heartbeat_ms == 15000);
    CHECK(c.stream_min_interval_ms == 250);
    CHECK(c.stream_queue_bytes == 1048576);
    // Its files are not there: refused with what to do.
    CHECK_THROWS_WITH(validate(c), Catch::Contains("muster server cert"));
}

TEST_CASE("A bad server configuration is refused naming the field", "[sync][config]") {
    muster::test::TempDir dir;
    auto write = [&](const std::string& text) {
        std::ofstream(dir.file("s.toml")) << text;
        return dir.file("s.toml");
    };
    CHECK_THROWS_WITH(load_server_config(write("[server]\nport = \"eighty\"\n")), Catch::Contains("server.port"));
    CHECK_THROWS_WITH(load_server_config(write("[server]\nport = 70000\n")), Catch::Contains("between 0 and 65535"));
    CHECK_THROWS_WITH(load_server_config(write("[limits]\nbody_bytes = 10\n")), Catch::Contains("limits.body_bytes"));
    CHECK_THROWS_WITH(load_server_config(write("[server\n")), Catch::Contains("not valid TOML"));
    CHECK_THROWS_WITH(load_server_config(write("[limits]\nstream_heartbeat_ms = 0\n")),
                      Catch::Contains("limits.stream_heartbeat_ms"));
    CHECK_THROWS_WITH(load_server_config(write("[limits]\nstream_queue_bytes = 100\n")),
                      Catch::Contains("limits.stream_queue_bytes"));
    std::ofstream(dir.file("hub.db")) << "";
    auto plain = load_server_config(write("[server]\nlisten = \"0.0.0.0\"\n[tls]\nenabled = false\n"));
    CHECK_THROWS_WITH(validate(plain), Catch::Contains("only allowed when server.listen is a loopback address"));
    plain.listen = "127.0.0.1";
    CHECK_NOTHROW(validate(plain));
}

TEST_CASE("One address gets a share of the connection cap, a quarter unless configured", "[sync][config]") {
    ServerConfig c;
    c.max_connections = 1000;
    CHECK(connections_per_address(c) == 250);
    c.max_connections = 3;
    CHECK(connections_per_address(c) == 1);  // never 0: every address gets one
    c.max_connections = 100;
    c.max_connections_per_address = 60;
    CHECK(connections_per_address(c) == 60);
    c.max_connections_per_address = 500;
    CHECK(connections_per_address(c) == 100);  // never more than the whole cap
}

TEST_CASE("A reply is given the request timeout plus its size at the minimum rate", "[sync][config]") {
    ServerConfig c;  // 10 s, 64 KiB/s
    CHECK(reply_deadline(c, 0) == std::chrono::milliseconds(10'000));
    CHECK(reply_deadline(c, 64 * 1024) == std::chrono::milliseconds(11'000));
    CHECK(reply_deadline(c, 4 << 20) == std::chrono::milliseconds(10'000 + 64'000));  // a full 4 MiB changes page
    CHECK(reply_deadline(c, 32 * 1024) == std::chrono::milliseconds(10'500));
}

TEST_CASE("hub.database is a file beside the configuration or a postgresql URL without a password", "[sync][config]") {
    muster::test::TempDir dir;
    auto write = [&](const std::string& text) {
        std::ofstream(dir.file("s.toml")) << "[tls]\nenabled = false\n" << text;
        return dir.file("s.toml");
    };
    CHECK(load_server_config(write("")).database == dir.file("hub.db"));
    CHECK(load_server_config(write("[hub]\ndatabase = \"data/x.db\"\n")).database == dir.file("data/x.db"));
    auto pg = load_server_config(write("[hub]\ndatabase = \"postgresql://muster@db.example.org:5432/hub\"\n"));
    CHECK(pg.database == "postgresql://muster@db.example.org:5432/hub");
    pg.listen = "127.0.0.1";
    CHECK_NOTHROW(validate(pg));  // no file to look for
    try {
        load_server_config(write("[hub]\ndatabase = \"postgresql://muster:hunter2@db.example.org/hub\"\n"));
        FAIL("a URL with a password was taken");
    } catch (const ServerConfigError& e) {
        std::string said = e.what();
        CHECK(said.find("hunter2") == std::string::npos);
        CHECK(said.find("pgpass") != std::string::npos);
    }
    CHECK_THROWS_WITH(load_server_config(write("[hub]\ndatabase = \"postgres://m@h/db?password=hunter2\"\n")),
                      Catch::Contains("PGPASSFILE") && !Catch::Contains("hunter2"));
}
