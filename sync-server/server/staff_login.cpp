// POST /staff/login and POST /staff/logout (docs/staff.md, "The login page"). A login costs an
// Argon2 hash at the hub's own cost; before it is tried, the client's address must be under
// its rate and a place among the hashes in flight must be free, so guessing from one address
// is slow and many logins at once cannot take every server thread.
#include "request_parts.hpp"
#include "staff_web.hpp"

#include "muster/staff/staff_access.hpp"
#include "muster/staff/staff_password.hpp"

#include <boost/json.hpp>

namespace muster::server {

namespace json = boost::json;

namespace {

std::string retry_after_seconds(TimeMs ms) { return std::to_string(std::max<TimeMs>(1, (ms + 999) / 1000)); }

// Minutes left of a lock, rounded up: "locked for 3 more minutes".
std::string minutes_left(TimeMs until, TimeMs now) {
    auto minutes = std::max<TimeMs>(1, (until - now + 59'999) / 60'000);
    return std::to_string(minutes) + (minutes == 1 ? " more minute" : " more minutes");
}

}  // namespace

ApiResponse StaffApi::Impl::busy(TimeMs now) const {
    auto res = staff_refusal(HttpStatus::service_unavailable, "busy",
                             "The hub is busy checking other logins. Try again in a moment.", now);
    res.headers.emplace_back("Retry-After", "1");
    return res;
}

ApiResponse StaffApi::Impl::login(const ApiRequest& r, TimeMs now) {
    if (!is_json_content_type(header(r, "content-type")))
        return staff_refusal(HttpStatus::unsupported_media_type, "bad_request", "Send the login as application/json.", now);
    if (!same_origin(r)) {
        log.warn("staff_refused", {{"path", "/staff/login"}, {"reason", "cross_origin"}});
        return staff_refusal(HttpStatus::forbidden, "cross_origin", "Log in from the hub's own login page.", now);
    }
    auto body = json_body(r);
    std::optional<std::string> email, password;
    if (body) {
        email = string_member(*body, "email");
        password = string_member(*body, "password");
    }
    if (!email || !password)
        return staff_refusal(HttpStatus::bad_request, "bad_request", R"(The body must be JSON: {"email": …, "password": …}.)",
                             now);
    if (auto wait = gate.attempt(r.peer, now)) {
        log.warn("staff_login_limited", {{"reason", "rate"}, {"retry_after_ms", *wait}});
        auto res = staff_refusal(HttpStatus::too_many_requests, "too_many",
                                 "Too many login attempts from this computer. Wait a minute and try again.", now);
        res.headers.emplace_back("Retry-After", retry_after_seconds(*wait));
        return res;
    }
    auto ticket = gate.enter();
    if (!ticket) {
        log.warn("staff_login_limited", {{"reason", "in_flight"}, {"limit", gate.in_flight_limit()}});
        return busy(now);
    }
    auto result = with_db([&](db::Database& db) { return store::login(db, *email, *password, now, staff::production_cost); });
    if (!result.session) {
        // Only the outcome: the email typed may be a password typed in the wrong box.
        log.info("staff_login", {{"outcome", store::to_string(result.refusal)}});
        switch (result.refusal) {
            case store::LoginRefusal::locked: {
                auto until = result.locked_until_ms.value_or(now);
                auto res = staff_refusal(HttpStatus::forbidden, "locked",
                                         "Too many wrong passwords: this account is locked for " +
                                             minutes_left(until, now) + ". An admin can unlock it sooner.",
                                         now);
                res.headers.emplace_back("Retry-After", retry_after_seconds(until - now));
                return res;
            }
            case store::LoginRefusal::disabled:
                return staff_refusal(HttpStatus::forbidden, "disabled",
                                     "This account is disabled. Ask a hub admin if you need it again.", now);
            case store::LoginRefusal::unknown_or_wrong: break;
        }
        return staff_refusal(HttpStatus::unauthorized, "unknown_or_wrong", "That email and password do not match an account.",
                             now);
    }
    const auto& s = *result.session;
    log.info("staff_login", {{"outcome", "ok"}, {"staff_id", s.who.id}});
    auto res = staff_reply(HttpStatus::ok,
                           json::serialize(json::object{{"id", s.who.id},
                                                        {"name", s.who.name},
                                                        {"role", store::to_string(s.who.role)},
                                                        {"csrf", s.csrf_token}}),
                           now);
    res.headers.emplace_back("Set-Cookie", staff::set_cookie_header(s.cookie_value, now, s.expires_ms));
    return res;
}

ApiResponse StaffApi::Impl::logout(const ApiRequest& r, TimeMs now) {
    const std::string_view path = "/staff/logout";
    if (r.method != "POST") return staff_refusal(HttpStatus::method_not_allowed, "method_not_allowed", "Use POST.", now);
    auto session = session_of(r, now, path, false);
    if (auto* refused = std::get_if<ApiResponse>(&session)) return *refused;
    const auto& s = std::get<Session>(session);
    if (auto refused = write_checks(r, s, path, now)) return *refused;
    with_db([&](db::Database& db) { return store::logout(db, s.cookie, now); });
    log.info("staff_logout", {{"staff_id", s.who.id}});
    auto res = staff_reply(HttpStatus::ok, R"({"logged_out":true})", now);
    res.headers.emplace_back("Set-Cookie", staff::clear_cookie_header());
    return res;
}

}  // namespace muster::server
