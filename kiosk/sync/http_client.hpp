#pragma once
// The kiosk's HTTP/1.1 client for the sync server: https:// with the hub's certificate
// pinned (only a server holding that certificate's key is trusted; the host name is
// checked too), or http:// on loopback for tests. One kept-alive connection, reopened
// after any error; every step under a deadline, so a dead server never hangs the kiosk.
// Beast stays in http_client.cpp.
#include "muster/model/types.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace muster::kiosk {

struct HttpResult {
    int status = 0;          // 0: no reply (cannot connect, timed out, connection lost)
    std::string body;
    std::optional<TimeMs> server_time_ms;  // from X-Muster-Server-Time
    std::string error;       // what went wrong when status is 0
    bool reused_connection = false;  // the failure happened on a kept-alive connection
};

class HttpClient {
public:
    // url: "https://host:port" or "http://host:port"; throws std::invalid_argument when bad.
    HttpClient(const std::string& url, const std::filesystem::path& pinned_certificate,
               std::chrono::milliseconds timeout = std::chrono::seconds(5));
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    HttpResult request(const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers, const std::string& body);
    void disconnect();
    // From any thread: ends the request in flight at once (status 0, "cancelled") and makes
    // every later request fail the same way. For shutting down without waiting for a timeout.
    void cancel();
    // Called with true when a request starts on the network and with false when it returns,
    // on the requesting thread; so that status (and tests) can tell a request is in flight
    // rather than guess. Set it before the first request.
    void on_request(std::function<void(bool in_flight)> hook);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace muster::kiosk
