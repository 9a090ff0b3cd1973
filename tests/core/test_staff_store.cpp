// Hub staff accounts and sessions in a real hub database (docs/staff.md): lockout with
// back-off on an injected clock, one refusal for an unknown email and a wrong password,
// disabled accounts, idle and absolute session expiry, forged cookies, CSRF tokens, audit.
// Argon2 at staff::test_cost throughout, passed explicitly.
#include "temp_dir.hpp"
#include "test_database.hpp"

#include "muster/register/register_access.hpp"
#include "muster/staff/staff_access.hpp"
#include "muster/store/schema.hpp"
#include "muster/store/staff_store.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <latch>
#include <set>
#include <sstream>
#include <thread>

using namespace muster;

namespace {

constexpr TimeMs minute = 60'000;
constexpr TimeMs start = 1'790'000'000'000;  // an instant in 2026
const std::string good = "plum orchard at noon";

struct StaffHub {
    test::TempDir dir;
    test::TestDatabase database{dir};  // SQLite, or PostgreSQL in the engines' second run
    std::unique_ptr<db::Database> db = store::open_database(database.location());

    store::StaffId add(const std::string& email, store::StaffRole role = store::StaffRole::staff) {
        auto added = store::add_staff(*db, {"Ann Example", email, role}, good, start, staff::test_cost, std::nullopt);
        REQUIRE(added.id);
        return *added.id;
    }
    store::LoginResult login(const std::string& email, const std::string& password, TimeMs now) {
        return store::login(*db, email, password, now, staff::test_cost);
    }
};

std::vector<std::string> kinds(const std::vector<store::StaffAuditEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.kind);
    return out;
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("an account is added with its email folded and listed without its hash", "[staff][store][engines]") {
    StaffHub hub;
    auto added = store::add_staff(*hub.db, {"  Ann Example ", "  Ann@Hub.Example.org ", store::StaffRole::admin}, good, start,
                                  staff::test_cost, std::nullopt);
    REQUIRE(added.id);
    auto listed = store::list_staff(*hub.db);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].name == "Ann Example");
    CHECK(listed[0].email == "ann@hub.example.org");
    CHECK(listed[0].role == store::StaffRole::admin);
    CHECK_FALSE(listed[0].disabled_ms);
    CHECK(listed[0].password_changed_ms == start);

    // One account per email, whatever its case.
    auto again = store::add_staff(*hub.db, {"Other", "ANN@hub.example.ORG", store::StaffRole::staff}, good, start,
                                  staff::test_cost, std::nullopt);
    CHECK_FALSE(again.id);
    CHECK(again.refusal == store::StaffAddRefusal::email_taken);

    CHECK(store::staff_audit(*hub.db, *added.id).at(0).kind == "account_added");
    CHECK(store::staff_audit(*hub.db, *added.id).at(0).detail == "role admin");
}

TEST_CASE("an account with a bad name, email or password is refused naming the field", "[staff][store][engines]") {
    StaffHub hub;
    auto add = [&](std::string name, std::string email, std::string password) {
        return store::add_staff(*hub.db, {std::move(name), std::move(email), store::StaffRole::staff}, password, start,
                                staff::test_cost, std::nullopt);
    };
    CHECK_THROWS_WITH(add("", "a@hub.org", good), "name: empty");
    CHECK_THROWS_WITH(add(std::string(101, 'n'), "a@hub.org", good), Catch::Contains("name: longer than 100"));
    CHECK_THROWS_WITH(add("Ann", "not an email", good), "email: not an email address");
    CHECK_THROWS_WITH(add("Ann", "a@b@hub.org", good), "email: not an email address");
    CHECK_THROWS_WITH(add("Ann", "a@hub.org", "short one"), "password: shorter than 12 characters");
    CHECK_THROWS_WITH(add("Ann", "a@hub.org", "password1234"), "password: one of the most common passwords");
    CHECK(store::list_staff(*hub.db).empty());
}

