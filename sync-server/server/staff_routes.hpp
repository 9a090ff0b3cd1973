#pragma once
// The staff pages' API (/staff/api/..., docs/staff.md) is served by StaffApi, which does the
// session, CSRF, origin and body checks once for every route and then hands the request to
// the handler that owns its path. A handler answers nullopt for a path that is not its own.
#include "change_feed.hpp"
#include "sync_api.hpp"

#include "muster/db/database.hpp"
#include "muster/log/logger.hpp"
#include "muster/store/staff_store.hpp"

#include <functional>
#include <optional>

namespace muster::server {

// One authenticated staff request, as a handler sees it. By the time a handler runs:
// the session is valid; a non-GET carried the session's X-CSRF-Token, a same-origin Origin
// and (when it has a body) Content-Type application/json.
struct StaffRequest {
    const ApiRequest& http;
    std::string_view path;   // the target without its query: "/staff/api/events/12"
    std::string_view query;  // after '?', may be empty
    const store::StaffIdentity& who;
    db::Database& db;        // the hub database, this thread's connection
    log::Logger& log;
    ChangeFeed* feed;        // publish the change after a write devices or registers must hear (may be null)
    TimeMs now;
    // Tell the delivery worker the central outbox changed (a sign-off, an amendment, a retry)
    // so it looks now rather than at its next poll; null when the server runs no worker.
    const std::function<void()>* outbox_changed = nullptr;
};

inline void tell_outbox_changed(const StaffRequest& r) {
    if (r.outbox_changed && *r.outbox_changed) (*r.outbox_changed)();
}

// StaffApi is given its handlers (server_main.cpp lists them), tried in order; none answering
// is a 404. So StaffApi and its tests need no handler, and each handler is tested on its own.
using StaffHandler = std::optional<ApiResponse> (*)(const StaffRequest&);

// The handlers, each in its own file (staff_<area>_api.cpp):
std::optional<ApiResponse> handle_staff_events(const StaffRequest& r);   // /staff/api/events...
std::optional<ApiResponse> handle_staff_schools(const StaffRequest& r);  // /staff/api/schools..., /staff/api/notices...
std::optional<ApiResponse> handle_staff_satisfaction(const StaffRequest& r);  // /staff/api/satisfaction...

}  // namespace muster::server
