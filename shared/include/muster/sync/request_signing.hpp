#pragma once
// Device request authentication (docs/api.md, "Authentication"). Every request a device
// makes carries its id, its idea of the server's time, a fresh nonce and an HMAC-SHA256,
// under the device's own 32-byte secret, over
//
//     METHOD \n TARGET \n TIME_MS \n NONCE \n hex(SHA-256(body))
//
// so a changed method, path, query, body, time or nonce breaks the signature. The server
// refuses a time outside +/- request_window_ms of its clock and a nonce it has seen.
#include "muster/model/types.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace muster::sync {

inline constexpr std::string_view header_device = "X-Muster-Device";
inline constexpr std::string_view header_time = "X-Muster-Time";
inline constexpr std::string_view header_nonce = "X-Muster-Nonce";
inline constexpr std::string_view header_signature = "X-Muster-Signature";
// The reply header carrying the server's clock (also in every JSON body as server_time_ms).
inline constexpr std::string_view header_server_time = "X-Muster-Server-Time";

inline constexpr TimeMs request_window_ms = 5 * 60'000;

using DeviceSecret = std::array<unsigned char, 32>;

// A new random secret (OpenSSL's RAND_bytes).
DeviceSecret generate_secret();
// The secret as 64 lower-case hex digits, and back (nullopt unless exactly 64 hex digits).
std::string secret_to_hex(const DeviceSecret& secret);
std::optional<DeviceSecret> secret_from_hex(std::string_view hex);

// A random nonce: 32 hex digits.
std::string random_nonce();

std::string canonical_request(std::string_view method, std::string_view target, TimeMs time_ms, std::string_view nonce,
                              std::string_view body);
// hex(HMAC-SHA256(secret, canonical_request(...))): 64 hex digits.
std::string sign_request(const DeviceSecret& secret, std::string_view method, std::string_view target, TimeMs time_ms,
                         std::string_view nonce, std::string_view body);
// Compares in constant time; false for a signature of the wrong length or not hex.
bool signature_matches(const DeviceSecret& secret, std::string_view method, std::string_view target, TimeMs time_ms,
                       std::string_view nonce, std::string_view body, std::string_view signature);

// A nonce the server accepts: 16 to 64 characters of [0-9a-zA-Z-_].
bool is_valid_nonce(std::string_view nonce);

}  // namespace muster::sync
