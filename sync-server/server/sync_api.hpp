#pragma once
// The sync API (docs/api.md) as a plain function from request to response: no sockets and
// no Beast here, so every route and every refusal is tested directly as well as over HTTP.
#include "muster/sync/http_status.hpp"
#include "muster/log/logger.hpp"
#include "muster/sync/sync_messages.hpp"
#include "change_feed.hpp"
#include "event_stream.hpp"
#include "sync_store.hpp"

#include "muster/db/database.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace muster::server {

using sync::HttpStatus;
using sync::code_of;

struct ApiRequest {
    std::string method;  // "GET", "POST", ...
    std::string target;  // path and query exactly as sent: "/v1/changes?since=42"
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
    // The client's address as the HTTP layer counts it (an IPv6 address by its /64), for the
    // staff login's rate per address; empty when the request did not come over a socket.
    std::string peer = {};
};

struct ApiResponse;

// GET /v1/changes?wait_ms=W with nothing new for the device (docs/api.md, "Long poll"): the
// HTTP layer holds the reply, without a thread, until the change feed passes after_change,
// `wait` passes or the server stops, and then sends what resume() returns (a real answer,
// never another deferral). resume() keeps the device the first call authenticated: the
// request is not authenticated again, since its nonce is already spent (the replay check
// would refuse it) and its signed time may have aged.
struct Deferral {
    std::int64_t after_change = 0;
    std::chrono::milliseconds wait{0};
    std::function<ApiResponse()> resume;
};

struct ApiResponse {
    HttpStatus status = HttpStatus::ok;
    std::string body;  // JSON
    TimeMs server_time_ms = 0;
    std::string content_type = "application/json";
    // More response headers (the register's Set-Cookie and security headers), sent as given.
    std::vector<std::pair<std::string, std::string>> headers = {};
    // Set only by a long poll that must wait (see Deferral); status and body are then unused.
    std::optional<Deferral> deferral = {};
    // Set: the reply is a Server-Sent Events stream (status and headers as above, no body);
    // the HTTP layer keeps the connection and sends the source's events (event_stream.hpp).
    std::shared_ptr<EventStreamSource> stream = nullptr;
};

// The longest a long poll is held (GET /v1/changes?wait_ms=): below the kiosk's request
// timeout plus its wait, and short enough that proxies and NAT keep the connection.
inline constexpr std::int64_t max_wait_ms = 25'000;

// An error reply: {"error": message, "code": code, "server_time_ms": now} with its status.
// The HTTP layer builds its own refusals (400, 413, 431) with it too.
// The one `error` text of every 401 unauthenticated (see SyncApi::authenticate).
inline constexpr const char* unauthenticated_message =
    "authentication failed: the request must be signed with a provisioned device's secret (docs/api.md)";

ApiResponse error_response(HttpStatus status, sync::ErrorCode code, std::string message, TimeMs now);

class SyncApi {
public:
    using Clock = std::function<TimeMs()>;
    // feed (optional, outliving the API): told the hub's change clock after an upload stored
    // records, so register streams and devices' long polls hear of them at once.
    SyncApi(SyncStore& store, log::Logger& log, Clock clock, ChangeFeed* feed = nullptr);

    ApiResponse handle(const ApiRequest& request);

private:
    ApiResponse health(TimeMs now);
    ApiResponse upload(const ApiRequest& request, const DeviceRecord& device, TimeMs now, store::DeviceReport& report);
    ApiResponse changes(const ApiRequest& request, const DeviceRecord& device, TimeMs now, store::DeviceReport& report,
                        bool may_wait = true);
    // The answer to a long poll that waited: the device as the first call proved it, looked
    // up again only to refuse one revoked or removed in the meantime.
    ApiResponse resume_changes(const ApiRequest& request, const DeviceRecord& device);
    // 503 store_busy, logged: the store could not answer.
    ApiResponse store_unavailable(std::string_view path, const db::Error& e, TimeMs now);
    // Tells the feed the store's change clock (after an upload stored records).
    void publish_change();
    // Records last seen, version, queued and clock skew for `muster device list`.
    void note_report(const DeviceRecord& device, const store::DeviceReport& report);
    // The device the request proves to come from, or the refusal to send. With
    // remember_nonce false the caller records the nonce itself (upload: in its transaction).
    std::variant<DeviceRecord, ApiResponse> authenticate(const ApiRequest& request, TimeMs now, bool remember_nonce);

    SyncStore& store_;
    log::Logger& log_;
    Clock clock_;
    ChangeFeed* feed_;
    sync::DeviceSecret unknown_device_secret_;  // signs nothing: only spends the same time
};

}  // namespace muster::server
