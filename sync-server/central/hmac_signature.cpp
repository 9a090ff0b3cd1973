#include "hmac_signature.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace muster::central {

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    std::size_t length = 0;
    // OpenSSL 3's MAC interface (the HMAC_CTX functions are deprecated there).
    if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
                   reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, sizeof mac, &length))
        throw std::runtime_error("HMAC-SHA256 failed");
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(length * 2);
    for (std::size_t i = 0; i < length; ++i) {
        hex += digits[mac[i] >> 4];
        hex += digits[mac[i] & 0xf];
    }
    return hex;
}

SignatureHeaders sign_body(std::string_view key, std::string_view body, std::int64_t unix_seconds) {
    SignatureHeaders h;
    h.timestamp = std::to_string(unix_seconds);
    std::string signed_text = h.timestamp + ".";
    signed_text.append(body);
    h.signature = "sha256=" + hmac_sha256_hex(key, signed_text);
    return h;
}

}  // namespace muster::central
