// /staff/api/accounts over the real server (docs/staff.md, "The accounts page"): admins only,
// no hash in any reply, each change through the staff store with the admin as the actor.
#include "staff_fixture.hpp"

#include "muster/store/staff_store.hpp"

using namespace muster;
using namespace muster::test;

namespace {

std::string add_body(const std::string& name, const std::string& email, const std::string& role,
                     const std::string& password = "pear orchard at dusk") {
    return json::serialize(json::object{{"name", name}, {"email", email}, {"role", role}, {"password", password}});
}

}  // namespace

TEST_CASE("A staff account cannot list or change accounts", "[server][staff][accounts]") {
    StaffServer s;
    auto admin = s.add("Ann Admin", "ann@hub.example.org", "admin");
    s.add("Bo Staff", "bo@hub.example.org", "staff");
    auto bo = s.login("bo@hub.example.org");
    auto list = s.get("/staff/api/accounts", bo.cookie);
    CHECK(list.status == 403);
    CHECK(code_of_reply(list) == "forbidden");
    CHECK(s.get("/staff/api/accounts/audit", bo.cookie).status == 403);
    CHECK(s.post("/staff/api/accounts", bo, add_body("Eve", "eve@hub.example.org", "admin")).status == 403);
    CHECK(s.post("/staff/api/accounts/" + std::to_string(admin) + "/disable", bo).status == 403);
    auto db = s.hub_db();
    CHECK(store::list_staff(*db).size() == 2);
    CHECK(!store::find_staff(*db, admin)->disabled_ms);
}

TEST_CASE("An admin lists, adds, disables, enables, unlocks and sets passwords, and the audit names them", "[server][staff][accounts]") {
    StaffServer s;
    auto admin_id = s.add("Ann Admin", "ann@hub.example.org", "admin");
    auto bo_id = s.add("Bo Staff", "bo@hub.example.org", "staff");
    auto ann = s.login("ann@hub.example.org");

    auto list = s.get("/staff/api/accounts", ann.cookie);
    REQUIRE(list.status == 200);
    CHECK(list.body.find("argon2") == std::string::npos);
    CHECK(list.body.find("hash") == std::string::npos);
    auto accounts = body_of(list).at("accounts").as_array();
    REQUIRE(accounts.size() == 2);
    CHECK(accounts[1].at("email").as_string() == "bo@hub.example.org");
    CHECK(accounts[1].at("role").as_string() == "staff");

    // Add: refusals first (a weak password, a taken email, a bad email), then one that works.
    auto weak = s.post("/staff/api/accounts", ann, add_body("Cy", "cy@hub.example.org", "staff", "short"));
    CHECK(weak.status == 400);
    CHECK(code_of_reply(weak) == "invalid");
    CHECK(std::string(body_of(weak).at("problem").as_string()).rfind("password:", 0) == 0);
    CHECK(s.post("/staff/api/accounts", ann, add_body("Cy", "BO@hub.example.org", "staff")).status == 409);
    CHECK(s.post("/staff/api/accounts", ann, add_body("Cy", "not an email", "staff")).status == 400);
    CHECK(s.post("/staff/api/accounts", ann, add_body("Cy", "cy@hub.example.org", "owner")).status == 400);
    auto added = s.post("/staff/api/accounts", ann, add_body("Cy Staff", "cy@hub.example.org", "staff"));
    REQUIRE(added.status == 201);
    auto cy_id = body_of(added).at("id").as_int64();

    // Disable (not oneself), enable, set a password, unlock.
    auto self = s.post("/staff/api/accounts/" + std::to_string(admin_id) + "/disable", ann);
    CHECK(self.status == 409);
    CHECK(code_of_reply(self) == "self");
    auto bo = s.login("bo@hub.example.org");
    CHECK(s.post("/staff/api/accounts/" + std::to_string(bo_id) + "/disable", ann).status == 200);
    CHECK(s.get("/staff/api/me", bo.cookie).status == 401);  // its sessions ended at once
    auto again = s.post("/staff/api/accounts/" + std::to_string(bo_id) + "/disable", ann);
    CHECK(body_of(again).at("result").as_string() == "unchanged");
    CHECK(s.post("/staff/api/accounts/" + std::to_string(bo_id) + "/enable", ann).status == 200);
    CHECK(s.post("/staff/api/accounts/99/enable", ann).status == 404);
    CHECK(s.post("/staff/api/accounts/" + std::to_string(bo_id) + "/delete", ann).status == 404);
    auto pw = json::serialize(json::object{{"password", "apple orchard at dawn"}});
    CHECK(s.post("/staff/api/accounts/" + std::to_string(bo_id) + "/password", ann, pw).status == 200);
    CHECK(s.login_reply("bo@hub.example.org", "apple orchard at dawn").status == 200);
    CHECK(s.post("/staff/api/accounts/" + std::to_string(bo_id) + "/password", ann,
                 json::serialize(json::object{{"password", "aaaaaaaaaaaaaaaa"}}))
              .status == 400);
    for (int i = 0; i < 5; ++i) s.login_reply("cy@hub.example.org", "wrong password typed");
    CHECK(code_of_reply(s.login_reply("cy@hub.example.org", "pear orchard at dusk")) == "locked");
    CHECK(s.post("/staff/api/accounts/" + std::to_string(cy_id) + "/unlock", ann).status == 200);
    CHECK(s.login_reply("cy@hub.example.org", "pear orchard at dusk").status == 200);

    // The audit: each change with the admin as the actor, and no password in it.
    auto audit = s.get("/staff/api/accounts/audit", ann.cookie);
    REQUIRE(audit.status == 200);
    CHECK(audit.body.find("orchard") == std::string::npos);
    std::set<std::string> by_ann;
    auto entries = body_of(audit).at("audit").as_array();
    for (const auto& e : entries)
        if (e.at("actor_id").is_int64() && e.at("actor_id").as_int64() == admin_id)
            by_ann.insert(std::string(e.at("kind").as_string()));
    CHECK(by_ann == std::set<std::string>{"account_added", "account_disabled", "account_enabled", "password_changed",
                                          "unlocked"});
    auto log = read_text_file(s.h.hub.log());
    CHECK(log.find("cy@hub") == std::string::npos);
    CHECK(log.find("Cy Staff") == std::string::npos);
    CHECK(log.find("orchard") == std::string::npos);
}
