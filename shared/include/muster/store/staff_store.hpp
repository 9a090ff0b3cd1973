#pragma once
// Hub staff accounts, their sessions and the audit of both (docs/staff.md). Passwords are
// kept as Argon2id hashes (muster/staff/staff_password.hpp) and sessions as SHA-256 hashes of
// their cookie values, looked up by those hashes. Nothing here logs: no password, cookie
// value or email may reach a log. Every Argon2 cost is an explicit parameter: the programs
// pass staff::production_cost, tests may pass staff::test_cost.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"
#include "muster/staff/staff_password.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace muster::store {

using StaffId = std::int64_t;

// admin: manages accounts, links and sign-off; staff: reconciles.
enum class StaffRole { admin, staff };
std::string_view to_string(StaffRole r);
std::optional<StaffRole> parse_staff_role(std::string_view text);

// An account as listed: never its hash.
struct StaffAccount {
    StaffId id = 0;
    std::string name, email;
    StaffRole role = StaffRole::staff;
    TimeMs created_ms = 0, password_changed_ms = 0;
    std::optional<TimeMs> disabled_ms, locked_until_ms, last_login_ms;
    int failed_logins = 0;
};

// Who did it: an admin's account on the staff pages, or nullopt for the hub's terminal.
using StaffActor = std::optional<StaffId>;

// ---- accounts ----
struct NewStaffAccount {
    std::string name;   // 1..100 characters, no control characters
    std::string email;  // an address; kept trimmed and in lower case
    StaffRole role = StaffRole::staff;
};
// The email as stored and looked up: trimmed, ASCII letters in lower case.
std::string normalise_staff_email(std::string_view email);

// What is wrong with a new account's name or email ("name: empty", "email: not an email
// address"), or nullopt: what add_staff checks first, for callers that ask before the password.
std::optional<std::string> staff_account_problem(const NewStaffAccount& spec);

enum class StaffAddRefusal { email_taken };
struct StaffAddition {
    std::optional<StaffId> id;
    StaffAddRefusal refusal{};  // when !id
};
// Adds an account. Throws std::invalid_argument naming the field ("name: ...", "email: ...",
// "password: shorter than 12 characters") when one is not acceptable.
StaffAddition add_staff(db::Database& db, const NewStaffAccount& spec, std::string_view password, TimeMs now,
                        const staff::PasswordCost& cost, StaffActor actor);

std::vector<StaffAccount> list_staff(db::Database& db);
std::optional<StaffAccount> find_staff(db::Database& db, StaffId id);

enum class StaffChange { done, unchanged, no_such_account };
// Disabling ends the account's sessions and refuses its logins; enabling lets it log in again.
StaffChange disable_staff(db::Database& db, StaffId id, TimeMs now, StaffActor actor);
StaffChange enable_staff(db::Database& db, StaffId id, TimeMs now, StaffActor actor);
// A new password (password_problem checked; std::invalid_argument "password: ..."): ends the
// account's sessions and lifts any lock.
StaffChange set_staff_password(db::Database& db, StaffId id, std::string_view password, TimeMs now,
                               const staff::PasswordCost& cost, StaffActor actor);
// Lifts a lock and starts the count of wrong passwords again (`unchanged` when there was none).
StaffChange unlock_staff(db::Database& db, StaffId id, TimeMs now, StaffActor actor);

// ---- logging in, sessions ----
// unknown_or_wrong is one answer for an email with no account and a wrong password (no one
// learns which emails have accounts), and takes the same Argon2 work. A disabled account is
// told only to someone who gave its right password. While locked, no password is tried.
enum class LoginRefusal { unknown_or_wrong, locked, disabled };
std::string_view to_string(LoginRefusal r);

struct StaffIdentity {
    StaffId id = 0;
    std::string name;
    StaffRole role = StaffRole::staff;
};
struct NewStaffSession {
    std::string cookie_value;  // for Set-Cookie only (staff::set_cookie_header)
    std::string csrf_token;    // for the page; every form carries it
    StaffIdentity who;
    TimeMs expires_ms = 0;     // absolute end (12 h); the idle end moves with use
};
struct LoginResult {
    std::optional<NewStaffSession> session;
    LoginRefusal refusal{};                // when !session
    std::optional<TimeMs> locked_until_ms;  // when refusal == locked
};
// The Argon2 work happens outside any transaction; the writes after it are checked against
// the row as it is then (a password changed or an account disabled meanwhile refuses). A good
// login stores a new hash when the stored one was made with another cost than `cost`.
LoginResult login(db::Database& db, std::string_view email, std::string_view password, TimeMs now,
                  const staff::PasswordCost& cost);

// A malformed cookie value is `unknown`, refused before any lookup. `revoked`: logged out,
// or the account disabled or its password changed since. `expired`: idle 30 min or 12 h old.
enum class StaffSessionRefusal { unknown, expired, revoked };
std::string_view to_string(StaffSessionRefusal r);
struct StaffSessionCheck {
    std::optional<StaffIdentity> who;
    std::string csrf_token;  // the session's, for the page (and staff::csrf_matches on a POST)
    StaffSessionRefusal refusal{};  // when !who
};
// The session a cookie value belongs to; moves its last_seen_ms on (at most once a minute).
StaffSessionCheck check_staff_session(db::Database& db, std::string_view cookie_value, TimeMs now);
// Ends the session (true), or false when the value names no session still open.
bool logout(db::Database& db, std::string_view cookie_value, TimeMs now);

// ---- audit ----
struct StaffAuditEntry {
    std::int64_t id = 0;
    TimeMs at_ms = 0;
    std::optional<StaffId> staff_id, actor_id;
    std::string kind;  // account_added, account_disabled, ..., login_ok, login_failed, locked, logout
    std::optional<std::string> detail;
};
// Oldest first; every entry, or those about one account.
std::vector<StaffAuditEntry> staff_audit(db::Database& db, std::optional<StaffId> about);

}  // namespace muster::store
