#include "staff_api.hpp"

#include "register_api.hpp"
#include "request_parts.hpp"
#include "staff_web.hpp"

#include "web_assets.hpp"

#include "muster/staff/staff_access.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace muster::server {

namespace json = boost::json;

// The register's policy, word for word: the staff pages load only their own script, style and
// data, cannot be framed, send no referrer and are never cached (they are personal data).
std::vector<std::pair<std::string, std::string>> staff_security_headers() { return register_security_headers(); }

ApiResponse staff_reply(HttpStatus status, std::string body, TimeMs now) {
    return ApiResponse{status, std::move(body), now, "application/json; charset=utf-8", staff_security_headers()};
}

ApiResponse staff_refusal(HttpStatus status, std::string_view code, std::string_view message, TimeMs now) {
    return staff_reply(status, json::serialize(json::object{{"error", message}, {"code", code}}), now);
}

std::optional<json::object> json_body(const ApiRequest& r) {
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    if (ec || !v.is_object()) return std::nullopt;
    return std::move(v.as_object());
}

std::optional<std::string> string_member(const json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    if (!v || !v->is_string()) return std::nullopt;
    return std::string(v->as_string());
}

namespace {

// The pages and files served without a session: the login page and what it loads.
bool is_public(std::string_view path) {
    return path == "/staff/login.html" || path == "/staff/login.js" || path == "/staff/staff.css";
}

bool is_page(std::string_view path) { return path.size() > 5 && path.substr(path.size() - 5) == ".html"; }

// Percent-encodes everything but unreserved characters and '/': the page to come back to.
std::string url_encode(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

ApiResponse see_other(std::string location, TimeMs now) {
    auto res = staff_reply(HttpStatus::see_other, "", now);
    res.content_type = "text/plain; charset=utf-8";
    res.headers.emplace_back("Location", std::move(location));
    return res;
}

std::string_view session_message(store::StaffSessionRefusal r) {
    switch (r) {
        case store::StaffSessionRefusal::unknown: return "You are not logged in.";
        case store::StaffSessionRefusal::expired: return "Your session has ended. Log in again.";
        case store::StaffSessionRefusal::revoked: return "You were logged out. Log in again.";
    }
    return "Log in again.";
}

// Every staff reply carries the staff headers, a handler's included (error_response has none).
void add_staff_headers(ApiResponse& res) {
    for (auto& h : staff_security_headers())
        if (std::none_of(res.headers.begin(), res.headers.end(), [&](const auto& x) { return x.first == h.first; }))
            res.headers.push_back(std::move(h));
    if (res.content_type == "application/json") res.content_type = "application/json; charset=utf-8";
}

}  // namespace

StaffApi::Impl::Impl(std::string p, log::Logger& l, Clock c, int connections, ChangeFeed* f,
                     std::vector<StaffHandler> h)
    : database(std::move(p)), log(l), clock(std::move(c)), feed(f), handlers(std::move(h)),
      gate(login_hashes_in_flight(connections), logins_per_minute) {
    for (int i = 0; i < std::max(connections, 1); ++i) slots.push_back(std::make_unique<Slot>());
}

db::Database& StaffApi::Impl::connection(Slot& slot) {
    if (!slot.db) slot.db = std::make_unique<db::Database>(database, db::OpenMode::read_write);
    return *slot.db;
}

StaffApi::StaffApi(const std::string& database, log::Logger& log, Clock clock, int connections,
                   ChangeFeed* feed, std::vector<StaffHandler> handlers)
    : impl_(std::make_unique<Impl>(database, log, std::move(clock), connections, feed, std::move(handlers))) {}

StaffApi::~StaffApi() = default;

void StaffApi::on_outbox_change(std::function<void()> wake) { impl_->outbox_changed = std::move(wake); }

bool StaffApi::serves(std::string_view target) {
    auto path = path_of(target);
    return path == "/staff" || path.rfind("/staff/", 0) == 0;
}

ApiResponse StaffApi::handle(const ApiRequest& request) {
    const TimeMs now = impl_->clock();
    ApiResponse res;
    try {
        res = impl_->handle(request, now);
    } catch (const db::Error& e) {
        impl_->log.log(log::Level::error, "store_error",
                       {{"path", std::string(path_of(request.target))}, {"sqlite_code", e.extended_code()}});
        res = staff_refusal(HttpStatus::service_unavailable, "store_busy", "The hub could not answer just now. Try again.",
                            now);
    }
    add_staff_headers(res);
    return res;
}

ApiResponse StaffApi::Impl::handle(const ApiRequest& r, TimeMs now) {
    auto path = path_of(r.target);
    if (path == "/staff") return see_other("/staff/", now);
    if (r.body.size() > body_limit_bytes)
        return staff_refusal(HttpStatus::payload_too_large, "too_large",
                             "The request is larger than " + std::to_string(body_limit_bytes) + " bytes.", now);
    if (path == "/staff/login" && r.method == "POST") return login(r, now);
    if (path == "/staff/logout") return logout(r, now);
    if (path.rfind("/staff/api/", 0) == 0) return api(r, path, now);
    return page(r, path, now);
}

ApiResponse StaffApi::Impl::page(const ApiRequest& r, std::string_view path_in, TimeMs now) {
    std::string_view path = path_in;
    if (path == "/staff/") path = "/staff/index.html";
    else if (path == "/staff/login") path = "/staff/login.html";
    auto found = std::find_if(generated::web_assets.begin(), generated::web_assets.end(),
                              [&](const auto& a) { return a.path == path; });
    if (found == generated::web_assets.end())
        return staff_refusal(HttpStatus::not_found, "not_found", "No such page.", now);
    if (r.method != "GET") return staff_refusal(HttpStatus::method_not_allowed, "method_not_allowed", "Use GET.", now);
    if (!is_public(path)) {
        auto session = session_of(r, now, path, is_page(path));
        if (auto* refused = std::get_if<ApiResponse>(&session)) return *refused;
    }
    auto res = staff_reply(HttpStatus::ok, std::string(found->body), now);
    res.content_type = std::string(found->content_type);
    return res;
}

std::variant<StaffApi::Impl::Session, ApiResponse> StaffApi::Impl::session_of(const ApiRequest& r, TimeMs now,
                                                                               std::string_view path, bool for_page) {
    const std::string cookie_header = header(r, "cookie");  // kept: the value found is a view into it
    auto cookie = staff::cookie_value_in(cookie_header);
    auto refuse = [&](store::StaffSessionRefusal why, bool clear) -> ApiResponse {
        log.warn("staff_refused", {{"path", std::string(path)}, {"reason", store::to_string(why)}});
        auto res = for_page ? see_other("/staff/login?next=" + url_encode(r.target), now)
                            : staff_refusal(HttpStatus::unauthorized, store::to_string(why), session_message(why), now);
        // Only a cookie that was read and found dead is cleared: none sent, or two (which may be
        // a planted one beside the real one), clears nothing.
        if (clear) res.headers.emplace_back("Set-Cookie", staff::clear_cookie_header());
        return res;
    };
    if (!cookie) return refuse(store::StaffSessionRefusal::unknown, false);
    std::string value(*cookie);
    auto check = with_db([&](db::Database& db) { return store::check_staff_session(db, value, now); });
    if (!check.who) return refuse(check.refusal, true);
    return Session{*check.who, std::move(value), std::move(check.csrf_token)};
}

std::optional<ApiResponse> StaffApi::Impl::write_checks(const ApiRequest& r, const Session& s, std::string_view path,
                                                        TimeMs now) {
    if (!staff::csrf_matches(s.cookie, header(r, "x-csrf-token"))) {
        log.warn("staff_refused", {{"path", std::string(path)}, {"reason", "csrf"}, {"staff_id", s.who.id}});
        return staff_refusal(HttpStatus::forbidden, "csrf", "This request did not carry the page's token. Reload the page.",
                             now);
    }
    if (!same_origin(r)) {
        log.warn("staff_refused", {{"path", std::string(path)}, {"reason", "cross_origin"}, {"staff_id", s.who.id}});
        return staff_refusal(HttpStatus::forbidden, "cross_origin", "Changes are made only from the hub's own pages.", now);
    }
    if (!r.body.empty() && !is_json_content_type(header(r, "content-type")))
        return staff_refusal(HttpStatus::unsupported_media_type, "bad_request", "Send application/json.", now);
    return std::nullopt;
}

ApiResponse StaffApi::Impl::api(const ApiRequest& r, std::string_view path, TimeMs now) {
    auto session = session_of(r, now, path, false);
    if (auto* refused = std::get_if<ApiResponse>(&session)) return *refused;
    const auto& s = std::get<Session>(session);
    if (r.method != "GET")
        if (auto refused = write_checks(r, s, path, now)) return *refused;
    if (path == "/staff/api/me") {
        if (r.method != "GET") return staff_refusal(HttpStatus::method_not_allowed, "method_not_allowed", "Use GET.", now);
        return staff_reply(HttpStatus::ok,
                           json::serialize(json::object{{"id", s.who.id},
                                                        {"name", s.who.name},
                                                        {"role", store::to_string(s.who.role)},
                                                        {"csrf", s.csrf}}),
                           now);
    }
    auto q = r.target.find('?');
    std::string_view query = q == std::string::npos ? std::string_view() : std::string_view(r.target).substr(q + 1);
    return with_db([&](db::Database& db) -> ApiResponse {
        StaffRequest request{r, path, query, s.who, db, log, feed, now, &outbox_changed};
        if (auto answer = accounts(request)) return std::move(*answer);
        for (auto handler : handlers)
            if (auto answer = handler(request)) return std::move(*answer);
        return staff_refusal(HttpStatus::not_found, "not_found", "No such part of the staff pages.", now);
    });
}

}  // namespace muster::server
