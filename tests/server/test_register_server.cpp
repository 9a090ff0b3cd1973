// The facilitators' live register served by a real muster-sync-server on 127.0.0.1: the page
// and its assets (compiled in) with their security headers, the one-time exchange of a link's
// code for a session cookie, the register's state as JSON for the session's room only, and
// every refusal (no cookie, another room, a revoked link, bad or oversize bodies, a POST
// without the session's CSRF token). docs/register.md.
#include "register_fixture.hpp"

using namespace muster;
using namespace muster::test;
namespace json = boost::json;

TEST_CASE("The register's page, script and style are served from the binary with the security headers",
          "[server][register]") {
    RegisterServer s;
    auto page = http_request(s.h.port(), "GET", "/register/");
    REQUIRE(page.status == 200);
    CHECK(page.headers["content-type"] == "text/html; charset=utf-8");
    check_security_headers(page);
    CHECK(page.body.find("<script src=\"register.js\" defer></script>") != std::string::npos);

    auto script = http_request(s.h.port(), "GET", "/register/register.js");
    REQUIRE(script.status == 200);
    CHECK(script.headers["content-type"] == "text/javascript; charset=utf-8");
    check_security_headers(script);
    CHECK(script.body.find("textContent") != std::string::npos);
    CHECK(script.body.find("innerHTML") == std::string::npos);
    CHECK(script.body.find("history.replaceState") != std::string::npos);

    auto style = http_request(s.h.port(), "GET", "/register/register.css");
    REQUIRE(style.status == 200);
    CHECK(style.headers["content-type"] == "text/css; charset=utf-8");
    CHECK(style.body.find("prefers-color-scheme: dark") != std::string::npos);

    // Nothing is fetched from elsewhere: no address of another site in any of them.
    for (const auto* body : {&page.body, &script.body, &style.body}) {
        CHECK(body->find("http://") == std::string::npos);
        CHECK(body->find("https://") == std::string::npos);
    }

    auto bare = http_request(s.h.port(), "GET", "/register");
    CHECK(bare.status == 308);
    CHECK(bare.headers["location"] == "/register/");
    auto missing = http_request(s.h.port(), "GET", "/register/nothing.js");
    CHECK(missing.status == 404);
    CHECK(missing.headers["content-type"] == "application/json; charset=utf-8");
    check_security_headers(missing);
    CHECK(http_request(s.h.port(), "POST", "/register/", "{}").status == 405);
    // The devices' API is as it was.
    CHECK(s.h.health() == 200);
}

