#pragma once
// The HMAC authentication of the https target (auth = "hmac", docs/central.md):
//   X-Muster-Timestamp: <Unix seconds>
//   X-Muster-Signature: sha256=<lowercase hex of HMAC-SHA256(key, timestamp + "." + body)>
// The timestamp inside the signed text lets the CRM refuse a replayed request.
#include <cstdint>
#include <string>
#include <string_view>

namespace muster::central {

// Lowercase hex of HMAC-SHA256(key, message) (OpenSSL).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

struct SignatureHeaders {
    std::string timestamp;  // X-Muster-Timestamp
    std::string signature;  // X-Muster-Signature
};
SignatureHeaders sign_body(std::string_view key, std::string_view body, std::int64_t unix_seconds);

}  // namespace muster::central
