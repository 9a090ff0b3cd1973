#include "temp_dir.hpp"

#include "muster/badge/badge_sheet.hpp"
#include "muster/badge/badge_token.hpp"

#include <catch2/catch.hpp>
#include <sys/stat.h>

#include <fstream>
#include <random>

using namespace muster;
using badge::TokenError;

namespace {
const badge::HubKeyPair& hub() {
    static const auto keys = badge::HubKeyPair::generate();
    return keys;
}
TokenError error_of(const std::string& token) {
    badge::BadgeVerifier v(hub().public_key());
    auto r = v.verify(token);
    REQUIRE_FALSE(r.ok());
    return r.error;
}
}  // namespace

TEST_CASE("a signed badge verifies offline with the public key alone", "[badge]") {
    auto token = badge::sign_badge(hub(), {4242, 3});
    CHECK(token.size() == badge::token_length);
    CHECK(token.rfind("M1:", 0) == 0);
    badge::BadgeVerifier v(hub().public_key());
    auto r = v.verify(token);
    REQUIRE(r.ok());
    CHECK(r.claims->participant_id == 4242);
    CHECK(r.claims->serial == 3);
    // Scanners in caps-lock or phones may change case; trailing newline from a wedge.
    auto lower = token;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(v.verify(lower).ok());
    CHECK(v.verify(token + "\r\n").ok());
}

TEST_CASE("each kind of bad token has its own rejection reason", "[badge]") {
    auto token = badge::sign_badge(hub(), {17, 1});
    SECTION("not a token at all") {
        CHECK(error_of("HELLO-WORLD") == TokenError::not_a_badge);
        CHECK(error_of("") == TokenError::not_a_badge);
        CHECK(error_of("https://example.org/") == TokenError::not_a_badge);
    }
    SECTION("truncated") { CHECK(error_of(token.substr(0, 60)) == TokenError::truncated); }
    SECTION("damaged characters") {
        auto t = token;
        t[40] = '#';
        CHECK(error_of(t) == TokenError::damaged);
        CHECK(error_of(token + "AA") == TokenError::damaged);  // too long
    }
    SECTION("tampered: another participant id with the old signature") {
        auto other = badge::sign_badge(hub(), {18, 1});
        // Take the body (first 11 bytes = 17.6 base32 chars) of one and the signature of another.
        auto t = other.substr(0, 3 + 17) + token.substr(3 + 17);
        CHECK(error_of(t) == TokenError::bad_signature);
    }
    SECTION("tampered: one character of the signature changed") {
        auto t = token;
        t[100] = t[100] == 'A' ? 'B' : 'A';
        CHECK(error_of(t) == TokenError::bad_signature);
    }
    SECTION("from another hub's key") {
        auto stranger = badge::HubKeyPair::generate();
        CHECK(error_of(badge::sign_badge(stranger, {17, 1})) == TokenError::other_hub);
    }
    SECTION("forged: right key id, signature not made by the hub") {
        auto t = token;
        for (std::size_t i = 3 + 18; i < t.size(); ++i) t[i] = 'Q';
        CHECK(error_of(t) == TokenError::bad_signature);
    }
    SECTION("a version this build does not know") {
        // Version byte 2: first base32 char encodes its top 5 bits (00000), second the rest.
        auto t = token;
        t[3] = 'A';
        t[4] = 'I';  // 01000 -> byte 0 = 0b00000010
        CHECK(error_of(t) == TokenError::unsupported_version);
    }
    for (auto e : {TokenError::not_a_badge, TokenError::damaged, TokenError::truncated, TokenError::unsupported_version,
                   TokenError::other_hub, TokenError::bad_signature})
        CHECK_FALSE(badge::describe(e).empty());
}

TEST_CASE("random garbage never crashes the verifier", "[badge]") {
    badge::BadgeVerifier v(hub().public_key());
    std::mt19937 rng(7);
    for (int i = 0; i < 2000; ++i) {
        std::string s = i % 2 ? "M1:" : "";
        auto len = rng() % 200;
        for (unsigned k = 0; k < len; ++k) s.push_back(static_cast<char>(rng() % 256));
        CHECK_FALSE(v.verify(s).ok());
    }
}

TEST_CASE("the hub key file is owner-only, never overwritten, and a readable one is refused", "[badge][keys]") {
    test::TempDir dir;
    auto keys = badge::HubKeyPair::generate();
    keys.save(dir.file("hub-key.pem"), dir.file("hub-public.pem"));
    struct stat st {};
    REQUIRE(stat(dir.file("hub-key.pem").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK_THROWS_WITH(keys.save(dir.file("hub-key.pem"), dir.file("x.pem")), Catch::Contains("cannot create"));
    auto loaded = badge::HubKeyPair::load_private(dir.file("hub-key.pem"));
    CHECK(loaded.public_key() == keys.public_key());
    CHECK(badge::load_public_key(dir.file("hub-public.pem")) == keys.public_key());
    chmod(dir.file("hub-key.pem").c_str(), 0644);
    CHECK_THROWS_WITH(badge::HubKeyPair::load_private(dir.file("hub-key.pem")), Catch::Contains("chmod 600"));
    std::ofstream(dir.file("junk.pem")) << "not a key";
    CHECK_THROWS_AS(badge::load_public_key(dir.file("junk.pem")), badge::KeyError);
}

TEST_CASE("the badge sheet renders each badge with an escaped name and a QR code", "[badge][sheet]") {
    Participant p;
    p.first_name = "Siân";
    p.last_name = "O'Brien <script>";
    p.role = Role::ect;
    p.school_name = "Oakfield & Co";
    auto token = badge::sign_badge(hub(), {1, 1});
    auto html = badge::render_badge_sheet("Test hub", {{p, token}, {p, token}});
    CHECK_THAT(html, Catch::Contains("Siân O&#39;Brien &lt;script&gt;"));
    CHECK_THAT(html, Catch::Contains("Oakfield &amp; Co"));
    CHECK_THAT(html, Catch::Contains("Early career teacher"));
    CHECK_THAT(html, Catch::Contains("<svg"));
    CHECK_THAT(html, Catch::Contains("size: A4"));
}

TEST_CASE("tokens the hub issued are trusted by digest, anything else gets the full signature check", "[badge]") {
    auto genuine = badge::sign_badge(hub(), {21, 1});
    auto forged = genuine;
    forged[100] = forged[100] == 'A' ? 'B' : 'A';  // same claims, broken signature
    badge::BadgeVerifier v(hub().public_key());
    badge::TokenDigestSet issued{badge::token_digest(genuine)};
    v.trust_issued(issued);
    CHECK(v.trusted_count() == 1);
    CHECK(v.verify(genuine).ok());
    CHECK(v.verify(" " + genuine + "\n").ok());  // canonical form: trimmed
    CHECK(v.verify(forged).error == TokenError::bad_signature);
    CHECK(v.verify(badge::sign_badge(hub(), {22, 1})).ok());  // not in the list: signature checked, fine
    // Proof that the digest path skips the arithmetic: a digest vouched for by the hub is
    // enough even for a token whose signature bytes are wrong. Only the hub writes this list.
    v.trust_issued({badge::token_digest(forged)});
    CHECK(v.verify(forged).ok());
    CHECK(badge::token_digest(genuine) == badge::token_digest(" " + genuine));
}