TEST_CASE("A link's code opens one session, the second exchange is refused, and the state lists the room's enrolments",
          "[server][register]") {
    RegisterServer s;
    auto room1 = s.rooms().at(0);
    auto made = s.link(room1);
    auto first = s.exchange(made.code);
    REQUIRE(first.status == 200);
    check_security_headers(first);
    CHECK(first.headers["content-type"] == "application/json; charset=utf-8");
    auto cookie_header = first.headers["set-cookie"];
    CHECK(cookie_header.rfind("muster_register=", 0) == 0);
    for (const char* attribute : {"; Path=/register/", "; HttpOnly", "; Secure", "; SameSite=Strict", "; Max-Age="})
        CHECK(cookie_header.find(attribute) != std::string::npos);
    auto body = json::parse(first.body);
    auto csrf = std::string(body.at("csrf_token").as_string());
    CHECK(csrf.size() == register_access::secret_chars);
    CHECK(body.at("room").at("id").as_int64() == room1);
    CHECK(body.at("event").at("id").as_int64() == 1);
    CHECK(body.at("expires_ms").as_int64() == made.expires_ms);

    auto second = s.exchange(made.code);
    CHECK(second.status == 403);
    auto refused = json::parse(second.body);
    CHECK(refused.at("code").as_string() == "used_already");
    CHECK(lower(std::string(refused.at("error").as_string())).find("ask hub staff for a new link") != std::string::npos);
    CHECK(second.headers.count("set-cookie") == 0);

    auto start = cookie_header.find('=') + 1;
    auto cookie = cookie_header.substr(start, cookie_header.find(';') - start);
    auto state = s.state(cookie);
    REQUIRE(state.status == 200);
    check_security_headers(state);
    auto view = json::parse(state.body);
    CHECK(view.at("room").at("id").as_int64() == room1);
    CHECK(!view.at("session").is_null());
    auto expected = s.enrolled_in(room1);
    REQUIRE_FALSE(expected.empty());
    CHECK(ids_in(view, "expected") == expected);
    CHECK(view.at("counts").at("expected").as_int64() == static_cast<std::int64_t>(expected.size()));
    CHECK(view.at("counts").at("in").as_int64() == 0);
    // A facilitator sees names and schools, never an email or a TRN.
    CHECK(state.body.find('@') == std::string::npos);
    for (const auto& p : view.at("expected").as_array()) {
        CHECK_FALSE(p.as_object().contains("email"));
        CHECK_FALSE(p.as_object().contains("trn"));
        CHECK(p.as_object().contains("school"));
    }

    // A reloaded page asks for its CSRF token again with the cookie alone.
    auto again = http_request(s.h.port(), "GET", "/register/session", "", {{"Cookie", "muster_register=" + cookie}});
    REQUIRE(again.status == 200);
    CHECK(json::parse(again.body).at("csrf_token").as_string() == csrf);

    // A scan at the room's kiosk moves that person to *here*, with the time.
    auto who = *expected.begin();
    auto scan = make_check_in("room-1", 1, who);
    scan.room_id = room1;
    auto up = signed_request(s.h.port(), "POST", "/v1/upload", upload_body({scan}), s.h.hub.as("room-1"));
    REQUIRE(up.status == 200);
    REQUIRE(up.body.find(scan.uuid) != std::string::npos);
    auto after = json::parse(s.state(cookie).body);
    CHECK(ids_in(after, "here") == std::set<std::int64_t>{who});
    CHECK(after.at("here").at(0).at("arrived_ms").as_int64() == scan.device_ms);
    CHECK(after.at("counts").at("in").as_int64() == 1);
    CHECK(after.at("counts").at("missing").as_int64() == static_cast<std::int64_t>(expected.size()) - 1);
}

TEST_CASE("A room-1 session cannot read room 2, and a whole-event session reads any room", "[server][register]") {
    RegisterServer s;
    auto rooms = s.rooms();
    REQUIRE(rooms.size() >= 2);
    auto room_cookie = s.open(rooms[0]);
    auto other = s.state(room_cookie, "?room=" + std::to_string(rooms[1]));
    CHECK(other.status == 403);
    CHECK(json::parse(other.body).at("code").as_string() == "forbidden");
    check_security_headers(other);
    CHECK(s.state(room_cookie, "?room=" + std::to_string(rooms[0])).status == 200);
    CHECK(s.state(room_cookie, "?room=abc").status == 400);
    CHECK(s.state(room_cookie, "?room=99999").status == 404);

    auto event_cookie = s.open(std::nullopt);
    auto whole = s.state(event_cookie);
    REQUIRE(whole.status == 200);
    auto whole_view = json::parse(whole.body);
    CHECK(whole_view.at("room").is_null());
    std::vector<RoomId> listed;  // for hub staff's room picker
    for (const auto& r : whole_view.at("rooms").as_array()) listed.push_back(r.at("id").as_int64());
    CHECK(listed == rooms);
    auto room2 = s.state(event_cookie, "?room=" + std::to_string(rooms[1]));
    REQUIRE(room2.status == 200);
    auto view = json::parse(room2.body);
    CHECK(view.at("room").at("id").as_int64() == rooms[1]);
    CHECK(ids_in(view, "expected") == s.enrolled_in(rooms[1]));
}

