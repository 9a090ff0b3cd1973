#pragma once
// StaffApi's insides, shared by its files: staff_api.cpp (routing, pages, session, dispatch),
// staff_login.cpp (login, logout) and staff_accounts_api.cpp (accounts for admins).
#include "staff_api.hpp"
#include "staff_login_gate.hpp"

#include "muster/db/database.hpp"
#include "muster/store/staff_store.hpp"

#include <boost/json/object.hpp>

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

namespace muster::server {

// A reply with the staff headers; JSON unless content_type is changed.
ApiResponse staff_reply(HttpStatus status, std::string body, TimeMs now);
// {"error": message, "code": code}: the message is for the person at the page.
ApiResponse staff_refusal(HttpStatus status, std::string_view code, std::string_view message, TimeMs now);
// The body as a JSON object, or nullopt.
std::optional<boost::json::object> json_body(const ApiRequest& r);
// A string member of `o`, or nullopt when absent or not a string.
std::optional<std::string> string_member(const boost::json::object& o, std::string_view key);

struct StaffApi::Impl {
    struct Slot {
        std::mutex mutex;
        std::unique_ptr<db::Database> db;
    };
    // The logged-in request: who, and the cookie value its CSRF token derives from.
    struct Session {
        store::StaffIdentity who;
        std::string cookie;
        std::string csrf;
    };

    Impl(std::string p, log::Logger& l, Clock c, int connections, ChangeFeed* f, std::vector<StaffHandler> h);

    std::string database;  // a SQLite file or a postgresql:// URL
    log::Logger& log;
    Clock clock;
    ChangeFeed* feed;  // may be null
    std::vector<StaffHandler> handlers;
    std::function<void()> outbox_changed;  // the delivery worker's wake (empty: none)
    std::vector<std::unique_ptr<Slot>> slots;
    std::atomic<std::size_t> next{0};
    LoginGate gate;

    // Runs `f` with a connection: a free one if there is, else it waits its turn on one.
    template <class F>
    auto with_db(F&& f) {
        for (auto& slot : slots) {
            std::unique_lock lock(slot->mutex, std::try_to_lock);
            if (lock) return f(connection(*slot));
        }
        auto& slot = *slots[next++ % slots.size()];
        std::lock_guard lock(slot.mutex);
        return f(connection(slot));
    }
    db::Database& connection(Slot& slot);

    ApiResponse handle(const ApiRequest& r, TimeMs now);
    ApiResponse page(const ApiRequest& r, std::string_view path, TimeMs now);
    ApiResponse api(const ApiRequest& r, std::string_view path, TimeMs now);
    // The request's session, or the refusal to send: 401 JSON (api) or 303 to the login page.
    std::variant<Session, ApiResponse> session_of(const ApiRequest& r, TimeMs now, std::string_view path, bool for_page);
    // The checks every state-changing request passes: CSRF token, same origin, JSON body.
    std::optional<ApiResponse> write_checks(const ApiRequest& r, const Session& s, std::string_view path, TimeMs now);

    // staff_login.cpp
    ApiResponse login(const ApiRequest& r, TimeMs now);
    ApiResponse logout(const ApiRequest& r, TimeMs now);
    // 503 with Retry-After: every password hash place is taken.
    ApiResponse busy(TimeMs now) const;

    // staff_accounts_api.cpp: /staff/api/accounts..., nullopt for any other path.
    std::optional<ApiResponse> accounts(const StaffRequest& r);
};

}  // namespace muster::server
