#pragma once
// The facilitators' live register (docs/register.md) as a plain function from request to
// response, beside SyncApi: the page and its assets (compiled in), the exchange of a link's
// one-time code for a session cookie, and the register's state as JSON. No Beast here.
//
// It reads the hub database on connections of its own (one per server thread at most), so a
// tablet reading the register never waits behind a device's upload for the sync store's
// locks; its reads are deferred transactions, which take no write lock.
#include "change_feed.hpp"
#include "sync_api.hpp"

#include "muster/log/logger.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace muster::server {

// Headers on every /register/ response, the HTTP layer's own refusals included: the page
// loads only its own script, style and data, cannot be framed, sends no referrer, and no
// reply is cached (the register is personal data, and changes every second).
std::vector<std::pair<std::string, std::string>> register_security_headers();

class RegisterApi {
public:
    using Clock = std::function<TimeMs()>;
    // connections: how many database connections it may open (the server's thread count).
    // feed (optional, outliving the API): the server's change feed, which the register's
    // streams listen to and its marks publish to.
    // database: the hub database's location, a SQLite file or a postgresql:// URL.
    RegisterApi(const std::string& database, log::Logger& log, Clock clock, int connections,
                ChangeFeed* feed = nullptr);
    ~RegisterApi();

    // Is this request target the register's ("/register" or under "/register/")?
    static bool serves(std::string_view target);
    ApiResponse handle(const ApiRequest& request);

    // A session exchange carries a one-time code and nothing else: its body is small.
    static constexpr std::size_t body_limit_bytes = 4096;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace muster::server
