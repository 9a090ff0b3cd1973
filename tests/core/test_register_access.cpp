// The pure parts of access to the live register (docs/register.md): secrets, their hashes
// and comparison, the cookie header, the end of an event's UK day and the read rule.
#include "muster/register/register_access.hpp"
#include "muster/time/uk_time.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace muster;
namespace ra = muster::register_access;

namespace {

bool in_alphabet(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

TimeMs utc(int y, int m, int d, int h = 0, int min = 0) {
    return (uk_time::days_from_civil(y, m, d) * 86'400LL + h * 3'600LL + min * 60LL) * 1000;
}

}  // namespace

TEST_CASE("register secrets are 43 base64url characters and never repeat", "[register]") {
    std::set<std::string> seen;
    for (int i = 0; i < 10'000; ++i) {
        std::string s = i % 2 ? ra::make_link_code() : ra::make_cookie_value();
        REQUIRE(s.size() == ra::secret_chars);
        for (char c : s) REQUIRE(in_alphabet(c));
        REQUIRE(ra::is_well_formed_secret(s));
        seen.insert(s);
    }
    CHECK(seen.size() == 10'000);
    CHECK(ra::secret_bytes * 8 >= 256);
    // Every character position takes many values: the bytes are random, not a counter.
    std::set<char> first, last;
    for (const auto& s : seen) {
        first.insert(s.front());
        last.insert(s.back());
    }
    CHECK(first.size() == 64);
    CHECK(last.size() == 16);  // the last character carries 4 bits
}

TEST_CASE("base64url matches the RFC 4648 test vectors without padding", "[register]") {
    auto enc = [](std::string_view s) { return ra::base64url(reinterpret_cast<const unsigned char*>(s.data()), s.size()); };
    CHECK(enc("") == "");
    CHECK(enc("f") == "Zg");
    CHECK(enc("fo") == "Zm8");
    CHECK(enc("foo") == "Zm9v");
    CHECK(enc("foob") == "Zm9vYg");
    CHECK(enc("fooba") == "Zm9vYmE");
    CHECK(enc("foobar") == "Zm9vYmFy");
    const unsigned char high[] = {0xfb, 0xff, 0xfe};
    CHECK(ra::base64url(high, 3) == "-__-");  // "+//+" in plain base64
}

TEST_CASE("malformed codes and cookie values are refused before hashing, without throwing", "[register]") {
    std::string good = ra::make_secret();
    REQUIRE(ra::parse_secret(good));
    CHECK(ra::hashes_equal(*ra::parse_secret(good), ra::hash_secret(good)));

    std::vector<std::string> bad = {
        "",
        good.substr(0, 42),
        good + "A",
        std::string(10'000, 'A'),
        good.substr(0, 42) + "=",
        good.substr(0, 42) + "B",  // not canonical: the two spare bits are not zero
        good.substr(0, 20) + "+" + good.substr(21),
        good.substr(0, 20) + "/" + good.substr(21),
        good.substr(0, 20) + "%" + good.substr(21),
        good.substr(0, 20) + " " + good.substr(21),
        good.substr(0, 20) + ";" + good.substr(21),
        good.substr(0, 20) + "\"" + good.substr(21),
        good.substr(0, 20) + std::string(1, '\0') + good.substr(21),
        good.substr(0, 20) + "\xc3\xa9" + good.substr(22),  // é, two bytes
    };
    for (const auto& b : bad) {
        INFO("input of " << b.size() << " bytes");
        CHECK_FALSE(ra::is_well_formed_secret(b));
        CHECK_NOTHROW(ra::parse_secret(b));
        CHECK_FALSE(ra::parse_secret(b));
    }
}

TEST_CASE("secrets and hashes are compared whole: one differing byte anywhere, or a shorter one, is unequal", "[register]") {
    std::string a = ra::make_secret();
    std::string b = a;
    CHECK(ra::secrets_equal(a, b));
    b[0] = b[0] == 'A' ? 'B' : 'A';
    CHECK_FALSE(ra::secrets_equal(a, b));
    b = a;
    b[42] = b[42] == 'A' ? 'E' : 'A';
    CHECK_FALSE(ra::secrets_equal(a, b));
    CHECK_FALSE(ra::secrets_equal(a, a.substr(0, 42)));
    CHECK_FALSE(ra::secrets_equal(a, ""));
    CHECK(ra::hashes_equal(ra::hash_secret(a), ra::hash_secret(a)));
    CHECK_FALSE(ra::hashes_equal(ra::hash_secret(a), ra::hash_secret(b)));

}

TEST_CASE("the CSRF token is bound to its session and checked strictly", "[register]") {
    std::string cookie = ra::make_cookie_value(), other = ra::make_cookie_value();
    std::string token = ra::csrf_token_for(cookie);
    CHECK(token.size() == ra::secret_chars);
    CHECK(ra::is_well_formed_secret(token));
    CHECK(token == ra::csrf_token_for(cookie));  // the page can be given it again after a reload
    CHECK(token != ra::csrf_token_for(other));
    CHECK(token != cookie);
    CHECK(ra::csrf_matches(cookie, token));
    CHECK_FALSE(ra::csrf_matches(other, token));
    CHECK_FALSE(ra::csrf_matches(cookie, ""));
    CHECK_FALSE(ra::csrf_matches(cookie, token.substr(0, 42)));
    CHECK_FALSE(ra::csrf_matches(cookie, cookie));
    CHECK_FALSE(ra::csrf_matches("", ""));
    CHECK(ra::csrf_token_for("not a cookie").empty());
    CHECK_FALSE(ra::csrf_matches("not a cookie", token));
}

TEST_CASE("the session cookie is HttpOnly, Secure, SameSite=Strict, under /register/, until the day ends", "[register]") {
    std::string v = ra::make_cookie_value();
    TimeMs now = utc(2026, 10, 14, 8, 0);
    TimeMs end = utc(2026, 10, 14, 23, 0);  // 24:00 BST
    auto header = ra::set_cookie_header(v, now, end);
    CHECK(header == "muster_register=" + v + "; Path=/register/; HttpOnly; Secure; SameSite=Strict; Max-Age=54000");
    CHECK_THAT(ra::set_cookie_header(v, now, now + 1), Catch::EndsWith("Max-Age=1"));  // rounded up
    CHECK_THAT(ra::set_cookie_header(v, now, now + 1000), Catch::EndsWith("Max-Age=1"));
    CHECK_THAT(ra::set_cookie_header(v, now, now - 5000), Catch::EndsWith("Max-Age=0"));
    // A value that is not a session value cannot put an attribute of its own in the header.
    CHECK_THROWS_AS(ra::set_cookie_header("x; Domain=evil.example", now, end), std::invalid_argument);
    CHECK_THROWS_AS(ra::set_cookie_header("", now, end), std::invalid_argument);
    CHECK(ra::clear_cookie_header() == "muster_register=; Path=/register/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
}

TEST_CASE("the session value is read from a Cookie header, and a repeated cookie is trusted not at all", "[register]") {
    CHECK(ra::cookie_value_in("muster_register=abc") == std::optional<std::string_view>("abc"));
    CHECK(ra::cookie_value_in("a=1; muster_register=abc; b=2") == std::optional<std::string_view>("abc"));
    CHECK(ra::cookie_value_in("a=1;muster_register=abc") == std::optional<std::string_view>("abc"));
    CHECK_FALSE(ra::cookie_value_in(""));
    CHECK_FALSE(ra::cookie_value_in("a=1; b=2"));
    CHECK_FALSE(ra::cookie_value_in("xmuster_register=abc"));
    CHECK_FALSE(ra::cookie_value_in("muster_register"));
    CHECK_FALSE(ra::cookie_value_in("muster_register=abc; muster_register=def"));
}

TEST_CASE("an event's links end at 24:00 UK time of its day, GMT or BST, across the clock changes", "[register]") {
    CHECK(ra::end_of_uk_day("2026-01-14") == utc(2026, 1, 15, 0));   // GMT
    CHECK(ra::end_of_uk_day("2026-07-14") == utc(2026, 7, 14, 23));  // BST: 24:00 is 23:00 UTC
    CHECK(ra::end_of_uk_day("2026-03-29") == utc(2026, 3, 29, 23));  // spring forward: a 23-hour day
    CHECK(ra::end_of_uk_day("2026-03-28") == utc(2026, 3, 29, 0));   // the day before, still GMT at its end
    CHECK(ra::end_of_uk_day("2026-10-25") == utc(2026, 10, 26, 0));  // fall back: a 25-hour day
    CHECK(ra::end_of_uk_day("2026-10-24") == utc(2026, 10, 24, 23)); // the day before, BST at its end
    CHECK(ra::end_of_uk_day("2026-12-31") == utc(2027, 1, 1, 0));    // year end
    CHECK(ra::end_of_uk_day("2028-02-28") == utc(2028, 2, 29, 0));   // leap day next
    CHECK_FALSE(ra::end_of_uk_day("2026-02-30"));
    CHECK_FALSE(ra::end_of_uk_day("14/10/2026"));
    CHECK_FALSE(ra::end_of_uk_day(""));
}

TEST_CASE("a room link reads only its own room of its own event, an event link every room of it", "[register]") {
    ra::Scope room1{1, 10, RoomId{101}, 0};
    CHECK(ra::may_read(room1, 10, RoomId{101}));
    CHECK_FALSE(ra::may_read(room1, 10, RoomId{102}));  // room 2
    CHECK_FALSE(ra::may_read(room1, 10, std::nullopt));  // the whole event
    CHECK_FALSE(ra::may_read(room1, 11, RoomId{101}));  // another event
    ra::Scope whole{2, 10, std::nullopt, 0};
    CHECK(ra::may_read(whole, 10, RoomId{101}));
    CHECK(ra::may_read(whole, 10, RoomId{102}));
    CHECK(ra::may_read(whole, 10, std::nullopt));
    CHECK_FALSE(ra::may_read(whole, 11, std::nullopt));
    CHECK_FALSE(ra::may_read(whole, 11, RoomId{201}));
}
