#pragma once
// A device's request-signing secret as the hub keeps it at rest: sealed with AES-256-GCM
// under the hub's device-secrets key (tls/device-secrets.key), so a copy of hub.db alone
// cannot sign requests as any device. The device id is authenticated with it, so a sealed
// secret moved to another device's row does not open.
//
//     box = version (1 byte, 0x01) | nonce (12) | ciphertext (32) | GCM tag (16)   = 61 bytes
//     associated data = version | device id
//
// Pure functions over bytes; reading and creating the key file is store/device_secrets.hpp.
#include "muster/sync/request_signing.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace muster::sync {

using DeviceSecretsKey = std::array<unsigned char, 32>;

inline constexpr unsigned char secret_box_version = 0x01;
inline constexpr std::size_t secret_box_size = 1 + 12 + 32 + 16;

// A new random key (OpenSSL's RAND_bytes).
DeviceSecretsKey generate_device_secrets_key();

// Seals `secret` for the row of `device_id` with a fresh random nonce.
std::string seal_device_secret(const DeviceSecretsKey& key, std::string_view device_id, const DeviceSecret& secret);

// The secret, or nullopt when the box was sealed under another key or for another device,
// was altered, is cut short or has an unknown version.
std::optional<DeviceSecret> open_device_secret(const DeviceSecretsKey& key, std::string_view device_id,
                                               std::string_view box);

// What a hub from before sealing stored: the bare 32-byte secret.
inline bool is_plain_device_secret(std::string_view stored) { return stored.size() == DeviceSecret{}.size(); }

}  // namespace muster::sync
