#pragma once
// Signed requests to the hub (docs/api.md, "Authentication"), in server time: each is
// signed with the device clock plus the offset measured from X-Muster-Server-Time, which
// every reply updates. Retries at once only where a second try can succeed: a kept-alive
// connection the server had closed, and one refusal for the clock (code clock_skew).
// Several server URLs (the same hub's processes): a request goes to the one that last
// answered (ServerChoice); when that one gives no reply or a 5xx, the next in the list is
// tried within the same call, each at most once. A 4xx is not a reason to move: every
// server of the hub would say the same.
#include "http_client.hpp"
#include "server_choice.hpp"
#include "sync_settings.hpp"

#include "muster/sync/request_signing.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace muster::kiosk {

class HubConnection {
public:
    using WallClock = TimeMs (*)();  // the device's clock (tests give it a wrong one)
    // Reads the device's secret; throws muster::ConfigError with the field named when it
    // cannot, and std::invalid_argument for a bad server url or certificate, or none.
    // timeout: for each step of a request (a long poll needs its wait on top).
    // choice: shared with the other connection of the same device (the change listener's);
    // null: one of its own.
    HubConnection(const SyncSettings& settings, WallClock clock,
                  std::chrono::milliseconds timeout = std::chrono::seconds(5),
                  std::shared_ptr<ServerChoice> choice = nullptr);

    HttpResult call(const std::string& method, const std::string& target, const std::string& body);
    // From any thread: ends the request in flight now, and every later one (shutting down).
    void cancel();
    void on_request(const std::function<void(bool in_flight)>& hook);
    const ServerChoice& servers() const { return *choice_; }

    TimeMs now() const { return now_(); }
    std::int64_t clock_offset_ms() const { return clock_offset_ms_; }
    void set_clock_offset_ms(std::int64_t offset) { clock_offset_ms_ = offset; }
    const std::string& device_id() const { return device_id_; }

private:
    // One server: today's retries (a stale kept-alive connection, one clock refusal).
    HttpResult call_one(HttpClient& http, const std::string& method, const std::string& target, const std::string& body);

    std::string device_id_;
    sync::DeviceSecret secret_;  // before the clients: a missing secret is reported before a bad url
    std::vector<std::unique_ptr<HttpClient>> http_;  // one per server url, in the file's order
    std::shared_ptr<ServerChoice> choice_;
    std::atomic<bool> cancelled_{false};
    WallClock now_;
    std::int64_t clock_offset_ms_ = 0;
};

}  // namespace muster::kiosk
