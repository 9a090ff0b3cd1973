#pragma once
// A badge token: what a badge's QR code (or an NFC card's NDEF text record) carries.
//
//   "M1:" + base32( version(1)=1 | key id(4) | participant id(4, big-endian)
//                   | serial(2, big-endian) | Ed25519 signature(64) )      = 123 characters
//
// Upper-case base32 keeps the whole token in the QR alphanumeric set, so the code stays
// small enough to scan from a phone at arm's length. The signature covers a domain tag
// plus the first 11 bytes; devices verify it offline with the hub's public key alone.
#include "muster/badge/hub_keys.hpp"
#include "muster/model/types.hpp"

#include <cstdint>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace muster::badge {

inline constexpr std::string_view token_prefix = "M1:";
inline constexpr std::size_t token_length = 123;

struct BadgeClaims {
    ParticipantId participant_id = 0;  // < 2^32
    std::uint16_t serial = 1;          // bumped when a lost badge is reissued
};

// Why a token was refused. Each has its own words for staff (describe()).
enum class TokenError { not_a_badge, damaged, truncated, unsupported_version, other_hub, bad_signature };
std::string_view to_string(TokenError);
std::string_view describe(TokenError);

struct VerifyResult {
    std::optional<BadgeClaims> claims;  // set when the token is genuine
    TokenError error = TokenError::not_a_badge;
    bool ok() const { return claims.has_value(); }
};

std::string sign_badge(const HubKeyPair& hub, const BadgeClaims& claims);

// SHA-256 of a token in its canonical (upper-case, trimmed) form.
using TokenDigest = std::array<unsigned char, 32>;
TokenDigest token_digest(std::string_view token);
struct TokenDigestHash {
    std::size_t operator()(const TokenDigest& d) const noexcept;  // the digest is already uniform
};
using TokenDigestSet = std::unordered_set<TokenDigest, TokenDigestHash>;

// Verifies tokens against one hub's public key. Holds an OpenSSL context reused between
// calls, so one verifier per thread.
class BadgeVerifier {
public:
    explicit BadgeVerifier(const PublicKey& hub_public_key);
    ~BadgeVerifier();
    BadgeVerifier(const BadgeVerifier&) = delete;
    BadgeVerifier& operator=(const BadgeVerifier&) = delete;

    VerifyResult verify(std::string_view token) const;
    const std::string& key_id() const { return key_id_; }

    // Digests of tokens the hub itself issued (from the device's database). A token whose
    // digest is known is genuine without the Ed25519 check (~115 us on OpenSSL 3 here):
    // SHA-256 preimages cannot be found, so knowing digests does not let anyone make a
    // badge. Unknown tokens (issued since the last sync, or forged) get the full check.
    void trust_issued(TokenDigestSet digests) { issued_ = std::move(digests); }
    std::size_t trusted_count() const { return issued_.size(); }

private:
    bool signature_ok(const unsigned char* raw) const;

    PkeyPtr key_;
    std::array<unsigned char, 4> key_id_bytes_{};
    std::string key_id_;
    EVP_MD_CTX* ctx_;
    TokenDigestSet issued_;
};

// Does this text look like a Muster token at all (prefix)? Wedge input uses it to tell a
// badge from a person typing.
bool looks_like_token(std::string_view text);

}  // namespace muster::badge
