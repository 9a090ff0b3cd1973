#pragma once
// Signed requests to the hub (docs/api.md, "Authentication"), in server time: each is
// signed with the device clock plus the offset measured from X-Muster-Server-Time, which
// every reply updates. Retries at once only where a second try can succeed: a kept-alive
// connection the server had closed, and one refusal for the clock (code clock_skew).
#include "http_client.hpp"
#include "sync_settings.hpp"

#include "muster/sync/request_signing.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace muster::kiosk {

class HubConnection {
public:
    using WallClock = TimeMs (*)();  // the device's clock (tests give it a wrong one)
    // Reads the device's secret; throws muster::ConfigError with the field named when it
    // cannot, and std::invalid_argument for a bad server url or certificate.
    // timeout: for each step of a request (a long poll needs its wait on top).
    HubConnection(const SyncSettings& settings, WallClock clock,
                  std::chrono::milliseconds timeout = std::chrono::seconds(5));

    HttpResult call(const std::string& method, const std::string& target, const std::string& body);
    // From any thread: ends the request in flight now, and every later one (shutting down).
    void cancel() { http_.cancel(); }
    void on_request(std::function<void(bool in_flight)> hook) { http_.on_request(std::move(hook)); }

    TimeMs now() const { return now_(); }
    std::int64_t clock_offset_ms() const { return clock_offset_ms_; }
    void set_clock_offset_ms(std::int64_t offset) { clock_offset_ms_ = offset; }
    const std::string& device_id() const { return device_id_; }

private:
    std::string device_id_;
    sync::DeviceSecret secret_;  // before http_: a missing secret is reported before a bad url
    HttpClient http_;
    WallClock now_;
    std::int64_t clock_offset_ms_ = 0;
};

}  // namespace muster::kiosk