TEST_CASE("the hash is Argon2id and neither the password nor the email is in the audit", "[staff][store][engines]") {
    StaffHub hub;
    auto id = hub.add("ann@hub.org");
    REQUIRE(hub.login("ann@hub.org", good, start).session);
    CHECK_FALSE(hub.login("ann@hub.org", "wrong password here", start).session);
    CHECK_FALSE(hub.login("plum orchard at noon@typed-in-email-box", "x", start).session);
    auto hash = hub.db->prepare("SELECT password_hash FROM staff_accounts WHERE id = ?1").bind(1, id).query_one(
        [](const db::Statement& r) { return r.text(0); });
    CHECK(hash.value_or("").rfind("$argon2id$v=19$", 0) == 0);
    for (const auto& e : store::staff_audit(*hub.db, std::nullopt)) {
        std::string detail = e.detail.value_or("");
        CHECK(detail.find("plum") == std::string::npos);
        CHECK(detail.find("wrong") == std::string::npos);
        CHECK(detail.find('@') == std::string::npos);
    }
    hub.db.reset();
    // On SQLite the hub is one file to look through; PostgreSQL's files are the server's.
    if (!hub.database.on_postgresql()) CHECK(file_bytes(hub.dir.file("hub.db")).find(good) == std::string::npos);
}

TEST_CASE("an unknown email and a wrong password get the same refusal", "[staff][store][engines]") {
    StaffHub hub;
    hub.add("ann@hub.org");
    auto unknown = hub.login("nobody@hub.org", good, start);
    auto wrong = hub.login("ann@hub.org", "not the password", start);
    CHECK_FALSE(unknown.session);
    CHECK_FALSE(wrong.session);
    CHECK(unknown.refusal == store::LoginRefusal::unknown_or_wrong);
    CHECK(wrong.refusal == store::LoginRefusal::unknown_or_wrong);
    CHECK_FALSE(unknown.locked_until_ms);
    CHECK_FALSE(wrong.locked_until_ms);
    // The email is matched whatever its case and spaces.
    CHECK(hub.login("  ANN@Hub.org", good, start).session);
    // A password of any length is only wrong (no error, no extra work beyond its first 1 KiB).
    CHECK(hub.login("ann@hub.org", std::string(1'000'000, 'p'), start).refusal == store::LoginRefusal::unknown_or_wrong);
}

