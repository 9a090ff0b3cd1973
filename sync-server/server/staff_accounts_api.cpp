// /staff/api/accounts... (docs/staff.md, "The accounts page"): admins list, add, disable,
// enable and unlock accounts and set their passwords, each through the staff store with the
// admin as the actor, so the audit says who did it. A staff account is refused (403).
#include "request_parts.hpp"
#include "staff_web.hpp"

#include "muster/staff/staff_password.hpp"

#include <boost/json.hpp>

#include <stdexcept>

namespace muster::server {

namespace json = boost::json;

namespace {

json::value optional_ms(const std::optional<TimeMs>& t) { return t ? json::value(*t) : json::value(nullptr); }

// An account as the page lists it: never its hash.
json::object account_json(const store::StaffAccount& a) {
    return json::object{{"id", a.id},
                        {"name", a.name},
                        {"email", a.email},
                        {"role", store::to_string(a.role)},
                        {"created_ms", a.created_ms},
                        {"password_changed_ms", a.password_changed_ms},
                        {"disabled_ms", optional_ms(a.disabled_ms)},
                        {"locked_until_ms", optional_ms(a.locked_until_ms)},
                        {"last_login_ms", optional_ms(a.last_login_ms)},
                        {"failed_logins", a.failed_logins}};
}

json::object audit_json(const store::StaffAuditEntry& e) {
    return json::object{{"id", e.id},
                        {"at_ms", e.at_ms},
                        {"staff_id", e.staff_id ? json::value(*e.staff_id) : json::value(nullptr)},
                        {"actor_id", e.actor_id ? json::value(*e.actor_id) : json::value(nullptr)},
                        {"kind", e.kind},
                        {"detail", e.detail ? json::value(*e.detail) : json::value(nullptr)}};
}

ApiResponse invalid(std::string problem, TimeMs now) {
    auto res = staff_reply(HttpStatus::bad_request,
                           json::serialize(json::object{{"error", "Check the form: " + problem},
                                                        {"code", "invalid"},
                                                        {"problem", problem}}),
                           now);
    return res;
}

ApiResponse change_reply(store::StaffChange c, TimeMs now) {
    if (c == store::StaffChange::no_such_account)
        return staff_refusal(HttpStatus::not_found, "not_found", "There is no such account.", now);
    return staff_reply(HttpStatus::ok,
                       json::serialize(json::object{{"result", c == store::StaffChange::done ? "done" : "unchanged"}}), now);
}

}  // namespace

std::optional<ApiResponse> StaffApi::Impl::accounts(const StaffRequest& r) {
    constexpr std::string_view base = "/staff/api/accounts";
    if (r.path != base && r.path.rfind("/staff/api/accounts/", 0) != 0) return std::nullopt;
    const TimeMs now = r.now;
    if (r.who.role != store::StaffRole::admin) {
        log.warn("staff_refused", {{"path", std::string(r.path)}, {"reason", "role"}, {"staff_id", r.who.id}});
        return staff_refusal(HttpStatus::forbidden, "forbidden", "Only a hub admin manages staff accounts.", now);
    }
    const bool get = r.http.method == "GET", post = r.http.method == "POST";
    if (r.path == base) {
        if (get) {
            json::array list;
            for (const auto& a : store::list_staff(r.db)) list.push_back(account_json(a));
            return staff_reply(HttpStatus::ok, json::serialize(json::object{{"accounts", std::move(list)}}), now);
        }
        if (!post) return staff_refusal(HttpStatus::method_not_allowed, "method_not_allowed", "Use GET or POST.", now);
        auto body = json_body(r.http);
        if (!body) return invalid("the body must be a JSON object", now);
        auto name = string_member(*body, "name"), email = string_member(*body, "email"),
             role_text = string_member(*body, "role"), password = string_member(*body, "password");
        if (!name || !email || !password) return invalid("name, email and password are needed", now);
        auto role = store::parse_staff_role(role_text.value_or("staff"));
        if (!role) return invalid("role: admin or staff", now);
        store::NewStaffAccount spec{*name, *email, *role};
        if (auto problem = store::staff_account_problem(spec)) return invalid(*problem, now);
        if (auto problem = staff::password_problem(*password)) return invalid("password: " + *problem, now);
        auto ticket = gate.enter();
        if (!ticket) return busy(now);
        try {
            auto added = store::add_staff(r.db, spec, *password, now, staff::production_cost, r.who.id);
            if (!added.id) return staff_refusal(HttpStatus::conflict, "email_taken", "Another account has that email.", now);
            log.info("staff_account", {{"action", "add"}, {"staff_id", *added.id}, {"actor", r.who.id}});
            return staff_reply(HttpStatus::created, json::serialize(json::object{{"id", *added.id}}), now);
        } catch (const std::invalid_argument& e) {
            return invalid(e.what(), now);
        }
    }
    if (r.path == "/staff/api/accounts/audit") {
        if (!get) return staff_refusal(HttpStatus::method_not_allowed, "method_not_allowed", "Use GET.", now);
        json::array list;
        for (const auto& e : store::staff_audit(r.db, std::nullopt)) list.push_back(audit_json(e));
        return staff_reply(HttpStatus::ok, json::serialize(json::object{{"audit", std::move(list)}}), now);
    }
    // /staff/api/accounts/{id}/{action}
    auto rest = r.path.substr(base.size() + 1);
    auto slash = rest.find('/');
    auto id = parse_int(rest.substr(0, slash));
    if (!id || *id <= 0 || slash == std::string_view::npos)
        return staff_refusal(HttpStatus::not_found, "not_found", "No such part of the staff pages.", now);
    auto action = rest.substr(slash + 1);
    if (action != "disable" && action != "enable" && action != "unlock" && action != "password")
        return staff_refusal(HttpStatus::not_found, "not_found", "No such part of the staff pages.", now);
    if (!post) return staff_refusal(HttpStatus::method_not_allowed, "method_not_allowed", "Use POST.", now);
    store::StaffChange result{};
    if (action == "disable") {
        // An admin cannot lock the hub out of its own accounts page by mistake.
        if (*id == r.who.id)
            return staff_refusal(HttpStatus::conflict, "self", "You cannot disable your own account.", now);
        result = store::disable_staff(r.db, *id, now, r.who.id);
    } else if (action == "enable") {
        result = store::enable_staff(r.db, *id, now, r.who.id);
    } else if (action == "unlock") {
        result = store::unlock_staff(r.db, *id, now, r.who.id);
    } else {
        auto body = json_body(r.http);
        auto password = body ? string_member(*body, "password") : std::nullopt;
        if (!password) return invalid("password is needed", now);
        if (auto problem = staff::password_problem(*password)) return invalid("password: " + *problem, now);
        auto ticket = gate.enter();
        if (!ticket) return busy(now);
        try {
            result = store::set_staff_password(r.db, *id, *password, now, staff::production_cost, r.who.id);
        } catch (const std::invalid_argument& e) {
            return invalid(e.what(), now);
        }
    }
    log.info("staff_account", {{"action", std::string(action)},
                               {"staff_id", *id},
                               {"actor", r.who.id},
                               {"result", result == store::StaffChange::done ? "done" : "unchanged"}});
    return change_reply(result, now);
}

}  // namespace muster::server
