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
    std::ofstream(dir.file("hub.db")) << "";
    auto plain = load_server_config(write("[server]\nlisten = \"0.0.0.0\"\n[tls]\nenabled = false\n"));
    CHECK_THROWS_WITH(validate(plain), Catch::Contains("only allowed when server.listen is a loopback address"));
    plain.listen = "127.0.0.1";
    CHECK_NOTHROW(validate(plain));
}