TEST_CASE("five wrong passwords lock the account for a minute, and each further one doubles the lock", "[staff][store][lockout][engines]") {
    StaffHub hub;
    auto id = hub.add("ann@hub.org");
    TimeMs now = start;
    for (int i = 1; i <= 4; ++i) {
        CHECK(hub.login("ann@hub.org", "not the password", now).refusal == store::LoginRefusal::unknown_or_wrong);
        CHECK_FALSE(store::find_staff(*hub.db, id)->locked_until_ms);
    }
    CHECK(hub.login("ann@hub.org", "not the password", now).refusal == store::LoginRefusal::unknown_or_wrong);
    CHECK(store::find_staff(*hub.db, id)->locked_until_ms == now + minute);

    // While locked, even the right password is refused, and no attempt is counted.
    auto locked = hub.login("ann@hub.org", good, now + 59'999);
    CHECK_FALSE(locked.session);
    CHECK(locked.refusal == store::LoginRefusal::locked);
    CHECK(locked.locked_until_ms == now + minute);
    CHECK(hub.login("ann@hub.org", "not the password", now + 30'000).refusal == store::LoginRefusal::locked);
    CHECK(store::find_staff(*hub.db, id)->failed_logins == 5);

    // After the lock, each wrong password locks again for twice as long: 2, 4, 8, 16, 32 min, then 1 h at most.
    now += minute;
    TimeMs expected = 2 * minute;
    for (int failure = 6; failure <= 12; ++failure) {
        CHECK(hub.login("ann@hub.org", "not the password", now).refusal == store::LoginRefusal::unknown_or_wrong);
        auto until = store::find_staff(*hub.db, id)->locked_until_ms;
        REQUIRE(until);
        CHECK(*until - now == std::min(expected, 60 * minute));
        CHECK(hub.login("ann@hub.org", good, *until - 1).refusal == store::LoginRefusal::locked);
        now = *until;
        expected *= 2;
    }

    // The right password after the lock logs in and starts the count again.
    auto in = hub.login("ann@hub.org", good, now);
    REQUIRE(in.session);
    auto account = store::find_staff(*hub.db, id);
    CHECK(account->failed_logins == 0);
    CHECK_FALSE(account->locked_until_ms);
    CHECK(account->last_login_ms == now);
    for (int i = 1; i <= 4; ++i) hub.login("ann@hub.org", "not the password", now);
    CHECK_FALSE(store::find_staff(*hub.db, id)->locked_until_ms);

    auto audit = kinds(store::staff_audit(*hub.db, id));
    CHECK(std::count(audit.begin(), audit.end(), "locked") == 8);
    CHECK(std::count(audit.begin(), audit.end(), "login_ok") == 1);
}

TEST_CASE("the lock rule: none below five failures, one minute at five, doubling to an hour", "[staff][lockout]") {
    CHECK(staff::lock_after(0) == 0);
    CHECK(staff::lock_after(4) == 0);
    CHECK(staff::lock_after(5) == 60'000);
    CHECK(staff::lock_after(6) == 120'000);
    CHECK(staff::lock_after(10) == 32 * 60'000);
    CHECK(staff::lock_after(11) == 60 * 60'000);
    CHECK(staff::lock_after(1000) == 60 * 60'000);
}

TEST_CASE("failed logins told apart on two connections at once are each counted once", "[staff][store][lockout][engines]") {
    // Two server processes in front of one hub (on PostgreSQL, docs/scale.md): each has its
    // own connection, and a guesser's attempts reach both at once.
    StaffHub hub;
    auto id = hub.add("ann@hub.org");
    auto other = store::open_database(hub.database.location());
    // Each attempt two hours after the one before (a lock is an hour at most), so most are
    // counted; one that finds the account locked by an attempt of a later instant is not.
    std::atomic<int> tick{0};
    constexpr int attempts = 15;
    std::atomic<int> counted{0}, locked{0}, other_refusals{0};
    std::latch go(2);
    auto guesser = [&](db::Database& db) {
        go.arrive_and_wait();
        for (int i = 0; i < attempts; ++i) {
            TimeMs now = start + TimeMs{tick++} * 120 * minute;
            auto r = store::login(db, "ann@hub.org", "not the password", now, staff::test_cost);
            if (r.session) other_refusals++;
            else if (r.refusal == store::LoginRefusal::unknown_or_wrong) counted++;
            else if (r.refusal == store::LoginRefusal::locked) locked++;
            else other_refusals++;
        }
    };
    std::thread first([&] { guesser(*hub.db); });
    std::thread second([&] { guesser(*other); });
    first.join();
    second.join();

    const int wrong = counted.load();
    CHECK(other_refusals.load() == 0);
    CHECK(wrong + locked.load() == 2 * attempts);
    CHECK(wrong >= attempts);
    // No failure lost: the counter is the number told "wrong", and each was told its own number.
    CHECK(store::find_staff(*other, id)->failed_logins == wrong);
    std::set<std::string> numbers;
    int failures = 0;
    for (const auto& e : store::staff_audit(*hub.db, id))
        if (e.kind == "login_failed") {
            ++failures;
            numbers.insert(e.detail.value_or(""));
        }
    CHECK(failures == wrong);
    CHECK(numbers.size() == static_cast<std::size_t>(wrong));
    CHECK(numbers.count("failure " + std::to_string(wrong)) == 1);
    CHECK(store::find_staff(*hub.db, id)->locked_until_ms);
}

TEST_CASE("unlock lifts a lock and a new password does too", "[staff][store][lockout][engines]") {
    StaffHub hub;
    auto id = hub.add("ann@hub.org");
    for (int i = 0; i < 5; ++i) hub.login("ann@hub.org", "not the password", start);
    REQUIRE(hub.login("ann@hub.org", good, start).refusal == store::LoginRefusal::locked);
    CHECK(store::unlock_staff(*hub.db, id, start, std::nullopt) == store::StaffChange::done);
    CHECK(store::unlock_staff(*hub.db, id, start, std::nullopt) == store::StaffChange::unchanged);
    CHECK(store::unlock_staff(*hub.db, id + 99, start, std::nullopt) == store::StaffChange::no_such_account);
    CHECK(hub.login("ann@hub.org", good, start).session);

    for (int i = 0; i < 5; ++i) hub.login("ann@hub.org", "not the password", start);
    REQUIRE(hub.login("ann@hub.org", good, start).refusal == store::LoginRefusal::locked);
    const std::string fresh = "a new password at last";
    CHECK(store::set_staff_password(*hub.db, id, fresh, start, staff::test_cost, std::nullopt) == store::StaffChange::done);
    CHECK(hub.login("ann@hub.org", good, start).refusal == store::LoginRefusal::unknown_or_wrong);
    CHECK(hub.login("ann@hub.org", fresh, start).session);
    CHECK_THROWS_WITH(store::set_staff_password(*hub.db, id, "short", start, staff::test_cost, std::nullopt),
                      "password: shorter than 12 characters");
}

TEST_CASE("a disabled account is refused, told only with its right password, and its sessions end", "[staff][store][engines]") {
    StaffHub hub;
    auto id = hub.add("ann@hub.org");
    auto in = hub.login("ann@hub.org", good, start);
    REQUIRE(in.session);
    CHECK(store::disable_staff(*hub.db, id, start + minute, std::nullopt) == store::StaffChange::done);
    CHECK(store::disable_staff(*hub.db, id, start + minute, std::nullopt) == store::StaffChange::unchanged);

    CHECK(store::check_staff_session(*hub.db, in.session->cookie_value, start + minute).refusal ==
          store::StaffSessionRefusal::revoked);
    CHECK(hub.login("ann@hub.org", good, start + minute).refusal == store::LoginRefusal::disabled);
    CHECK(hub.login("ann@hub.org", "not the password", start + minute).refusal == store::LoginRefusal::unknown_or_wrong);

    CHECK(store::enable_staff(*hub.db, id, start + 2 * minute, std::nullopt) == store::StaffChange::done);
    CHECK(store::enable_staff(*hub.db, id, start + 2 * minute, std::nullopt) == store::StaffChange::unchanged);
    // Enabling does not bring back the old session; a new login is needed.
    CHECK_FALSE(store::check_staff_session(*hub.db, in.session->cookie_value, start + 2 * minute).who);
    CHECK(hub.login("ann@hub.org", good, start + 2 * minute).session);
    auto audit = kinds(store::staff_audit(*hub.db, id));
    CHECK(std::find(audit.begin(), audit.end(), "account_disabled") != audit.end());
    CHECK(std::find(audit.begin(), audit.end(), "account_enabled") != audit.end());
}

TEST_CASE("a session ends 30 minutes idle or 12 hours after login, and use keeps it alive in between", "[staff][store][session][engines]") {
    StaffHub hub;
    hub.add("ann@hub.org", store::StaffRole::admin);
    auto in = hub.login("ann@hub.org", good, start);
    REQUIRE(in.session);
    const std::string cookie = in.session->cookie_value;
    CHECK(in.session->expires_ms == start + 12 * 60 * minute);
    CHECK(in.session->who.role == store::StaffRole::admin);

    // Idle: 29:59 after login it holds; a fresh session left 30:00 is over.
    auto held = store::check_staff_session(*hub.db, cookie, start + 30 * minute - 1);
    REQUIRE(held.who);
    CHECK(held.who->name == "Ann Example");
    CHECK(held.csrf_token == in.session->csrf_token);

    // Used every 20 minutes, it lives to its 12th hour and no further.
    TimeMs now = start + 30 * minute - 1;
    while (now + 20 * minute < start + 12 * 60 * minute) {
        now += 20 * minute;
        CHECK(store::check_staff_session(*hub.db, cookie, now).who);
    }
    CHECK(store::check_staff_session(*hub.db, cookie, start + 12 * 60 * minute).refusal == store::StaffSessionRefusal::expired);

    auto other = hub.login("ann@hub.org", good, start);
    REQUIRE(other.session);
    CHECK(store::check_staff_session(*hub.db, other.session->cookie_value, start + 30 * minute).refusal ==
          store::StaffSessionRefusal::expired);
}

TEST_CASE("a forged, tampered or logged-out cookie is refused", "[staff][store][session][engines]") {
    StaffHub hub;
    hub.add("ann@hub.org");
    auto in = hub.login("ann@hub.org", good, start);
    REQUIRE(in.session);
    std::string cookie = in.session->cookie_value;
    CHECK(cookie.size() == register_access::secret_chars);

    std::string tampered = cookie;
    tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
    CHECK(store::check_staff_session(*hub.db, tampered, start).refusal == store::StaffSessionRefusal::unknown);
    CHECK(store::check_staff_session(*hub.db, register_access::make_cookie_value(), start).refusal ==
          store::StaffSessionRefusal::unknown);
    for (std::string bad : {std::string(), cookie + "A", cookie.substr(1), std::string("' OR 1=1 --"), cookie.substr(0, 42) + "%"})
        CHECK(store::check_staff_session(*hub.db, bad, start).refusal == store::StaffSessionRefusal::unknown);
    // The database holds the hash, not the value: the value read from it would be no use.
    auto stored = hub.db->prepare("SELECT session_hash FROM staff_sessions").query_one([](const db::Statement& r) { return r.blob(0); });
    CHECK(stored.value_or("").size() == 32);
    CHECK(stored != cookie);

    CHECK(store::logout(*hub.db, cookie, start + minute));
    CHECK_FALSE(store::logout(*hub.db, cookie, start + minute));
    CHECK(store::check_staff_session(*hub.db, cookie, start + minute).refusal == store::StaffSessionRefusal::revoked);
}

TEST_CASE("a new password ends the account's sessions", "[staff][store][session][engines]") {
    StaffHub hub;
    auto id = hub.add("ann@hub.org");
    auto in = hub.login("ann@hub.org", good, start);
    REQUIRE(in.session);
    REQUIRE(store::set_staff_password(*hub.db, id, "a new password at last", start, staff::test_cost, std::nullopt) ==
            store::StaffChange::done);
    CHECK(store::check_staff_session(*hub.db, in.session->cookie_value, start).refusal == store::StaffSessionRefusal::revoked);
}

TEST_CASE("the CSRF token is the session's own and checked in full", "[staff][csrf]") {
    auto value = register_access::make_cookie_value();
    auto token = staff::csrf_token_for(value);
    CHECK(token.size() == register_access::secret_chars);
    CHECK(staff::csrf_matches(value, token));
    CHECK_FALSE(staff::csrf_matches(register_access::make_cookie_value(), token));
    CHECK_FALSE(staff::csrf_matches(value, ""));
    std::string tampered = token;
    tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
    CHECK_FALSE(staff::csrf_matches(value, tampered));
    // Not the live register's token for the same value: one session kind cannot act as the other.
    CHECK(token != register_access::csrf_token_for(value));
    CHECK_FALSE(staff::csrf_matches(value, register_access::csrf_token_for(value)));
    CHECK(staff::csrf_token_for("not a cookie").empty());
    CHECK_FALSE(staff::csrf_matches("not a cookie", token));
}

TEST_CASE("the staff cookie is HttpOnly, Secure, SameSite=Strict under /staff/", "[staff][cookie]") {
    auto value = register_access::make_cookie_value();
    CHECK(staff::set_cookie_header(value, 0, 12 * 3'600'000) ==
          "muster_staff=" + value + "; Path=/staff/; HttpOnly; Secure; SameSite=Strict; Max-Age=43200");
    CHECK_THROWS_AS(staff::set_cookie_header("x; Domain=evil.example", 0, 1000), std::invalid_argument);
    CHECK(staff::clear_cookie_header() == "muster_staff=; Path=/staff/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
    CHECK(staff::cookie_value_in("a=1; muster_staff=" + value + "; b=2") == value);
    CHECK_FALSE(staff::cookie_value_in("muster_register=" + value));
    CHECK_FALSE(staff::cookie_value_in("muster_staff=1; muster_staff=2"));
}

TEST_CASE("a good login with a hash of another cost stores a hash of the hub's cost", "[staff][store][engines]") {
    StaffHub hub;
    auto id = hub.add("ann@hub.org");
    const staff::PasswordCost other{2, 16, 1};
    REQUIRE(store::login(*hub.db, "ann@hub.org", good, start, other).session);
    auto hash = hub.db->prepare("SELECT password_hash FROM staff_accounts WHERE id = ?1").bind(1, id).query_one(
        [](const db::Statement& r) { return r.text(0); });
    CHECK(staff::cost_of(hash.value_or("")) == other);
    CHECK(store::login(*hub.db, "ann@hub.org", good, start, other).session);
}
