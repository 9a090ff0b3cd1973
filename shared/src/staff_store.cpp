#include "muster/store/staff_store.hpp"

#include "muster/model/field_limits.hpp"
#include "muster/register/register_access.hpp"
#include "muster/staff/staff_access.hpp"
#include "muster/util/text.hpp"

#include <stdexcept>

namespace muster::store {
namespace {

using register_access::SecretHash;

// A typed password longer than any accepted one (256 characters of up to 4 bytes) is wrong
// whatever it is; only this much of it is worked on, so a huge body costs no more.
constexpr std::size_t longest_password_bytes = staff::max_password_chars * 4;

constexpr std::string_view account_columns =
    "id, name, email, role, created_ms, password_changed_ms, disabled_ms, locked_until_ms, last_login_ms, failed_logins";

StaffAccount read_account(const db::Statement& r) {
    StaffAccount a;
    a.id = r.int64(0);
    a.name = r.text(1);
    a.email = r.text(2);
    a.role = parse_staff_role(r.text(3)).value_or(StaffRole::staff);
    a.created_ms = r.int64(4);
    a.password_changed_ms = r.int64(5);
    a.disabled_ms = r.opt_int64(6);
    a.locked_until_ms = r.opt_int64(7);
    a.last_login_ms = r.opt_int64(8);
    a.failed_logins = r.int32(9);
    return a;
}

db::Statement& bind_hash(db::Statement& s, int index, const SecretHash& h) {
    s.bind_blob(index, h.data(), h.size());
    return s;
}

void audit(db::Database& db, TimeMs now, std::optional<StaffId> staff, StaffActor actor, std::string_view kind,
           std::optional<std::string> detail = std::nullopt) {
    auto& s = db.cached("INSERT INTO staff_audit (at_ms, staff_id, actor_id, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5)");
    s.bind(1, now).bind(2, staff).bind(3, actor).bind(4, kind).bind(5, detail);
    s.run();
}

bool plausible_email(std::string_view e) {
    auto at = e.find('@');
    if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos) return false;
    auto domain = e.substr(at + 1);
    auto dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 2 > domain.size()) return false;
    for (char c : e)
        if (c == ' ' || c == ',' || c == ';' || c == '<' || c == '>' || c == '"') return false;
    return domain.find("..") == std::string_view::npos;
}

void check_password(std::string_view password) {
    if (auto problem = staff::password_problem(password)) throw std::invalid_argument("password: " + *problem);
}

// Every session of an account ends (disabled, new password): its browsers log in again.
void revoke_sessions(db::Database& db, StaffId id, TimeMs now) {
    auto& s = db.cached("UPDATE staff_sessions SET revoked_ms = ?2 WHERE staff_id = ?1 AND revoked_ms IS NULL");
    s.bind(1, id).bind(2, now);
    s.run();
}

bool account_exists(db::Database& db, StaffId id) {
    auto& s = db.cached("SELECT 1 FROM staff_accounts WHERE id = ?1");
    s.bind(1, id);
    return s.query_one([](const db::Statement&) { return true; }).has_value();
}

