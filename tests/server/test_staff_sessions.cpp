// The staff pages' sessions over the real server (docs/staff.md, "The staff pages"): no session
// → 303 to the login page (pages) or 401 JSON (API); the login, its one refusal for a wrong
// password or an unknown email, the lockout; forged cookies; CSRF and origin checks; logout.
#include "staff_fixture.hpp"

using namespace muster;
using namespace muster::test;

TEST_CASE("Staff pages without a session go to the login page and the API answers 401", "[server][staff]") {
    StaffServer s;
    auto page = s.get("/staff/accounts.html", "");
    CHECK(page.status == 303);
    CHECK(page.headers["location"] == "/staff/login?next=/staff/accounts.html");
    check_security_headers(page);
    CHECK(page.headers.count("set-cookie") == 0);  // nothing sent, nothing cleared

    auto api = s.get("/staff/api/me", "");
    CHECK(api.status == 401);
    CHECK(code_of_reply(api) == "unknown");
    check_security_headers(api);

    // The login page and what it loads are served to anyone; a script of the other pages is not.
    auto login = s.get("/staff/login", "");
    CHECK(login.status == 200);
    CHECK(login.headers["content-type"] == "text/html; charset=utf-8");
    check_security_headers(login);
    CHECK(login.body.find("login.js") != std::string::npos);
    CHECK(s.get("/staff/login.js", "").status == 200);
    CHECK(s.get("/staff/staff.css", "").status == 200);
    CHECK(s.get("/staff/staff-common.js", "").status == 401);
    CHECK(s.get("/staff/no-such-page.html", "").status == 404);
    CHECK(s.get("/staff", "").status == 303);
}

TEST_CASE("A staff login sets the cookie and the session answers me", "[server][staff]") {
    StaffServer s;
    auto id = s.add("Ann Admin", "ann@hub.example.org", "admin");
    auto r = s.login_reply("Ann@Hub.example.org", staff_password);  // the email in any case
    REQUIRE(r.status == 200);
    auto set = r.headers["set-cookie"];
    CHECK(set.rfind("muster_staff=", 0) == 0);
    CHECK(set.find("; Path=/staff/; HttpOnly; Secure; SameSite=Strict; Max-Age=43200") != std::string::npos);
    check_security_headers(r);
    auto body = body_of(r);
    CHECK(body.at("id").as_int64() == id);
    CHECK(body.at("name").as_string() == "Ann Admin");
    CHECK(body.at("role").as_string() == "admin");

    auto session = s.login("ann@hub.example.org");
    auto me = s.get("/staff/api/me", session.cookie);
    REQUIRE(me.status == 200);
    auto m = body_of(me);
    CHECK(m.at("id").as_int64() == id);
    CHECK(m.at("role").as_string() == "admin");
    CHECK(std::string(m.at("csrf").as_string()) == session.csrf);
    CHECK(s.get("/staff/accounts.html", session.cookie).status == 200);

    // Nothing personal in the log: the id and the outcome only.
    auto log = read_text_file(s.h.hub.log());
    CHECK(log.find("ann@hub") == std::string::npos);
    CHECK(log.find("Ann Admin") == std::string::npos);
    CHECK(log.find(staff_password) == std::string::npos);
    CHECK(log.find(session.cookie) == std::string::npos);
    CHECK(log.find(R"("outcome":"ok")") != std::string::npos);
}

TEST_CASE("A wrong password and an unknown email get one refusal and no cookie", "[server][staff]") {
    StaffServer s;
    s.add("Ann Admin", "ann@hub.example.org", "admin");
    auto wrong = s.login_reply("ann@hub.example.org", "not the password at all");
    auto unknown = s.login_reply("nobody@hub.example.org", "not the password at all");
    CHECK(wrong.status == 401);
    CHECK(unknown.status == 401);
    CHECK(wrong.body == unknown.body);
    CHECK(code_of_reply(wrong) == "unknown_or_wrong");
    CHECK(wrong.headers.count("set-cookie") == 0);
    CHECK(s.login_reply("ann@hub.example.org", "").status == 401);
    CHECK(http_request(s.port(), "POST", "/staff/login", "{\"email\": 1}", {{"Origin", s.origin()}}).status == 400);
    auto log = read_text_file(s.h.hub.log());
    CHECK(log.find("nobody@hub") == std::string::npos);
    CHECK(log.find("not the password") == std::string::npos);
}

TEST_CASE("The fifth wrong password locks the account and the reply says for how long", "[server][staff]") {
    StaffServer s;
    s.add("Cy Staff", "cy@hub.example.org", "staff");
    for (int i = 0; i < 5; ++i) CHECK(s.login_reply("cy@hub.example.org", "wrong password typed").status == 401);
    auto locked = s.login_reply("cy@hub.example.org", staff_password);
    CHECK(locked.status == 403);
    CHECK(code_of_reply(locked) == "locked");
    CHECK(std::string(body_of(locked).at("error").as_string()).find("locked for 1 more minute") != std::string::npos);
    CHECK(locked.headers["retry-after"] == "60");
    CHECK(locked.headers.count("set-cookie") == 0);
}

