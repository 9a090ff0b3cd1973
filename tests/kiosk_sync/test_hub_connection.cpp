// Signed requests to the hub retry at once only where a second try can succeed: a refusal
// whose code says the clock was off (re-signed in server time), never a bare 401 that an
// older server sends, whatever its message says.
#include "fake_hub.hpp"
#include "hub_answer.hpp"
#include "hub_connection.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

using namespace muster;
using namespace muster::test;

namespace {

// A device secret in a file of its own, removed at the end.
struct SecretFile {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("muster-hub-connection-" + std::to_string(std::random_device{}()) + ".secret");
    SecretFile() { std::ofstream(path) << std::string(64, 'a') << "\n"; }
    ~SecretFile() { std::filesystem::remove(path); }
};

kiosk::SyncSettings settings_for(const FakeHub& hub, const SecretFile& secret) {
    kiosk::SyncSettings s;
    s.device_id = "entrance-1";
    s.server_urls = {hub.url()};
    s.secret_file = secret.path;
    return s;
}

std::string refusal(const std::string& message, sync::ErrorCode code) {
    return sync::to_json(sync::ErrorReply{message, uk_time::now_ms(), code});
}

std::string acknowledged() {
    sync::UploadReply reply;
    reply.server_time_ms = uk_time::now_ms();
    return sync::to_json(reply);
}

const std::string stale_time = "request time outside the accepted window; adjust by X-Muster-Server-Time";

}  // namespace

TEST_CASE("A refusal coded clock_skew is retried once at once, in server time", "[sync][client]") {
    SecretFile secret;
    FakeHub hub([&, n = 0](const sync::UploadBatch&) mutable {
        return ++n == 1 ? std::pair{401, refusal(stale_time, sync::ErrorCode::clock_skew)} : std::pair{200, acknowledged()};
    });
    kiosk::HubConnection connection(settings_for(hub, secret), nullptr);
    auto r = connection.call("POST", "/v1/upload", sync::to_json(sync::UploadBatch{}));
    CHECK(r.status == 200);
    CHECK(hub.uploads() == 2);
}

TEST_CASE("A refusal coded clock_skew twice is not retried a third time", "[sync][client]") {
    SecretFile secret;
    FakeHub hub([&](const sync::UploadBatch&) { return std::pair{401, refusal(stale_time, sync::ErrorCode::clock_skew)}; });
    kiosk::HubConnection connection(settings_for(hub, secret), nullptr);
    auto r = connection.call("POST", "/v1/upload", sync::to_json(sync::UploadBatch{}));
    CHECK(kiosk::answer_of(r) == kiosk::HubAnswer::clock_skew);
    CHECK(hub.uploads() == 2);
}

TEST_CASE("A 401 without a code is not retried for the clock, even when its message speaks of time", "[sync][client]") {
    SecretFile secret;
    FakeHub hub([&](const sync::UploadBatch&) { return std::pair{401, refusal(stale_time, sync::ErrorCode::unknown)}; });
    kiosk::HubConnection connection(settings_for(hub, secret), nullptr);
    auto r = connection.call("POST", "/v1/upload", sync::to_json(sync::UploadBatch{}));
    CHECK(r.status == 401);
    CHECK(hub.uploads() == 1);
}

TEST_CASE("A replayed or revoked refusal is not retried at once", "[sync][client]") {
    SecretFile secret;
    auto code = GENERATE(sync::ErrorCode::replayed, sync::ErrorCode::revoked, sync::ErrorCode::unauthenticated);
    FakeHub hub([&](const sync::UploadBatch&) {
        return std::pair{code == sync::ErrorCode::revoked ? 403 : 401, refusal("refused", code)};
    });
    kiosk::HubConnection connection(settings_for(hub, secret), nullptr);
    connection.call("POST", "/v1/upload", sync::to_json(sync::UploadBatch{}));
    CHECK(hub.uploads() == 1);
}
