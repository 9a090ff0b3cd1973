#include "muster/sync/request_signing.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace muster::sync {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

std::string to_hex(const unsigned char* data, std::size_t n) {
    std::string out(n * 2, '0');
    for (std::size_t i = 0; i < n; ++i) {
        out[2 * i] = hex_digits[data[i] >> 4];
        out[2 * i + 1] = hex_digits[data[i] & 0xf];
    }
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

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

std::string secret_to_hex(const DeviceSecret& secret) { return to_hex(secret.data(), secret.size()); }

std::optional<DeviceSecret> secret_from_hex(std::string_view hex) {
    DeviceSecret s{};
    if (hex.size() != s.size() * 2) return std::nullopt;
    for (std::size_t i = 0; i < s.size(); ++i) {
        int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        s[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
    return s;
}

std::string random_nonce() {
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("no randomness for a nonce");
    return to_hex(b, sizeof b);
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
    out.append(nonce).append("\n").append(to_hex(digest, len));
    return out;
}

std::string sign_request(const DeviceSecret& secret, std::string_view method, std::string_view target, TimeMs time_ms,
                         std::string_view nonce, std::string_view body) {
    auto mac = hmac(secret, canonical_request(method, target, time_ms, nonce, body));
    return to_hex(mac.data(), mac.size());
}

bool signature_matches(const DeviceSecret& secret, std::string_view method, std::string_view target, TimeMs time_ms,
                       std::string_view nonce, std::string_view body, std::string_view signature) {
    if (signature.size() != 64) return false;
    std::array<unsigned char, 32> given{};
    for (std::size_t i = 0; i < given.size(); ++i) {
        int hi = hex_value(signature[2 * i]), lo = hex_value(signature[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        given[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
    auto mac = hmac(secret, canonical_request(method, target, time_ms, nonce, body));
    return CRYPTO_memcmp(mac.data(), given.data(), mac.size()) == 0;
}

}  // namespace muster::sync
