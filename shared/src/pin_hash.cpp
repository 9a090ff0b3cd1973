#include "muster/util/pin_hash.hpp"

#include "muster/util/text.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace muster {
namespace {

std::vector<unsigned char> derive(std::string_view pin, const std::vector<unsigned char>& salt, int iterations) {
    std::vector<unsigned char> out(32);
    if (PKCS5_PBKDF2_HMAC(pin.data(), static_cast<int>(pin.size()), salt.data(), static_cast<int>(salt.size()),
                          iterations, EVP_sha256(), static_cast<int>(out.size()), out.data()) != 1)
        throw std::runtime_error("PIN hashing failed");
    return out;
}

std::vector<unsigned char> unhex(std::string_view h) {
    std::vector<unsigned char> out;
    if (h.size() % 2) return {};
    auto val = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
    for (std::size_t i = 0; i < h.size(); i += 2) {
        int hi = val(h[i]), lo = val(h[i + 1]);
        if (hi < 0 || lo < 0) return {};
        out.push_back(static_cast<unsigned char>(hi * 16 + lo));
    }
    return out;
}

}  // namespace

bool is_valid_pin(std::string_view pin) { return pin.size() >= 4 && pin.size() <= 12 && text::all_digits(pin); }

std::string hash_pin(std::string_view pin, int iterations) {
    if (!is_valid_pin(pin)) throw std::invalid_argument("a staff PIN is 4 to 12 digits");
    std::vector<unsigned char> salt(16);
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) throw std::runtime_error("no randomness for a salt");
    auto h = derive(pin, salt, iterations);
    return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + text::hex(salt.data(), salt.size()) + "$" +
           text::hex(h.data(), h.size());
}

bool verify_pin(std::string_view pin, std::string_view stored) {
    auto parts = text::split(stored, '$');
    if (parts.size() != 4 || parts[0] != "pbkdf2-sha256" || !text::all_digits(parts[1]) || parts[1].size() > 7) return false;
    int iterations = std::stoi(parts[1]);
    auto salt = unhex(parts[2]);
    auto expected = unhex(parts[3]);
    if (iterations < 1 || salt.empty() || expected.size() != 32) return false;
    auto got = derive(pin, salt, iterations);
    return CRYPTO_memcmp(got.data(), expected.data(), expected.size()) == 0;
}

}  // namespace muster
