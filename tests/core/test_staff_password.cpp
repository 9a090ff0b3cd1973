// Hub staff passwords (docs/staff.md): which are accepted, Argon2id hashes in PHC form, and
// verification. Most cases use staff::test_cost; one hashes at the hub's own cost.
#include "muster/staff/staff_password.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using namespace muster;

TEST_CASE("a password is refused when short, too long, common or one character repeated", "[staff][password]") {
    CHECK(staff::password_problem("") == "shorter than 12 characters");
    CHECK(staff::password_problem("eleven char") == "shorter than 12 characters");
    // Characters, not bytes: eleven accented letters are 22 bytes and still too short.
    CHECK(staff::password_problem("ééééééééééa") == "shorter than 12 characters");
    CHECK(staff::password_problem("Password1234") == "one of the most common passwords");
    CHECK(staff::password_problem("QWERTY123456") == "one of the most common passwords");
    CHECK(staff::password_problem("aaaaaaaaaaaaaa") == "one character repeated");
    CHECK(staff::password_problem("€€€€€€€€€€€€") == "one character repeated");
    CHECK(staff::password_problem(std::string(257, 'x') + "y").value_or("").find("longer than 256") != std::string::npos);
    CHECK(staff::password_problem("tab\tinside password").value_or("").find("control") != std::string::npos);
    CHECK(staff::password_problem(std::string("nul\0inside password", 20)).has_value());
    CHECK(staff::password_problem("\xff\xfe not utf-8 at all").has_value());

    CHECK_FALSE(staff::password_problem("twelve chars"));
    CHECK_FALSE(staff::password_problem("plum orchard at noon"));
    CHECK_FALSE(staff::password_problem("ééééééééééab"));
    CHECK_FALSE(staff::password_problem(std::string(255, 'x') + "y"));
}

TEST_CASE("a hash is Argon2id PHC text that verifies its password only", "[staff][password]") {
    auto hash = staff::hash_password("plum orchard at noon", staff::test_cost);
    CHECK(hash.rfind("$argon2id$v=19$m=8,t=1,p=1$", 0) == 0);
    CHECK(staff::cost_of(hash) == staff::test_cost);
    CHECK(staff::verify_password("plum orchard at noon", hash));
    CHECK_FALSE(staff::verify_password("plum orchard at noon ", hash));
    CHECK_FALSE(staff::verify_password("Plum orchard at noon", hash));
    CHECK_FALSE(staff::verify_password("", hash));

    // A fresh salt each time: one password, two different hashes, both verifying.
    auto again = staff::hash_password("plum orchard at noon", staff::test_cost);
    CHECK(again != hash);
    CHECK(staff::verify_password("plum orchard at noon", again));
}

TEST_CASE("a hash that is not Argon2id PHC text verifies nothing", "[staff][password]") {
    auto hash = staff::hash_password("plum orchard at noon", staff::test_cost);
    std::string tampered = hash;
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    CHECK_FALSE(staff::verify_password("plum orchard at noon", tampered));
    std::string argon2i = "$argon2i$" + hash.substr(10);
    CHECK_FALSE(staff::verify_password("plum orchard at noon", argon2i));
    CHECK_FALSE(staff::cost_of(argon2i));
    CHECK_FALSE(staff::verify_password("plum orchard at noon", ""));
    CHECK_FALSE(staff::verify_password("plum orchard at noon", "$argon2id$v=19$m=8,t=1,p=1"));
    CHECK_FALSE(staff::verify_password("plum orchard at noon", hash + std::string(1, '\0')));
    CHECK_FALSE(staff::cost_of("$argon2id$v=19$m=x,t=1,p=1$c2FsdA$aGFzaA"));
}

TEST_CASE("the hub's cost is t=3, m=64 MiB, p=1, and its hashes say so", "[staff][password]") {
    CHECK(staff::production_cost == staff::PasswordCost{3, 65536, 1});
    auto started = std::chrono::steady_clock::now();
    auto hash = staff::hash_password("plum orchard at noon", staff::production_cost);
    auto hash_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    CHECK(hash.rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0) == 0);
    CHECK(staff::verify_password("plum orchard at noon", hash));
    // Real work is done: far more than the test cost's fraction of a millisecond.
    CHECK(hash_ms >= 20);
}

TEST_CASE("working for an unknown account takes the work of its cost", "[staff][password]") {
    using clock = std::chrono::steady_clock;
    auto started = clock::now();
    staff::verify_nothing("plum orchard at noon", staff::production_cost);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started).count();
    CHECK(ms >= 20);
}
