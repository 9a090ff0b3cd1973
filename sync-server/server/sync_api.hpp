#pragma once
// The sync API (docs/api.md) as a plain function from request to response: no sockets and
// no Beast here, so every route and every refusal is tested directly as well as over HTTP.
#include "muster/sync/http_status.hpp"
#include "muster/log/logger.hpp"
#include "muster/sync/sync_messages.hpp"
#include "change_feed.hpp"
#include "event_stream.hpp"
#include "sync_store.hpp"

#include <functional>
#include <map>
#include <string>
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
};

struct ApiResponse {
    HttpStatus status = HttpStatus::ok;
    std::string body;  // JSON
    TimeMs server_time_ms = 0;
    std::string content_type = "application/json";
    // More response headers (the register's Set-Cookie and security headers), sent as given.
    std::vector<std::pair<std::string, std::string>> headers = {};
    // Set: the reply is a Server-Sent Events stream (status and headers as above, no body);
    // the HTTP layer keeps the connection and sends the source's events (event_stream.hpp).
    std::shared_ptr<EventStreamSource> stream = nullptr;
};

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
    ApiResponse changes(const ApiRequest& request, const DeviceRecord& device, TimeMs now, store::DeviceReport& report);
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