TEST_CASE("Without a cookie, or with one the hub never gave, the state is refused with 401 and the cookie cleared",
          "[server][register]") {
    RegisterServer s;
    auto none = s.state("");
    CHECK(none.status == 401);
    CHECK(json::parse(none.body).at("code").as_string() == "unknown");
    CHECK(none.headers["set-cookie"].find("Max-Age=0") != std::string::npos);
    check_security_headers(none);
    CHECK(s.state(register_access::make_secret()).status == 401);
    CHECK(s.state("not-a-secret").status == 401);
    CHECK(http_request(s.h.port(), "GET", "/register/session").status == 401);
    // Two muster_register cookies: neither is trusted.
    auto cookie = s.open(std::nullopt);
    auto doubled = http_request(s.h.port(), "GET", "/register/api/state", "",
                                {{"Cookie", "muster_register=" + cookie + "; muster_register=" + cookie}});
    CHECK(doubled.status == 401);
}

TEST_CASE("A revoked link's session and code are refused", "[server][register]") {
    RegisterServer s;
    auto room1 = s.rooms().at(0);
    auto used = s.link(room1);
    auto r = s.exchange(used.code);
    REQUIRE(r.status == 200);
    auto set = r.headers["set-cookie"];
    auto cookie = set.substr(16, set.find(';') - 16);
    REQUIRE(s.state(cookie).status == 200);
    auto unused = s.link(room1);
    {
        auto db = s.hub_db();
        REQUIRE(store::revoke_link(*db, used.id, uk_time::now_ms()) == store::LinkRevocation::revoked);
        REQUIRE(store::revoke_link(*db, unused.id, uk_time::now_ms()) == store::LinkRevocation::revoked);
    }
    auto refused = s.state(cookie);
    CHECK(refused.status == 403);
    CHECK(json::parse(refused.body).at("code").as_string() == "revoked");
    CHECK(refused.headers["set-cookie"].find("Max-Age=0") != std::string::npos);
    auto code = s.exchange(unused.code);
    CHECK(code.status == 403);
    CHECK(json::parse(code.body).at("code").as_string() == "revoked");
    auto unknown = s.exchange(register_access::make_secret());
    CHECK(unknown.status == 401);
    CHECK(json::parse(unknown.body).at("code").as_string() == "unknown");
}

TEST_CASE("A participant named as HTML comes back in the JSON as plain text", "[server][register]") {
    RegisterServer s;
    auto room1 = s.rooms().at(0);
    auto who = *s.enrolled_in(room1).begin();
    const std::string name = "<img src=x onerror=alert(1)>";
    {
        auto db = s.hub_db();
        auto u = db->prepare("UPDATE participants SET first_name = ?2, preferred_name = NULL WHERE id = ?1");
        u.bind(1, who).bind(2, name);
        u.run();
    }
    auto r = s.state(s.open(room1));
    REQUIRE(r.status == 200);
    CHECK(r.headers["content-type"] == "application/json; charset=utf-8");
    CHECK(r.headers["x-content-type-options"] == "nosniff");
    bool found = false;
    auto view = json::parse(r.body);
    for (const auto& p : view.at("expected").as_array())
        if (p.at("id").as_int64() == who) found = p.at("first_name").as_string() == name;
    CHECK(found);
}