TEST_CASE("A disabled account is told so only with its right password", "[server][staff]") {
    StaffServer s;
    auto id = s.add("Di Staff", "di@hub.example.org", "staff");
    {
        auto db = s.hub_db();
        REQUIRE(store::disable_staff(*db, id, uk_time::now_ms(), std::nullopt) == store::StaffChange::done);
    }
    auto right = s.login_reply("di@hub.example.org", staff_password);
    CHECK(right.status == 403);
    CHECK(code_of_reply(right) == "disabled");
    CHECK(code_of_reply(s.login_reply("di@hub.example.org", "wrong password typed")) == "unknown_or_wrong");
}

TEST_CASE("A forged or doubled cookie is no session and a real one survives it", "[server][staff]") {
    StaffServer s;
    s.add("Ann Admin", "ann@hub.example.org", "admin");
    auto session = s.login("ann@hub.example.org");
    std::string forged = session.cookie;
    forged[0] = forged[0] == 'A' ? 'B' : 'A';
    auto api = s.get("/staff/api/me", forged);
    CHECK(api.status == 401);
    CHECK(code_of_reply(api) == "unknown");
    CHECK(api.headers["set-cookie"] == staff::clear_cookie_header());  // a dead cookie is cleared
    auto page = s.get("/staff/accounts.html", forged);
    CHECK(page.status == 303);
    CHECK(s.get("/staff/api/me", "not-even-base64!").status == 401);

    // Two muster_staff cookies: trust neither, and clear nothing (one may be the real session).
    auto doubled = http_request(s.port(), "GET", "/staff/api/me", "",
                                {{"Cookie", "muster_staff=" + session.cookie + "; muster_staff=" + forged}});
    CHECK(doubled.status == 401);
    CHECK(doubled.headers.count("set-cookie") == 0);
    // A register cookie is not a staff one.
    CHECK(http_request(s.port(), "GET", "/staff/api/me", "", {{"Cookie", "muster_register=" + session.cookie}}).status ==
          401);
    CHECK(s.get("/staff/api/me", session.cookie).status == 200);
}

TEST_CASE("A POST without the session's CSRF token or from another origin is refused and the session stays", "[server][staff]") {
    StaffServer s;
    s.add("Ann Admin", "ann@hub.example.org", "admin");
    auto session = s.login("ann@hub.example.org");
    for (std::string token : {std::string(), std::string(43, 'A'), staff::csrf_token_for(std::string(43, 'B'))}) {
        StaffSession bad = session;
        bad.csrf = token;
        auto r = s.post("/staff/logout", bad);
        CHECK(r.status == 403);
        CHECK(code_of_reply(r) == "csrf");
        CHECK(r.headers.count("set-cookie") == 0);
        auto dispatched = s.post("/staff/api/events/1/corrections", bad, "{}");
        CHECK(dispatched.status == 403);
        CHECK(code_of_reply(dispatched) == "csrf");
    }
    auto cross = s.post("/staff/logout", session, "", {{"Origin", "https://evil.example"}});
    CHECK(cross.status == 403);
    CHECK(code_of_reply(cross) == "cross_origin");
    CHECK(s.post("/staff/api/accounts/1/unlock", session, "", {{"Origin", "https://evil.example"}}).status == 403);
    CHECK(s.post("/staff/api/accounts", session, "{}", {{"Content-Type", "text/plain"}}).status == 415);
    // A login from another site's page is refused before any password is tried.
    auto cross_login = s.login_reply("ann@hub.example.org", staff_password, {{"Origin", "https://evil.example"}});
    CHECK(cross_login.status == 403);
    CHECK(cross_login.headers.count("set-cookie") == 0);
    // None of it ended the session.
    CHECK(s.get("/staff/api/me", session.cookie).status == 200);
    // With everything right, the request reaches its handler (the events API: an empty
    // correction is a 400 naming the field), and a path no handler owns is a 404.
    auto reached = s.post("/staff/api/events/1/corrections", session, "{}");
    CHECK(reached.status == 400);
    CHECK(reached.body.find("uuid") != std::string::npos);
    CHECK(s.post("/staff/api/nothing-here", session, "{}").status == 404);
}

TEST_CASE("Logout ends the session at the hub and clears the cookie", "[server][staff]") {
    StaffServer s;
    s.add("Ann Admin", "ann@hub.example.org", "admin");
    auto session = s.login("ann@hub.example.org");
    CHECK(http_request(s.port(), "GET", "/staff/logout", "", {{"Cookie", "muster_staff=" + session.cookie}}).status ==
          405);
    auto out = s.post("/staff/logout", session);
    CHECK(out.status == 200);
    CHECK(out.headers["set-cookie"] == staff::clear_cookie_header());
    auto after = s.get("/staff/api/me", session.cookie);
    CHECK(after.status == 401);
    CHECK(code_of_reply(after) == "revoked");
    CHECK(s.get("/staff/accounts.html", session.cookie).status == 303);
    CHECK(s.post("/staff/logout", session).status == 401);
}
