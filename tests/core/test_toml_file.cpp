// The one TOML reader for device and server files: fields by path, errors that name the
// file and the field, relative paths against the file's folder.
#include "muster/config/toml_file.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using muster::ConfigError;
using muster::config::TomlFile;

namespace {

std::filesystem::path write(const muster::test::TempDir& dir, const std::string& text) {
    std::ofstream(dir.file("f.toml")) << text;
    return dir.file("f.toml");
}

}  // namespace

TEST_CASE("TOML file: fields by path, with fallbacks", "[core][config]") {
    muster::test::TempDir dir;
    const TomlFile f(write(dir, "[server]\nport = 8443\nlisten = \"0.0.0.0\"\n[tls]\nenabled = false\n"
                                "certificate = \"tls/cert.pem\"\nkey = \"/etc/k.pem\"\n"));
    CHECK(f.kind("server.port") == TomlFile::Kind::integer);
    CHECK(f.kind("server.listen") == TomlFile::Kind::text);
    CHECK(f.kind("tls.enabled") == TomlFile::Kind::boolean);
    CHECK(f.kind("server") == TomlFile::Kind::other);
    CHECK_FALSE(f.has("server.threads"));
    CHECK_FALSE(f.has("nowhere.threads"));
    CHECK(f.integer_between("server.port", 1, 0, 65535) == 8443);
    CHECK(f.integer_between("server.threads", 2, 1, 64) == 2);
    CHECK(f.text("server.listen", "127.0.0.1") == "0.0.0.0");
    CHECK(f.text("log.level", "info") == "info");
    CHECK_FALSE(f.flag("tls.enabled", true));
    CHECK_FALSE(f.integer("server.threads"));
    CHECK(f.path("tls.certificate") == dir.path() / "tls/cert.pem");
    CHECK(f.path("tls.key") == "/etc/k.pem");
    CHECK(f.path("hub.database", "hub.db") == dir.path() / "hub.db");
}

TEST_CASE("TOML file: errors name the file and the field", "[core][config]") {
    muster::test::TempDir dir;
    const TomlFile f(write(dir, "[server]\nport = \"eighty\"\nthreads = 99\nempty = \"\"\non = 1\n"));
    const std::string file = (dir.path() / "f.toml").string();
    CHECK_THROWS_WITH(f.integer("server.port"), file + ": server.port: must be a whole number");
    CHECK_THROWS_WITH(f.integer_between("server.threads", 2, 1, 64), file + ": server.threads: must be between 1 and 64");
    CHECK_THROWS_WITH(f.text("server.threads", "x"), Catch::EndsWith("server.threads: must be a string in quotes"));
    CHECK_THROWS_WITH(f.flag("server.on", false), Catch::EndsWith("server.on: must be true or false"));
    CHECK_THROWS_WITH(f.text("device.id", std::nullopt), Catch::EndsWith("device.id: missing"));
    CHECK_THROWS_WITH(f.path("server.empty"), Catch::EndsWith("server.empty: must not be empty"));
    CHECK_THROWS_WITH(f.fail("server.url", "must start with https://"), Catch::EndsWith("server.url: must start with https://"));
    CHECK_THROWS_AS(f.integer("server.port"), ConfigError);

    CHECK_THROWS_WITH(TomlFile(write(dir, "a = 1\n[server\n")), Catch::Contains("f.toml:2: not valid TOML"));
    CHECK_THROWS_AS(TomlFile(dir.file("missing.toml")), ConfigError);
}