TEST_CASE("Bad session exchanges: garbage, the wrong type, another site, oversize bodies", "[server][register]") {
    RegisterServer s;
    auto port = s.h.port();
    for (const char* body : {"", "not json", "{\"code\": 42}", "[\"code\"]", "{\"cod\": \"x\"}", "{\"code\": \"x\""}) {
        auto r = http_request(port, "POST", "/register/session", body);
        CHECK(r.status == 400);
        CHECK(json::parse(r.body).at("code").as_string() == "bad_request");
        check_security_headers(r);
    }
    auto code = s.link(std::nullopt).code;
    auto body = json::serialize(json::object{{"code", code}});
    // A cross-site form can only send text/plain, urlencoded or multipart: refused before the code is read.
    CHECK(http_request(port, "POST", "/register/session", body, {{"Content-Type", "text/plain"}}).status == 415);
    CHECK(http_request(port, "POST", "/register/session", body,
                       {{"Content-Type", "application/x-www-form-urlencoded"}}).status == 415);
    std::string host = "127.0.0.1:" + std::to_string(port);
    auto cross = http_request(port, "POST", "/register/session", body, {{"Host", host}, {"Origin", "https://evil.example"}});
    CHECK(cross.status == 403);
    CHECK(json::parse(cross.body).at("code").as_string() == "cross_origin");
    CHECK(http_request(port, "POST", "/register/session", body, {{"Host", host}, {"Origin", "null"}}).status == 403);
    // None of those spent the code: the page's own request, from its own origin, opens it.
    auto own = http_request(port, "POST", "/register/session", body,
                            {{"Host", host}, {"Origin", "http://" + host}, {"Content-Type", "application/json; charset=utf-8"}});
    CHECK(own.status == 200);

    auto big = http_request(port, "POST", "/register/session", "{\"code\": \"" + std::string(5000, 'a') + "\"}");
    CHECK(big.status == 413);
    CHECK(json::parse(big.body).at("code").as_string() == "too_large");
    // Over the server's own body limit (64 KiB in the test configuration): the HTTP layer's 413, also JSON.
    auto huge = http_request(port, "POST", "/register/session", std::string(70'000, 'x'));
    CHECK(huge.status == 413);
    CHECK(json::parse(huge.body).as_object().contains("error"));
    CHECK(huge.headers["content-security-policy"] == csp);
}

TEST_CASE("A POST of a session without its CSRF token is refused", "[server][register]") {
    RegisterServer s;
    std::string csrf;
    auto cookie = s.open(std::nullopt, &csrf);
    std::map<std::string, std::string> headers{{"Cookie", "muster_register=" + cookie}};
    auto without = http_request(s.h.port(), "POST", "/register/api/state", "{}", headers);
    CHECK(without.status == 403);
    CHECK(json::parse(without.body).at("code").as_string() == "csrf");
    headers["X-CSRF-Token"] = register_access::csrf_token_for(register_access::make_secret());  // another session's
    CHECK(http_request(s.h.port(), "POST", "/register/api/state", "{}", headers).status == 403);
    headers["X-CSRF-Token"] = csrf;
    CHECK(http_request(s.h.port(), "POST", "/register/api/state", "{}", headers).status == 405);  // no POST there yet
    CHECK(http_request(s.h.port(), "POST", "/register/api/state", "{}").status == 401);           // no session at all
}

TEST_CASE("No link code, cookie or CSRF token reaches the server's log", "[server][register]") {
    RegisterServer s(std::vector<std::string>{"--log-level", "debug"});  // everything the server logs
    auto made = s.link(std::nullopt);
    auto r = s.exchange(made.code);
    REQUIRE(r.status == 200);
    auto set = r.headers["set-cookie"];
    auto cookie = set.substr(16, set.find(';') - 16);
    auto csrf = std::string(json::parse(r.body).at("csrf_token").as_string());
    REQUIRE(s.exchange(made.code).status == 403);
    REQUIRE(s.state(cookie).status == 200);
    REQUIRE(s.state(register_access::make_secret()).status == 401);
    REQUIRE(wait_until([&] { return read_text_file(s.h.hub.log()).find("register_exchange_refused") != std::string::npos; },
                       std::chrono::seconds(5)));
    auto log = read_text_file(s.h.hub.log());
    CHECK(log.find("register_session_opened") != std::string::npos);
    CHECK(log.find(made.code) == std::string::npos);
    CHECK(log.find(cookie) == std::string::npos);
    CHECK(log.find(csrf) == std::string::npos);
}
