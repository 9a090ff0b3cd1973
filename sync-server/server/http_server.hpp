#pragma once
// The HTTP(S) front of the sync server: Boost.Asio + Beast, HTTP/1.1 with keep-alive, TLS
// with the hub's certificate (plain HTTP only on loopback). It enforces the limits (body
// size, request deadline, connection count) and hands each whole request to SyncApi, or to
// RegisterApi when it is under /register/, or to StaffApi under /staff/.
// Beast stays inside http_server.cpp: it is slow to compile.
#include "server_config.hpp"
#include "muster/log/logger.hpp"
#include "change_feed.hpp"
#include "register_api.hpp"
#include "staff_api.hpp"
#include "sync_api.hpp"

#include <memory>

namespace muster::server {

class HttpServer {
public:
    // Binds the listening socket (throws std::system_error with the address if it cannot).
    // register_api may be null: no /register/ pages (they answer 404 like any unknown path).
    // feed may be null: nothing is pushed (no register streams, no long polls).
    // staff_api may be null: no /staff/ pages.
    HttpServer(const ServerConfig& config, SyncApi& api, log::Logger& log, RegisterApi* register_api = nullptr,
               ChangeFeed* feed = nullptr, StaffApi* staff_api = nullptr);
    ~HttpServer();

    unsigned short port() const;
    // Serves on config.threads threads until stop() or, with handle_signals, SIGTERM/SIGINT.
    // Returns once in-flight requests have finished and every connection is closed.
    void run(bool handle_signals);
    // Graceful stop, from any thread: no new connections; requests being handled finish and
    // get their reply; idle connections are closed. After config.stop_grace_ms the rest are cut.
    void stop();

    struct Impl;  // defined in http_server.cpp (public only so its sessions can name it)

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace muster::server
