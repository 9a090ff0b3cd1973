// The hub's copies of device secrets at rest, through the real muster-sync-server: a hub
// from before sealing is sealed at start and its devices keep syncing; a key that does not
// open a device's secret turns that device away like a stranger; a lost key stops the start.
#include "http_probe.hpp"
#include "log_lines.hpp"
#include "server_config.hpp"
#include "sync_fixture.hpp"

#include "muster/store/device_secrets.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>
#include <iterator>

using namespace muster;
using namespace muster::test;

namespace {

std::string bytes_of(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// The hub database and its WAL (if any) as one text to search.
std::string hub_bytes(const SyncHub& hub) { return bytes_of(hub.hub + "/hub.db") + bytes_of(hub.hub + "/hub.db-wal"); }

std::string as_bytes(const sync::DeviceSecret& s) { return std::string(s.begin(), s.end()); }

}  // namespace

TEST_CASE("A hub that stored device secrets bare has them sealed at server start and its devices still sync", "[sync][secrets]") {
    SyncHub hub;
    std::string key_file = hub.hub + "/tls/device-secrets.key";
    std::string entrance_file = bytes_of(hub.hub + "/devices/entrance-1/device.secret");
    {
        // Back to the way hubs stored them before: bare secrets, and no key file.
        auto db = store::open_database(hub.hub + "/hub.db");
        for (const char* id : {"entrance-1", "room-1"}) {
            auto secret = hub.secret(id);
            db->prepare("UPDATE devices SET secret = ?2 WHERE id = ?1").bind(1, id).bind_blob(2, secret.data(), secret.size()).run();
        }
        db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::filesystem::remove(key_file);
    REQUIRE(hub_bytes(hub).find(as_bytes(hub.secret("entrance-1"))) != std::string::npos);  // the search can find it

    {
        ServerProcess server(hub.config(), hub.log());
        CHECK(signed_request(server.port(), "GET", "/v1/changes?since=0", "", hub.as("entrance-1")).status == 200);
        CHECK(signed_request(server.port(), "GET", "/v1/changes?since=0", "", hub.as("room-1")).status == 200);
        auto sealed = find_log(hub.log(), "device_secrets_sealed");
        REQUIRE(sealed);
        CHECK(sealed->at("devices").as_int64() == 2);
        CHECK(find_log(hub.log(), "device_secrets_key_created"));
        server.terminate();
        CHECK(server.wait(std::chrono::seconds(20)) == 0);
    }
    struct stat st {};
    REQUIRE(::stat(key_file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(bytes_of(hub.hub + "/devices/entrance-1/device.secret") == entrance_file);  // the device's copy is untouched
    for (const char* id : {"entrance-1", "room-1"}) {
        INFO(id);
        CHECK(hub_bytes(hub).find(as_bytes(hub.secret(id))) == std::string::npos);
    }

    // Started again, nothing more to seal, and the devices still sign in.
    ServerProcess again(hub.config(), hub.log());
    CHECK(signed_request(again.port(), "GET", "/v1/changes?since=0", "", hub.as("entrance-1")).status == 200);
    std::size_t sealed_lines = 0;
    for (auto& line : log_lines(hub.log())) sealed_lines += event_of(line) == "device_secrets_sealed";
    CHECK(sealed_lines == 1);
}

TEST_CASE("A device whose sealed secret the key does not open is refused as unknown and logged as secret_unreadable", "[sync][secrets]") {
    SyncHub hub;
    std::filesystem::remove(hub.hub + "/tls/device-secrets.key");
    store::create_device_secrets_key(hub.hub + "/tls/device-secrets.key");  // another hub's key, say
    ServerProcess server(hub.config(), hub.log());
    auto reply = signed_request(server.port(), "GET", "/v1/changes?since=0", "", hub.as("entrance-1"));
    CHECK(reply.status == 401);
    CHECK_THAT(reply.body, Catch::Contains("\"code\":\"unauthenticated\""));  // word for word a stranger's answer
    auto unreadable = find_log(hub.log(), "secret_unreadable");
    REQUIRE(unreadable);
    CHECK(text_of(*unreadable, "device") == "entrance-1");
    CHECK(unreadable->size() == 4);  // ts, level, event, device: nothing else
}

TEST_CASE("A server whose device-secrets key is lost while sealed secrets need it does not start", "[sync][secrets]") {
    SyncHub hub;
    std::filesystem::remove(hub.hub + "/tls/device-secrets.key");
    CHECK_THROWS_WITH(ServerProcess(hub.config(), hub.log()), Catch::Contains("device-secrets.key") && Catch::Contains("restore"));
    CHECK_FALSE(std::filesystem::exists(hub.hub + "/tls/device-secrets.key"));  // not replaced by a useless new one
}

TEST_CASE("The device-secrets key is found beside the TLS key unless the configuration says otherwise", "[sync][config][secrets]") {
    TempDir dir;
    std::ofstream(dir.file("a.toml")) << "[hub]\ndatabase = \"hub.db\"\n";
    CHECK(server::load_server_config(dir.file("a.toml")).device_secrets_key == dir.path() / "tls" / "device-secrets.key");
    std::ofstream(dir.file("b.toml")) << "[hub]\ndevice_secrets_key = \"/srv/keys/hub.key\"\n";
    CHECK(server::load_server_config(dir.file("b.toml")).device_secrets_key == "/srv/keys/hub.key");
    auto example = server::load_server_config(std::string(MUSTER_SOURCE_DIR) + "/device-config/sync-server.example.toml");
    CHECK(example.device_secrets_key.filename() == "device-secrets.key");
    CHECK(example.device_secrets_key.parent_path() == example.private_key.parent_path());  // beside the TLS key
}
