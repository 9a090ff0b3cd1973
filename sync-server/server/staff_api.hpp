#pragma once
// The hub staff's pages and API under /staff/ (docs/staff.md) as a plain function from request
// to response, beside RegisterApi: the pages (compiled in from assets/web/staff/), the login
// with its bounds, the session, logout, the accounts for admins, and the checks (session,
// CSRF, same origin, JSON) done once before any other /staff/api/ request is handed to the
// handlers of staff_routes.hpp. No Beast here.
#include "change_feed.hpp"
#include "staff_routes.hpp"
#include "sync_api.hpp"

#include "muster/log/logger.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace muster::server {

// Headers on every /staff/ response, the HTTP layer's own refusals included: only the pages'
// own script, style and data; no framing; forms post only here; no referrer; nothing cached
// (the pages hold personal data).
std::vector<std::pair<std::string, std::string>> staff_security_headers();

class StaffApi {
public:
    using Clock = std::function<TimeMs()>;
    // connections: database connections it may open (the server's thread count); it also sets
    // how many password hashes may run at once (login_hashes_in_flight). feed (optional,
    // outliving the API): handed to the handlers to publish their writes. handlers: tried in
    // order for every /staff/api/ path StaffApi does not serve itself.
    // database: the hub database's location, a SQLite file or a postgresql:// URL.
    StaffApi(const std::string& database, log::Logger& log, Clock clock, int connections, ChangeFeed* feed,
             std::vector<StaffHandler> handlers);
    ~StaffApi();
    // Called (from a request's thread) after a handler changed the central outbox: the
    // delivery worker's wake. Set before the server starts.
    void on_outbox_change(std::function<void()> wake);

    // Is this request target under /staff ("/staff" or "/staff/...")?
    static bool serves(std::string_view target);
    ApiResponse handle(const ApiRequest& request);

    // A list of corrections is the largest body a staff page sends.
    static constexpr std::size_t body_limit_bytes = 64 * 1024;
    // Login attempts one client address may make a minute (docs/staff.md, "The login page").
    static constexpr int logins_per_minute = 10;
    // Password hashes at once: one thread always left for everything else, at most two.
    static constexpr int login_hashes_in_flight(int connections) { return connections <= 2 ? 1 : 2; }

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace muster::server
