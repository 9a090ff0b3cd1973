#include "muster/model/types.hpp"
#include "muster/util/pin_hash.hpp"
#include "muster/util/text.hpp"
#include "muster/util/uuid.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace muster;

TEST_CASE("public names show the (preferred) first name and an initial, accents intact", "[model]") {
    Participant p;
    p.first_name = "Zoë";
    p.last_name = "Ó Súilleabháin";
    CHECK(p.public_name() == "Zoë Ó.");
    p.preferred_name = "Zo";
    CHECK(p.public_name() == "Zo Ó.");
    p.last_name = "";
    p.preferred_name.reset();
    CHECK(p.public_name() == "Zoë");
}

TEST_CASE("roles are read from the spellings rosters use", "[model]") {
    CHECK(parse_role("ECT") == Role::ect);
    CHECK(parse_role("Early Career Teacher") == Role::ect);
    CHECK(parse_role("induction_tutor") == Role::induction_tutor);
    CHECK(parse_role("SIT") == Role::induction_tutor);
    CHECK(parse_role("Visiting Fellow") == Role::facilitator);
    CHECK(parse_role("NPQ participant") == Role::npq);
    CHECK(parse_role("Hub staff") == Role::hub_staff);
    CHECK(parse_role("Headteacher") == std::nullopt);
}

TEST_CASE("UTF-8 validation", "[text]") {
    CHECK(text::is_valid_utf8("Siân Ó Súilleabháin"));
    CHECK_FALSE(text::is_valid_utf8("Si\xE2n"));    // Windows-1252 'â'
    CHECK_FALSE(text::is_valid_utf8("end\xC3"));     // cut in the middle of a character
    CHECK(text::normalise_key(" E-mail_Address ") == "e mail address");
}

TEST_CASE("record ids are version-7 UUIDs, unique and time-ordered", "[uuid]") {
    std::set<std::string> seen;
    std::string previous;
    for (int i = 0; i < 1000; ++i) {
        auto u = new_uuid(1'700'000'000'000 + i);
        CHECK(is_uuid(u));
        CHECK(u[14] == '7');
        CHECK(seen.insert(u).second);
        CHECK(u > previous);
        previous = u;
    }
    CHECK_FALSE(is_uuid("not-a-uuid"));
}

TEST_CASE("staff PINs are stored salted and hashed, and checked in constant time", "[pin]") {
    auto stored = hash_pin("2468", 1000);
    CHECK(stored.rfind("pbkdf2-sha256$1000$", 0) == 0);
    CHECK(stored.find("2468") == std::string::npos);
    CHECK(verify_pin("2468", stored));
    CHECK_FALSE(verify_pin("2469", stored));
    CHECK_FALSE(verify_pin("2468", "plain-text"));
    CHECK(hash_pin("2468", 1000) != stored);  // salted
    CHECK_THROWS(hash_pin("12"));
    CHECK_THROWS(hash_pin("12ab"));
}

TEST_CASE("Hex goes both ways and junk is refused", "[core][text]") {
    const unsigned char bytes[] = {0x00, 0x7f, 0xa5, 0xff};
    auto h = muster::text::hex(bytes, sizeof bytes);
    CHECK(h == "007fa5ff");
    CHECK(muster::text::from_hex(h) == std::string("\x00\x7f\xa5\xff", 4));
    CHECK(muster::text::from_hex("007FA5FF") == std::string("\x00\x7f\xa5\xff", 4));
    CHECK(muster::text::from_hex("") == std::string());
    CHECK_FALSE(muster::text::from_hex("abc"));
    CHECK_FALSE(muster::text::from_hex("zz"));
}