std::string minutes_words(TimeMs ms) { return std::to_string(ms / 60'000) + " min"; }

struct LoginRow {
    StaffIdentity who;
    std::string hash;
    std::optional<TimeMs> disabled_ms, locked_until_ms;
};

}  // namespace

std::string_view to_string(StaffRole r) { return r == StaffRole::admin ? "admin" : "staff"; }

std::optional<StaffRole> parse_staff_role(std::string_view text) {
    if (text == "admin") return StaffRole::admin;
    if (text == "staff") return StaffRole::staff;
    return std::nullopt;
}

std::string_view to_string(LoginRefusal r) {
    switch (r) {
        case LoginRefusal::unknown_or_wrong: return "unknown_or_wrong";
        case LoginRefusal::locked: return "locked";
        case LoginRefusal::disabled: return "disabled";
    }
    return "?";
}

std::string_view to_string(StaffSessionRefusal r) {
    switch (r) {
        case StaffSessionRefusal::unknown: return "unknown";
        case StaffSessionRefusal::expired: return "expired";
        case StaffSessionRefusal::revoked: return "revoked";
    }
    return "?";
}

std::string normalise_staff_email(std::string_view email) { return text::to_lower_ascii(text::trim(email)); }

std::optional<std::string> staff_account_problem(const NewStaffAccount& spec) {
    std::string_view name = text::trim(spec.name);
    if (name.empty()) return "name: empty";
    if (auto problem = limits::text_problem(name, limits::name_chars)) return "name: " + *problem;
    std::string email = normalise_staff_email(spec.email);
    if (auto problem = limits::text_problem(email, limits::email_chars)) return "email: " + *problem;
    if (!plausible_email(email)) return "email: not an email address";
    return std::nullopt;
}

StaffAddition add_staff(db::Database& db, const NewStaffAccount& spec, std::string_view password, TimeMs now,
                        const staff::PasswordCost& cost, StaffActor actor) {
    if (auto problem = staff_account_problem(spec)) throw std::invalid_argument(*problem);
    std::string name(text::trim(spec.name));
    std::string email = normalise_staff_email(spec.email);
    check_password(password);
    std::string hash = staff::hash_password(password, cost);  // before the transaction: it takes a while

    db::Transaction tx(db);
    // The column is COLLATE NOCASE on SQLite and citext on PostgreSQL: either way, case-blind.
    auto& taken = db.cached("SELECT 1 FROM staff_accounts WHERE email = ?1");
    taken.bind(1, email);
    if (taken.query_one([](const db::Statement&) { return true; })) return {std::nullopt, StaffAddRefusal::email_taken};
    auto& s = db.cached(
        "INSERT INTO staff_accounts (name, email, role, password_hash, created_ms, password_changed_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING id");
    s.bind(1, name).bind(2, email).bind(3, to_string(spec.role)).bind(4, hash).bind(5, now);
    StaffId id = s.query_one([](const db::Statement& r) { return r.int64(0); }).value_or(0);
    audit(db, now, id, actor, "account_added", "role " + std::string(to_string(spec.role)));
    tx.commit();
    return {id, {}};
}

std::vector<StaffAccount> list_staff(db::Database& db) {
    auto& s = db.cached("SELECT " + std::string(account_columns) + " FROM staff_accounts ORDER BY id");
    return s.query_all(read_account);
}

std::optional<StaffAccount> find_staff(db::Database& db, StaffId id) {
    auto& s = db.cached("SELECT " + std::string(account_columns) + " FROM staff_accounts WHERE id = ?1");
    s.bind(1, id);
    return s.query_one(read_account);
}

StaffChange disable_staff(db::Database& db, StaffId id, TimeMs now, StaffActor actor) {
    db::Transaction tx(db);
    auto& s = db.cached("UPDATE staff_accounts SET disabled_ms = ?2 WHERE id = ?1 AND disabled_ms IS NULL");
    s.bind(1, id).bind(2, now);
    s.run();
    if (db.changes() == 0) return account_exists(db, id) ? StaffChange::unchanged : StaffChange::no_such_account;
    revoke_sessions(db, id, now);
    audit(db, now, id, actor, "account_disabled");
    tx.commit();
    return StaffChange::done;
}

StaffChange enable_staff(db::Database& db, StaffId id, TimeMs now, StaffActor actor) {
    db::Transaction tx(db);
    auto& s = db.cached("UPDATE staff_accounts SET disabled_ms = NULL WHERE id = ?1 AND disabled_ms IS NOT NULL");
    s.bind(1, id);
    s.run();
    if (db.changes() == 0) return account_exists(db, id) ? StaffChange::unchanged : StaffChange::no_such_account;
    audit(db, now, id, actor, "account_enabled");
    tx.commit();
    return StaffChange::done;
}

StaffChange set_staff_password(db::Database& db, StaffId id, std::string_view password, TimeMs now,
                               const staff::PasswordCost& cost, StaffActor actor) {
    check_password(password);
    if (!account_exists(db, id)) return StaffChange::no_such_account;  // before the slow hash
    std::string hash = staff::hash_password(password, cost);
    db::Transaction tx(db);
    auto& s = db.cached(
        "UPDATE staff_accounts SET password_hash = ?2, password_changed_ms = ?3, failed_logins = 0, "
        "locked_until_ms = NULL WHERE id = ?1");
    s.bind(1, id).bind(2, hash).bind(3, now);
    s.run();
    if (db.changes() == 0) return StaffChange::no_such_account;
    revoke_sessions(db, id, now);
    audit(db, now, id, actor, "password_changed");
    tx.commit();
    return StaffChange::done;
}

StaffChange unlock_staff(db::Database& db, StaffId id, TimeMs now, StaffActor actor) {
    db::Transaction tx(db);
    auto& s = db.cached(
        "UPDATE staff_accounts SET failed_logins = 0, locked_until_ms = NULL "
        "WHERE id = ?1 AND (failed_logins > 0 OR locked_until_ms IS NOT NULL)");
    s.bind(1, id);
    s.run();
    if (db.changes() == 0) return account_exists(db, id) ? StaffChange::unchanged : StaffChange::no_such_account;
    audit(db, now, id, actor, "unlocked");
    tx.commit();
    return StaffChange::done;
}

LoginResult login(db::Database& db, std::string_view email, std::string_view password, TimeMs now,
                  const staff::PasswordCost& cost) {
    const bool oversized = password.size() > longest_password_bytes;
    if (oversized) password = password.substr(0, longest_password_bytes);
    const LoginResult wrong{std::nullopt, LoginRefusal::unknown_or_wrong, std::nullopt};

    auto& find = db.cached(
        "SELECT id, name, role, password_hash, disabled_ms, locked_until_ms FROM staff_accounts WHERE email = ?1");
    find.bind(1, normalise_staff_email(email));
    auto row = find.query_one([](const db::Statement& r) {
        return LoginRow{{r.int64(0), r.text(1), parse_staff_role(r.text(2)).value_or(StaffRole::staff)},
                        r.text(3), r.opt_int64(4), r.opt_int64(5)};
    });
    if (!row) {
        // The same Argon2 work as a wrong password, so the time taken says nothing either.
        staff::verify_nothing(password, cost);
        audit(db, now, std::nullopt, std::nullopt, "login_failed", "no such account");
        return wrong;
    }
    // Locked: no password is tried (the lock is what stops the guessing), none is counted.
    if (row->locked_until_ms && now < *row->locked_until_ms) return {std::nullopt, LoginRefusal::locked, row->locked_until_ms};

    bool right = staff::verify_password(password, row->hash) && !oversized;
    if (!right) {
        // Counted and locked in one write transaction, so failures told apart by two server
        // processes at once are both counted (on PostgreSQL the transaction's lock serializes
        // them as SQLite's one writer does). Locked meanwhile by another attempt: this one is
        // not counted, as if it had come after.
        db::Transaction tx(db);
        auto& count = db.cached(
            "UPDATE staff_accounts SET failed_logins = failed_logins + 1 "
            "WHERE id = ?1 AND (locked_until_ms IS NULL OR locked_until_ms <= ?2) RETURNING failed_logins");
        count.bind(1, row->who.id).bind(2, now);
        auto counted = count.query_one([](const db::Statement& r) { return r.int32(0); });
        if (!counted) {
            auto& until = db.cached("SELECT locked_until_ms FROM staff_accounts WHERE id = ?1");
            until.bind(1, row->who.id);
            auto locked_until = until.query_one([](const db::Statement& r) { return r.opt_int64(0); });
            if (locked_until && *locked_until) return {std::nullopt, LoginRefusal::locked, *locked_until};
            return wrong;  // the account went meanwhile
        }
        int failures = *counted;
        audit(db, now, row->who.id, std::nullopt, "login_failed", "failure " + std::to_string(failures));
        if (TimeMs lock = staff::lock_after(failures); lock > 0) {
            auto& locked = db.cached("UPDATE staff_accounts SET locked_until_ms = ?2 WHERE id = ?1");
            locked.bind(1, row->who.id).bind(2, now + lock);
            locked.run();
            audit(db, now, row->who.id, std::nullopt, "locked", "for " + minutes_words(lock));
        }
        tx.commit();
        return wrong;
    }
    if (row->disabled_ms) {
        audit(db, now, row->who.id, std::nullopt, "login_failed", "account disabled");
        return {std::nullopt, LoginRefusal::disabled, std::nullopt};
    }

    // A hash of another cost (an older setting) is replaced now, while the password is at hand.
    std::optional<std::string> rehash;
    if (staff::cost_of(row->hash) != cost) rehash = staff::hash_password(password, cost);

    db::Transaction tx(db);
    // Only if the row is still what was judged: not disabled or locked meanwhile, nor given a
    // new password (by another process) since the one just verified.
    auto& ok = db.cached(
        "UPDATE staff_accounts SET failed_logins = 0, locked_until_ms = NULL, last_login_ms = ?2, "
        "password_hash = COALESCE(?4, password_hash) "
        "WHERE id = ?1 AND password_hash = ?3 AND disabled_ms IS NULL AND (locked_until_ms IS NULL OR locked_until_ms <= ?2)");
    ok.bind(1, row->who.id).bind(2, now).bind(3, row->hash).bind(4, rehash);
    ok.run();
    if (db.changes() == 0) return wrong;  // changed under us: the caller tries again and is told what holds now

    NewStaffSession session;
    session.cookie_value = register_access::make_cookie_value();
    session.csrf_token = staff::csrf_token_for(session.cookie_value);
    session.who = row->who;
    session.expires_ms = now + staff::session_absolute_ms;
    auto& insert = db.cached(
        "INSERT INTO staff_sessions (session_hash, staff_id, created_ms, last_seen_ms, expires_ms) VALUES (?1, ?2, ?3, ?3, ?4)");
    bind_hash(insert, 1, register_access::hash_secret(session.cookie_value));
    insert.bind(2, row->who.id).bind(3, now).bind(4, session.expires_ms);
    insert.run();
    // Sessions over for a day are of no more use (their "revoked" or "expired" has been told).
    auto& prune = db.cached("DELETE FROM staff_sessions WHERE staff_id = ?1 AND expires_ms < ?2");
    prune.bind(1, row->who.id).bind(2, now - TimeMs{24} * 3'600'000);
    prune.run();
    audit(db, now, row->who.id, std::nullopt, "login_ok");
    tx.commit();
    return {std::move(session), {}, std::nullopt};
}

StaffSessionCheck check_staff_session(db::Database& db, std::string_view cookie_value, TimeMs now) {
    auto session_hash = register_access::parse_secret(cookie_value);
    if (!session_hash) return {std::nullopt, {}, StaffSessionRefusal::unknown};
    auto& find = db.cached(
        "SELECT a.id, a.name, a.role, s.last_seen_ms, s.expires_ms, s.revoked_ms IS NOT NULL OR a.disabled_ms IS NOT NULL "
        "FROM staff_sessions s JOIN staff_accounts a ON a.id = s.staff_id WHERE s.session_hash = ?1");
    bind_hash(find, 1, *session_hash);
    struct Row {
        StaffIdentity who;
        TimeMs last_seen_ms = 0, expires_ms = 0;
        bool revoked = false;
    };
    auto row = find.query_one([](const db::Statement& r) {
        return Row{{r.int64(0), r.text(1), parse_staff_role(r.text(2)).value_or(StaffRole::staff)}, r.int64(3), r.int64(4),
                   r.int64(5) != 0};
    });
    if (!row) return {std::nullopt, {}, StaffSessionRefusal::unknown};
    if (row->revoked) return {std::nullopt, {}, StaffSessionRefusal::revoked};
    if (now >= row->expires_ms || now - row->last_seen_ms >= staff::session_idle_ms)
        return {std::nullopt, {}, StaffSessionRefusal::expired};

    if (now - row->last_seen_ms >= staff::session_touch_ms) {
        auto& seen = db.cached("UPDATE staff_sessions SET last_seen_ms = ?2 WHERE session_hash = ?1");
        bind_hash(seen, 1, *session_hash).bind(2, now);
        seen.run();
    }
    return {std::move(row->who), staff::csrf_token_for(cookie_value), {}};
}

bool logout(db::Database& db, std::string_view cookie_value, TimeMs now) {
    auto session_hash = register_access::parse_secret(cookie_value);
    if (!session_hash) return false;
    db::Transaction tx(db);
    auto& s = db.cached("UPDATE staff_sessions SET revoked_ms = ?2 WHERE session_hash = ?1 AND revoked_ms IS NULL RETURNING staff_id");
    bind_hash(s, 1, *session_hash).bind(2, now);
    auto staff_id = s.query_one([](const db::Statement& r) { return r.int64(0); });
    if (!staff_id) return false;
    audit(db, now, *staff_id, std::nullopt, "logout");
    tx.commit();
    return true;
}

std::vector<StaffAuditEntry> staff_audit(db::Database& db, std::optional<StaffId> about) {
    auto& s = db.cached(
        "SELECT id, at_ms, staff_id, actor_id, kind, detail FROM staff_audit WHERE CAST(?1 AS BIGINT) IS NULL OR staff_id = ?1 ORDER BY id");
    s.bind(1, about);
    return s.query_all([](const db::Statement& r) {
        return StaffAuditEntry{r.int64(0), r.int64(1), r.opt_int64(2), r.opt_int64(3), r.text(4), r.opt_text(5)};
    });
}

}  // namespace muster::store
