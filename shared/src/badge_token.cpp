#include "muster/badge/badge_token.hpp"

#include "muster/util/text.hpp"

#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/sha.h>

#include <array>
#include <cstring>

namespace muster::badge {
namespace {

constexpr std::size_t body_size = 11;  // version, key id, participant, serial
constexpr std::size_t sig_size = 64;
constexpr std::size_t raw_size = body_size + sig_size;  // 75 bytes -> 120 base32 chars
constexpr std::string_view domain_tag = "muster-badge-v1";
constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string base32(const unsigned char* data, std::size_t size) {
    std::string out;
    out.reserve((size * 8 + 4) / 5);
    unsigned buffer = 0;
    int bits = 0;
    for (std::size_t i = 0; i < size; ++i) {
        buffer = (buffer << 8) | data[i];
        bits += 8;
        while (bits >= 5) {
            out.push_back(alphabet[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
    }
    if (bits > 0) out.push_back(alphabet[(buffer << (5 - bits)) & 31]);
    return out;
}

int base32_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a';  // a scanner in caps-lock or a phone keyboard
    if (c >= '2' && c <= '7') return c - '2' + 26;
    return -1;
}

bool unbase32(std::string_view in, std::array<unsigned char, raw_size>& out) {
    unsigned buffer = 0;
    int bits = 0;
    std::size_t n = 0;
    for (char c : in) {
        int v = base32_value(c);
        if (v < 0) return false;
        buffer = (buffer << 5) | static_cast<unsigned>(v);
        bits += 5;
        if (bits >= 8) {
            if (n == out.size()) return false;
            out[n++] = static_cast<unsigned char>(buffer >> (bits - 8));
            bits -= 8;
        }
    }
    return n == out.size();
}

std::array<unsigned char, 4> key_id_bytes(const PublicKey& key) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(key.data(), key.size(), digest);
    return {digest[0], digest[1], digest[2], digest[3]};
}

// What the signature covers: a domain tag (so a signature made for anything else by the
// same key can never pass as a badge) followed by the token body.
std::array<unsigned char, domain_tag.size() + body_size> signed_message(const unsigned char* body) {
    std::array<unsigned char, domain_tag.size() + body_size> msg{};
    std::memcpy(msg.data(), domain_tag.data(), domain_tag.size());
    std::memcpy(msg.data() + domain_tag.size(), body, body_size);
    return msg;
}

}  // namespace

std::string_view to_string(TokenError e) {
    switch (e) {
        case TokenError::not_a_badge: return "not_a_badge";
        case TokenError::damaged: return "damaged";
        case TokenError::truncated: return "truncated";
        case TokenError::unsupported_version: return "unsupported_version";
        case TokenError::other_hub: return "other_hub";
        case TokenError::bad_signature: return "bad_signature";
    }
    return "?";
}

std::string_view describe(TokenError e) {
    switch (e) {
        case TokenError::not_a_badge: return "This is not a Muster badge";
        case TokenError::damaged: return "The badge code is damaged (unexpected characters)";
        case TokenError::truncated: return "The badge code is incomplete";
        case TokenError::unsupported_version: return "The badge is from a newer Muster version";
        case TokenError::other_hub: return "The badge was issued by another hub";
        case TokenError::bad_signature: return "The badge's signature does not match (forged or altered)";
    }
    return "?";
}

TokenDigest token_digest(std::string_view token) {
    std::string canonical = text::to_upper_ascii(text::trim(token));
    TokenDigest d{};
    SHA256(reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), d.data());
    return d;
}

std::size_t TokenDigestHash::operator()(const TokenDigest& d) const noexcept {
    std::size_t h = 0;
    std::memcpy(&h, d.data(), sizeof h);
    return h;
}

bool looks_like_token(std::string_view text) {
    return text.size() >= token_prefix.size() && text::to_upper_ascii(text.substr(0, 3)) == token_prefix;
}

std::string sign_badge(const HubKeyPair& hub, const BadgeClaims& claims) {
    if (claims.participant_id <= 0 || claims.participant_id > 0xffffffffLL)
        throw KeyError("participant id out of range for a badge");
    std::array<unsigned char, raw_size> raw{};
    raw[0] = 1;
    auto kid = key_id_bytes(hub.public_key());
    std::memcpy(raw.data() + 1, kid.data(), kid.size());
    auto pid = static_cast<std::uint32_t>(claims.participant_id);
    for (int i = 0; i < 4; ++i) raw[static_cast<std::size_t>(5 + i)] = static_cast<unsigned char>(pid >> (24 - 8 * i));
    raw[9] = static_cast<unsigned char>(claims.serial >> 8);
    raw[10] = static_cast<unsigned char>(claims.serial & 0xff);

    auto msg = signed_message(raw.data());
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    std::size_t sig_len = sig_size;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, hub.pkey()) != 1 ||
        EVP_DigestSign(ctx.get(), raw.data() + body_size, &sig_len, msg.data(), msg.size()) != 1 || sig_len != sig_size)
        throw KeyError("signing a badge failed");
    return std::string(token_prefix) + base32(raw.data(), raw.size());
}

BadgeVerifier::BadgeVerifier(const PublicKey& hub_public_key)
    : key_(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, hub_public_key.data(), hub_public_key.size())),
      key_id_bytes_(key_id_bytes(hub_public_key)),
      key_id_(badge::key_id(hub_public_key)),
      ctx_(EVP_MD_CTX_new()) {
    if (!key_ || !ctx_) throw KeyError("cannot load the hub's public key");
}

BadgeVerifier::~BadgeVerifier() { EVP_MD_CTX_free(ctx_); }

bool BadgeVerifier::signature_ok(const unsigned char* raw) const {
    auto msg = signed_message(raw);
    EVP_MD_CTX_reset(ctx_);
    return EVP_DigestVerifyInit(ctx_, nullptr, nullptr, nullptr, key_.get()) == 1 &&
           EVP_DigestVerify(ctx_, raw + body_size, sig_size, msg.data(), msg.size()) == 1;
}

VerifyResult BadgeVerifier::verify(std::string_view token) const {
    VerifyResult r;
    token = text::trim(token);
    if (!looks_like_token(token)) {
        r.error = TokenError::not_a_badge;
        return r;
    }
    std::string_view body = token.substr(token_prefix.size());
    for (char c : body) {
        if (base32_value(c) < 0) {
            r.error = TokenError::damaged;
            return r;
        }
    }
    if (token.size() < token_length) {
        r.error = TokenError::truncated;
        return r;
    }
    std::array<unsigned char, raw_size> raw{};
    if (token.size() > token_length || !unbase32(body, raw)) {
        r.error = TokenError::damaged;
        return r;
    }
    if (raw[0] != 1) {
        r.error = TokenError::unsupported_version;
        return r;
    }
    if (std::memcmp(raw.data() + 1, key_id_bytes_.data(), 4) != 0) {
        r.error = TokenError::other_hub;
        return r;
    }
    // The hub vouched for this exact token: skip the signature arithmetic.
    bool issued_here = !issued_.empty() && issued_.count(token_digest(token)) > 0;
    if (!issued_here && !signature_ok(raw.data())) {
        ERR_clear_error();  // a refused signature is an answer, not an error to keep
        r.error = TokenError::bad_signature;
        return r;
    }
    BadgeClaims claims;
    claims.participant_id = (std::int64_t{raw[5]} << 24) | (raw[6] << 16) | (raw[7] << 8) | raw[8];
    claims.serial = static_cast<std::uint16_t>((raw[9] << 8) | raw[10]);
    r.claims = claims;
    return r;
}

}  // namespace muster::badge
