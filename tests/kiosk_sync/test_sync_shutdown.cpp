// Stopping the sync client never waits for a server that has gone silent, and what staff
// saw before a restart is there again after it.
#include "device_sync_store.hpp"
#include "http_client.hpp"
#include "device_config.hpp"
#include "sync_client.hpp"
#include "sync_world.hpp"

#include "muster/store/check_in_store.hpp"

#include <catch2/catch.hpp>

#include <boost/asio.hpp>

#include <atomic>
#include <future>

using namespace muster;
using namespace muster::test;
using namespace std::chrono_literals;

namespace {

// Accepts connections into the kernel's backlog and never answers: a hung hub, or one
// behind a Wi-Fi access point that dropped the route.
struct SilentServer {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor acceptor{ioc};
    explicit SilentServer(unsigned short port) {
        acceptor.open(boost::asio::ip::tcp::v4());
        acceptor.set_option(boost::asio::socket_base::reuse_address(true));
        acceptor.bind({boost::asio::ip::make_address("127.0.0.1"), port});
        acceptor.listen();
    }
    unsigned short port() const { return acceptor.local_endpoint().port(); }
};

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

TEST_CASE("A request to a silent server ends at once when cancelled", "[sync][http]") {
    SilentServer silent(0);
    kiosk::HttpClient http("http://127.0.0.1:" + std::to_string(silent.port()), "", 10s);
    std::promise<void> in_flight;
    std::atomic<bool> seen{false};
    http.on_request([&](bool flying) {
        if (flying && !seen.exchange(true)) in_flight.set_value();
    });
    auto started = std::chrono::steady_clock::now();
    auto reply = std::async(std::launch::async, [&] { return http.request("GET", "/v1/health", {}, ""); });
    // Cancelled while it waits on the server, not before it began (that would prove nothing).
    REQUIRE(in_flight.get_future().wait_for(5s) == std::future_status::ready);
    http.cancel();
    REQUIRE(reply.wait_for(2s) == std::future_status::ready);
    auto r = reply.get();
    CHECK(r.status == 0);
    CHECK(r.error == "cancelled");
    CHECK(seconds_since(started) < 2.0);
    CHECK(http.request("GET", "/v1/health", {}, "").error == "cancelled");  // and stays so
}

TEST_CASE("A server name that does not resolve is reported, within the timeout", "[sync][http]") {
    kiosk::HttpClient http("http://no-such-hub.invalid:8443", "", 2s);
    auto started = std::chrono::steady_clock::now();
    auto r = http.request("GET", "/v1/health", {}, "");
    CHECK(r.status == 0);
    CHECK_THAT(r.error, Catch::StartsWith("cannot resolve no-such-hub.invalid"));
    CHECK(seconds_since(started) < 3.0);
}

TEST_CASE("Stopping the sync client does not wait for a silent server", "[sync][client]") {
    SyncWorld world;
    SilentServer silent(world.port);  // where the hub's server should be
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    {
        auto db = store::open_database(config.database);
        store::insert_check_in(*db, make_check_in("entrance-1", 1), true);
    }
    kiosk::SyncClient client(config.sync_settings());
    client.start();
    client.nudge();
    // The upload is out and waiting on the silent server (its TLS handshake): stop() must cut
    // it short. If no request ever started, this fails rather than passing on an idle client.
    REQUIRE(client.wait_until([](const kiosk::SyncStatus& st) { return st.request_in_flight; }, 5s));
    auto started = std::chrono::steady_clock::now();
    client.stop();
    CHECK(seconds_since(started) < 1.0);
    CHECK(client.status().queued == 1);  // kept for the next start
    CHECK(client.status().last_error.find("cancelled") == std::string::npos);
}

TEST_CASE("After a restart staff still see the last sync, the last error and the clock warning", "[sync][client]") {
    SyncWorld world;
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    TimeMs last = uk_time::now_ms() - 3'600'000;
    kiosk::DeviceSyncStore(config.database).save_sync_state({last, "cannot connect to localhost", 7 * 60'000});
    kiosk::SyncClient client(config.sync_settings());  // not started: what the staff screen shows at once
    auto st = client.status();
    CHECK(st.last_ok_ms == last);
    CHECK(st.last_error == "cannot connect to localhost");
    CHECK(st.clock_flagged);
    CHECK_THAT(kiosk::describe(st), Catch::Contains("last sync " + uk_time::format_hhmm(last)) &&
                                        Catch::Contains("DEVICE CLOCK 7 min slow"));
}

TEST_CASE("A kiosk closing down makes one last try even while backing off", "[sync][client]") {
    SyncWorld world;
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    {
        auto db = store::open_database(config.database);
        store::insert_check_in(*db, make_check_in("entrance-1", 1), true);
    }
    kiosk::SyncClient client(config.sync_settings());
    client.start();
    // No server yet: wait for a backoff that still has more than 4 s to run.
    REQUIRE(eventually(
        [&] {
            auto st = client.status();
            return st.next_retry_ms && *st.next_retry_ms - uk_time::now_ms() > 4'000;
        },
        std::chrono::seconds(60)));
    auto server = world.start_server();
    CHECK(client.flush(1500ms));
    CHECK(world.stored_check_ins() == 1);
    CHECK(client.status().online);
}
