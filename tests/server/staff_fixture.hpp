#pragma once
// A demo hub's muster-sync-server on 127.0.0.1 with staff accounts, for the staff pages'
// server tests (docs/staff.md). Accounts are added by the admin tool (`muster staff add`, the
// password on stdin) run in-process at staff::test_cost, so a wrong password is cheap to check
// and a lockout test takes no minute of Argon2; a good login re-hashes at the hub's own cost
// (the server has no other), and an unknown email always costs the hub's own work.
#include "register_fixture.hpp"

#include "command.hpp"
#include "muster/staff/staff_access.hpp"
#include "muster/store/schema.hpp"
#include "muster/store/staff_store.hpp"

#include <sstream>

namespace muster::test {

inline const std::string staff_password = "plum orchard at noon";

struct StaffSession {
    std::string cookie, csrf;
    std::int64_t id = 0;
};

struct StaffServer {
    Served h;
    StaffServer() = default;
    unsigned short port() const { return h.port(); }
    std::unique_ptr<db::Database> hub_db() const { return store::open_database(h.hub.hub + "/hub.db"); }
    std::string origin() const { return "http://127.0.0.1"; }  // the probe's Host, over plain HTTP

    std::int64_t add(const std::string& name, const std::string& email, const std::string& role,
                     const std::string& password = staff_password) const {
        std::istringstream in(password + "\n");
        std::ostringstream out, err;
        int code = admin::run_cli({"staff", "add", "--name", name, "--email", email, "--role", role, "--hub", h.hub.hub},
                                  out, err, admin::PasswordInput{&in, staff::test_cost});
        INFO(err.str());
        REQUIRE(code == 0);
        auto text = out.str();
        auto at = text.find("Staff account ") + 14;
        return std::stoll(text.substr(at));
    }

    HttpReply login_reply(const std::string& email, const std::string& password,
                          std::map<std::string, std::string> headers = {}) const {
        headers.emplace("Origin", origin());
        return http_request(port(), "POST", "/staff/login",
                            json::serialize(json::object{{"email", email}, {"password", password}}), headers);
    }
    StaffSession login(const std::string& email, const std::string& password = staff_password) const {
        auto r = login_reply(email, password);
        INFO(r.body);
        REQUIRE(r.status == 200);
        auto set = r.headers["set-cookie"];
        auto start = set.find('=') + 1;
        auto body = json::parse(r.body).as_object();
        return {set.substr(start, set.find(';') - start), std::string(body.at("csrf").as_string()),
                body.at("id").as_int64()};
    }

    HttpReply get(const std::string& target, const std::string& cookie) const {
        std::map<std::string, std::string> headers;
        if (!cookie.empty()) headers["Cookie"] = "theme=dark; muster_staff=" + cookie;
        return http_request(port(), "GET", target, "", headers);
    }
    // A POST as the page makes it: cookie, CSRF token, same Origin, JSON.
    HttpReply post(const std::string& target, const StaffSession& s, const std::string& body = "",
                   std::map<std::string, std::string> headers = {}) const {
        headers.emplace("Cookie", "muster_staff=" + s.cookie);
        headers.emplace("X-CSRF-Token", s.csrf);
        headers.emplace("Origin", origin());
        return http_request(port(), "POST", target, body, headers);
    }
};

inline json::object body_of(const HttpReply& r) { return json::parse(r.body).as_object(); }
inline std::string code_of_reply(const HttpReply& r) { return std::string(body_of(r).at("code").as_string()); }

}  // namespace muster::test
