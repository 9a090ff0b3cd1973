// StaffApi in-process with a handler of its own (staff_routes.hpp): the handlers see only
// requests that passed the session, CSRF, origin and JSON checks, with who is logged in, the
// path and query; a path none answers is 404; a handler's reply gets the staff headers.
#include "staff_api.hpp"

#include "temp_dir.hpp"

#include "muster/staff/staff_access.hpp"
#include "muster/store/schema.hpp"
#include "muster/store/staff_store.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdio>

using namespace muster;
using namespace muster::server;

namespace {

struct Seen {
    int calls = 0;
    std::string path, query, method;
    store::StaffId who = 0;
} seen;

std::optional<ApiResponse> test_handler(const StaffRequest& r) {
    if (r.path.rfind("/staff/api/test", 0) != 0) return std::nullopt;
    ++seen.calls;
    seen.path = std::string(r.path);
    seen.query = std::string(r.query);
    seen.method = r.http.method;
    seen.who = r.who.id;
    if (r.path == "/staff/api/test/refuse")
        return error_response(HttpStatus::conflict, sync::ErrorCode::bad_request, "refused", r.now);
    return ApiResponse{HttpStatus::ok, R"({"handled":true})", r.now};
}

ApiRequest request(std::string method, std::string target, std::string cookie = "", std::string csrf = "") {
    ApiRequest r{std::move(method), std::move(target), {{"host", "hub.local"}, {"origin", "https://hub.local"}}, ""};
    if (!cookie.empty()) r.headers["cookie"] = "muster_staff=" + cookie;
    if (!csrf.empty()) r.headers["x-csrf-token"] = csrf;
    r.peer = "127.0.0.1";
    return r;
}

}  // namespace

TEST_CASE("StaffApi hands checked requests to its handlers and nothing else", "[server][staff]") {
    test::TempDir dir;
    auto path = dir.file("hub.db");
    TimeMs now = 1'800'000'000'000;
    store::NewStaffSession session;
    {
        auto db = store::open_database(path);
        REQUIRE(store::add_staff(*db, {"Ann Admin", "ann@hub.example.org", store::StaffRole::staff}, "plum orchard at noon",
                                 now, staff::test_cost, std::nullopt)
                    .id);
        auto login = store::login(*db, "ann@hub.example.org", "plum orchard at noon", now, staff::test_cost);
        REQUIRE(login.session);
        session = *login.session;
    }
    std::FILE* sink = std::tmpfile();
    log::Logger logger(log::Level::debug, sink);
    StaffApi api(path, logger, [&] { return now; }, 2, nullptr, {&test_handler});
    seen = {};

    auto got = api.handle(request("GET", "/staff/api/test/items?since=3", session.cookie_value));
    CHECK(got.status == HttpStatus::ok);
    CHECK(seen.calls == 1);
    CHECK(seen.path == "/staff/api/test/items");
    CHECK(seen.query == "since=3");
    CHECK(seen.who == session.who.id);
    bool has_csp = false;
    for (const auto& [k, v] : got.headers) has_csp = has_csp || k == "Content-Security-Policy";
    CHECK(has_csp);
    CHECK(got.content_type == "application/json; charset=utf-8");

    // Refused before the handler: no session, no token, another origin, not JSON.
    CHECK(api.handle(request("GET", "/staff/api/test/items")).status == HttpStatus::unauthorized);
    CHECK(api.handle(request("POST", "/staff/api/test/items", session.cookie_value)).status == HttpStatus::forbidden);
    auto cross = request("POST", "/staff/api/test/items", session.cookie_value, session.csrf_token);
    cross.headers["origin"] = "https://evil.example";
    CHECK(api.handle(cross).status == HttpStatus::forbidden);
    auto text = request("POST", "/staff/api/test/items", session.cookie_value, session.csrf_token);
    text.body = "{}";
    text.headers["content-type"] = "text/plain";
    CHECK(api.handle(text).status == HttpStatus::unsupported_media_type);
    CHECK(seen.calls == 1);

    // Passed: the handler answers, its refusals pass through; a path none answers is a 404.
    auto post = request("POST", "/staff/api/test/refuse", session.cookie_value, session.csrf_token);
    post.body = "{}";
    post.headers["content-type"] = "application/json";
    CHECK(api.handle(post).status == HttpStatus::conflict);
    CHECK(seen.calls == 2);
    CHECK(seen.method == "POST");
    CHECK(api.handle(request("GET", "/staff/api/nobody", session.cookie_value)).status == HttpStatus::not_found);
    // A staff account never reaches the accounts routes, whatever the handlers.
    CHECK(api.handle(request("GET", "/staff/api/accounts", session.cookie_value)).status == HttpStatus::forbidden);
    std::fclose(sink);
}
