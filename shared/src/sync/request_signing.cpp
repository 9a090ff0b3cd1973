#include "muster/sync/request_signing.hpp"

#include "muster/util/text.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

namespace muster::sync {
namespace {

std::array<unsigned char, 32> hmac(const DeviceSecret& secret, std::string_view message) {
    std::array<unsigned char, 32> mac{};
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
              reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(), &len) ||
        len != mac.size())
        throw std::runtime_error("HMAC-SHA256 failed");
    return mac;
}

}  // namespace

DeviceSecret generate_secret() {
    DeviceSecret s{};
    if (RAND_bytes(s.data(), static_cast<int>(s.size())) != 1) throw std::runtime_error("no randomness for a device secret");
    return s;
}

std::string secret_to_hex(const DeviceSecret& secret) { return text::hex(secret.data(), secret.size()); }

std::optional<DeviceSecret> secret_from_hex(std::string_view hex) {
    DeviceSecret s{};
    auto bytes = text::from_hex(hex);
    if (!bytes || bytes->size() != s.size()) return std::nullopt;
    std::copy(bytes->begin(), bytes->end(), s.begin());
    return s;
}

std::string random_nonce() {
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("no randomness for a nonce");
    return text::hex(b, sizeof b);
}

bool is_valid_nonce(std::string_view nonce) {
    if (nonce.size() < 16 || nonce.size() > 64) return false;
    for (char c : nonce) {
        bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}

std::string canonical_request(std::string_view method, std::string_view target, TimeMs time_ms, std::string_view nonce,
                              std::string_view body) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!EVP_Digest(body.data(), body.size(), digest, &len, EVP_sha256(), nullptr)) throw std::runtime_error("SHA-256 failed");
    std::string out;
    out.reserve(method.size() + target.size() + nonce.size() + 96);
    out.append(method).append("\n").append(target).append("\n").append(std::to_string(time_ms)).append("\n");
    out.append(nonce).append("\n").append(text::hex(digest, len));
    return out;
}

std::string sign_request(const DeviceSecret& secret, std::string_view method, std::string_view target, TimeMs time_ms,
                         std::string_view nonce, std::string_view body) {
    auto mac = hmac(secret, canonical_request(method, target, time_ms, nonce, body));
    return text::hex(mac.data(), mac.size());
}

bool signature_matches(const DeviceSecret& secret, std::string_view method, std::string_view target, TimeMs time_ms,
                       std::string_view nonce, std::string_view body, std::string_view signature) {
    auto given = text::from_hex(signature);
    if (!given || given->size() != 32) return false;
    auto mac = hmac(secret, canonical_request(method, target, time_ms, nonce, body));
    return CRYPTO_memcmp(mac.data(), given->data(), mac.size()) == 0;
}

}  // namespace muster::sync
