// A device file listing several server URLs (the same hub's server processes): the kiosk
// sticks to the one that answers, moves to the next when it gives no reply or a 5xx, and
// never for a 4xx. Two real muster-sync-server processes share one hub folder (SQLite takes
// two processes); fake hubs answer what a real server cannot be made to send on demand.
#include "fake_hub.hpp"
#include "hub_connection.hpp"
#include "kiosk_process.hpp"
#include "log_lines.hpp"
#include "sync_client.hpp"
#include "sync_world.hpp"

#include "device_config.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace muster;
using namespace muster::test;
using namespace std::chrono_literals;

namespace {

std::string list_of(const std::vector<std::string>& urls) {
    std::string out = "[";
    for (std::size_t i = 0; i < urls.size(); ++i) out += (i ? ", \"" : "\"") + urls[i] + "\"";
    return out + "]";
}

// Rewrites the device file's url line with a list (whole lines: no std::regex).
void point_at_servers(const SyncWorld& world, const std::string& id, const std::vector<std::string>& urls) {
    std::ifstream in(world.device_toml(id));
    std::string line, out;
    while (std::getline(in, line)) {
        if (line.rfind("url = ", 0) == 0) line = "url = " + list_of(urls);
        out += line + "\n";
    }
    std::ofstream(world.device_toml(id)) << out;
}

std::string https_url(unsigned short port) { return "https://localhost:" + std::to_string(port); }

// A second server process on the same hub folder (same database, keys and certificate).
std::unique_ptr<ServerProcess> second_server(const SyncWorld& world, unsigned short port) {
    return std::make_unique<ServerProcess>(world.config(1 << 20, 10'000, 500), world.hub + "/server-b.log",
                                           /*plain_http=*/false, port);
}

// Upload lines a server logged for `device`.
std::size_t uploads_logged(const std::string& log_file, const std::string& device) {
    std::size_t n = 0;
    for (const auto& line : log_lines(log_file))
        if (line.if_contains("event") && line.at("event") == "upload" && line.if_contains("device") && line.at("device") == boost::json::value(device))
            ++n;
    return n;
}

bool logged_switch(const std::vector<boost::json::object>& lines, std::int64_t from, std::int64_t to) {
    for (const auto& line : lines)
        if (line.if_contains("event") && line.at("event") == "sync_server_switched" && line.at("from").as_int64() == from &&
            line.at("to").as_int64() == to)
            return true;
    return false;
}

void queue_scans(const std::string& db_path, const std::string& device, int n, int first_seq = 1) {
    auto db = store::open_database(db_path);
    db::Transaction tx(*db);
    for (int i = 0; i < n; ++i) store::insert_check_in(*db, make_check_in(device, first_seq + i, i % 200 + 1), true);
    tx.commit();
}

// What a signed request needs besides the url: a secret in a file of its own.
struct SecretFile {
    TempDir dir;
    std::string path = dir.file("device.secret");
    SecretFile() { std::ofstream(path) << std::string(64, 'a') << "\n"; }
};

kiosk::SyncSettings settings_for(const std::vector<std::string>& urls, const SecretFile& secret) {
    kiosk::SyncSettings s;
    s.device_id = "entrance-1";
    s.server_urls = urls;
    s.secret_file = secret.path;
    return s;
}

std::string acknowledged() {
    sync::UploadReply reply;
    reply.server_time_ms = uk_time::now_ms();
    return sync::to_json(reply);
}

std::string refusal(sync::ErrorCode code) { return sync::to_json(sync::ErrorReply{"refused", uk_time::now_ms(), code}); }

}  // namespace

TEST_CASE("A kiosk whose first server is killed carries on with the second, nothing lost or doubled", "[sync][failover]") {
    SyncWorld world(1);
    unsigned short second_port = free_port();
    auto first = world.start_server();
    auto second = second_server(world, second_port);
    point_at_servers(world, "entrance-1", {world.url(), https_url(second_port)});
    auto people = [&] {
        auto db = store::open_database(world.hub + "/hub.db");
        std::vector<ParticipantId> out;
        for (const auto& e : store::enrolments(*db, 1)) out.push_back(e.participant_id);
        return out;
    }();
    REQUIRE(people.size() >= 12);
    KioskProcess kiosk(world.device_toml("entrance-1"), world.kiosk_log("entrance-1"), {"--keep-running"});
    std::set<std::string> reported;
    auto scan = [&](std::size_t n) {
        auto started = reported.size();
        for (std::size_t i = started; i < started + n; ++i) {
            kiosk.send(world.token(people.at(i)));
            auto line = kiosk.read_line(20s);
            REQUIRE(line);
            auto uuid = json_field(*line, "check_in");
            REQUIRE_FALSE(uuid.empty());
            reported.insert(uuid);
        }
    };
    auto on_hub_exactly_once = [&] {
        return world.hub_uuids() == reported &&
               world.count("SELECT COUNT(*) FROM check_ins WHERE device_id = 'entrance-1'") == std::int64_t(reported.size());
    };

    scan(4);
    REQUIRE(wait_until(on_hub_exactly_once, 20s));
    // A server logs an upload just after storing it: waited for, not raced.
    CHECK(wait_until([&] { return uploads_logged(world.log(), "entrance-1") > 0; }, 10s));
    CHECK(uploads_logged(world.hub + "/server-b.log", "entrance-1") == 0);  // it sticks to the first

    // The first dies, the kiosk's long poll still open on it; the next scans reach the second.
    first->kill_hard();
    scan(4);
    REQUIRE(wait_until(on_hub_exactly_once, 20s));
    CHECK(wait_until([&] { return uploads_logged(world.hub + "/server-b.log", "entrance-1") > 0; }, 10s));
    CHECK(world.count("SELECT COUNT(DISTINCT device_seq) FROM check_ins WHERE device_id = 'entrance-1'") == 8);
    REQUIRE(wait_until([&] { return logged_switch(log_lines(world.kiosk_log("entrance-1")), 0, 1); }, 10s));

    // Downloads follow too: another device's scan, stored through the second server, reaches
    // the kiosk, which now polls and listens there.
    auto other = kiosk::load_device_config(world.device_toml("entrance-2"));
    other.server_urls = {https_url(second_port)};
    queue_scans(other.database, "entrance-2", 1);
    kiosk::SyncClient other_sync(other.sync_settings());
    other_sync.start();
    REQUIRE(other_sync.flush(15s));
    std::set<std::string> others;
    for (const auto& uuid : world.hub_uuids())
        if (!reported.count(uuid)) others.insert(uuid);
    REQUIRE(others.size() == 1);
    CHECK(wait_until([&] { return world.device_uuids("entrance-1").count(*others.begin()) == 1; }, 15s));
}

TEST_CASE("A first server that refuses connections is skipped, and the listener uses the second too", "[sync][failover]") {
    SyncWorld world;
    unsigned short closed_port = free_port();  // nothing listens there
    auto server = world.start_server();
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    config.server_urls = {https_url(closed_port), world.url()};
    queue_scans(config.database, "entrance-1", 5);
    std::FILE* sink = std::tmpfile();
    REQUIRE(sink);
    log::Logger logger(log::Level::info, sink);
    kiosk::SyncClient client(config.sync_settings(), nullptr, &logger);
    CHECK(client.status().servers == 2);
    CHECK(client.status().server == 0);
    client.start();
    REQUIRE(client.flush(15s));
    CHECK(world.stored_check_ins() == 5);
    auto st = client.status();
    CHECK(st.server == 1);
    CHECK_THAT(kiosk::describe(st), Catch::StartsWith("online, 0 queued, last sync") && Catch::EndsWith(", server 2 of 2"));
    CHECK(logged_switch(log_lines(sink), 0, 1));
    // The switch is logged with indexes only: no url, no name.
    for (const auto& line : log_lines(sink))
        if (line.at("event") == "sync_server_switched") CHECK(line.size() == 6);  // ts, level, event, device, from, to
    // The listener's long poll is held open by the server that works.
    REQUIRE(wait_until([&] { return client.listening(); }, 10s));
    client.stop();
    std::fclose(sink);
}

TEST_CASE("A 4xx from the first server is answered there, not failed over", "[sync][failover]") {
    auto [status, code] = GENERATE(std::pair{401, sync::ErrorCode::unauthenticated}, std::pair{409, sync::ErrorCode::unknown},
                                   std::pair{400, sync::ErrorCode::bad_request});
    SecretFile secret;
    FakeHub first([&](const sync::UploadBatch&) { return std::pair{status, refusal(code)}; });
    FakeHub second([](const sync::UploadBatch&) { return std::pair{200, acknowledged()}; });
    kiosk::HubConnection hub(settings_for({first.url(), second.url()}, secret), nullptr);
    auto r = hub.call("POST", "/v1/upload", sync::to_json(sync::UploadBatch{}));
    CHECK(r.status == status);
    CHECK(first.uploads() == 1);
    CHECK(second.uploads() == 0);
    CHECK(hub.servers().current() == 0);
}

TEST_CASE("A 5xx from the first server fails over, and the device then sticks to the second", "[sync][failover]") {
    auto status = GENERATE(503, 500);
    SecretFile secret;
    FakeHub first([&](const sync::UploadBatch&) { return std::pair{status, refusal(sync::ErrorCode::unknown)}; });
    FakeHub second([](const sync::UploadBatch&) { return std::pair{200, acknowledged()}; });
    kiosk::HubConnection hub(settings_for({first.url(), second.url()}, secret), nullptr);
    CHECK(hub.call("POST", "/v1/upload", sync::to_json(sync::UploadBatch{})).status == 200);
    CHECK(hub.call("POST", "/v1/upload", sync::to_json(sync::UploadBatch{})).status == 200);
    CHECK(first.uploads() == 1);   // tried once, then left
    CHECK(second.uploads() == 2);
    CHECK(hub.servers().current() == 1);
}

TEST_CASE("With every server failing a request tries each once and reports the last failure", "[sync][failover]") {
    SecretFile secret;
    FakeHub first([](const sync::UploadBatch&) { return std::pair{503, refusal(sync::ErrorCode::unavailable)}; });
    FakeHub second([](const sync::UploadBatch&) { return std::pair{503, refusal(sync::ErrorCode::unavailable)}; });
    kiosk::HubConnection hub(settings_for({first.url(), second.url()}, secret), nullptr);
    auto r = hub.call("POST", "/v1/upload", sync::to_json(sync::UploadBatch{}));
    CHECK(r.status == 503);
    CHECK(first.uploads() == 1);
    CHECK(second.uploads() == 1);
    CHECK(hub.servers().current() == 0);  // nothing answered: the next call starts where this one did
}

TEST_CASE("muster device add with several --server writes the list, one --server the same line as before", "[sync][failover]") {
    SyncWorld world;
    std::ostringstream out, err;
    REQUIRE(admin::run_cli({"device", "add", "--hub", world.hub, "--id", "entrance-7", "--event", "1", "--pin", "2468",
                            "--server", "https://hub-a.local:8443", "--server", "https://hub-b.local:8443"},
                           out, err) == 0);
    auto file = world.hub + "/devices/entrance-7/device.toml";
    CHECK_THAT(read_text_file(file), Catch::Contains("url = [\"https://hub-a.local:8443\", \"https://hub-b.local:8443\"]"));
    auto config = kiosk::load_device_config(file);
    CHECK(config.server_urls == std::vector<std::string>{"https://hub-a.local:8443", "https://hub-b.local:8443"});
    CHECK(config.sync_settings().server_urls == config.server_urls);

    REQUIRE(admin::run_cli({"device", "add", "--hub", world.hub, "--id", "entrance-8", "--event", "1", "--pin", "2468",
                            "--server", "https://hub-a.local:8443"},
                           out, err) == 0);
    CHECK_THAT(read_text_file(world.hub + "/devices/entrance-8/device.toml"),
               Catch::Contains("\nurl = \"https://hub-a.local:8443\"   # empty: this device does not sync\n"));

    std::ostringstream out2, err2;
    CHECK(admin::run_cli({"device", "add", "--hub", world.hub, "--id", "entrance-9", "--event", "1", "--server",
                          "https://hub-a.local:8443", "--server", "https://hub-a.local:8443"},
                         out2, err2) != 0);
    CHECK_THAT(err2.str(), Catch::Contains("given twice"));
}
