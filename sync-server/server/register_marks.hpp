#pragma once
// Marks from the facilitators' tablets: POST /register/api/marks and /register/api/marks/undo
// (docs/register.md, "Marks from the tablet"). Called by RegisterApi once the session, its
// CSRF token, the content type and the origin have been checked.
#include "change_feed.hpp"
#include "sync_api.hpp"

#include "muster/db/database.hpp"
#include "muster/log/logger.hpp"
#include "muster/register/register_access.hpp"

#include <functional>

namespace muster::server {

// Runs the function with one of the register's database connections.
using WithDatabase = std::function<void(const std::function<void(db::Database&)>&)>;

// undo: the undo endpoint. feed (may be null) hears the new change after the commit.
ApiResponse post_register_mark(const ApiRequest& r, const register_access::Scope& scope, bool undo, TimeMs now,
                               const WithDatabase& with_db, log::Logger& log, ChangeFeed* feed);

}  // namespace muster::server
