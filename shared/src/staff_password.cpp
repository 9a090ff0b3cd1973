#include "muster/staff/staff_password.hpp"

#include "muster/model/field_limits.hpp"
#include "muster/util/text.hpp"

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <stdexcept>

namespace muster::staff {
namespace {

constexpr std::size_t salt_bytes = 16;  // RFC 9106: 128 bits
constexpr std::size_t hash_bytes = 32;

// The long passwords every guesser tries first (from the public lists of breached
// passwords), in lower case. Shorter ones are refused by the length rule already.
constexpr std::array common_passwords = {
    "000000000000",     "111111111111",     "123123123123",     "123456123456",     "123456789012",
    "1234567890123",    "12345678901234",   "123456789123",     "987654321098",     "1q2w3e4r5t6y",
    "1qaz2wsx3edc",     "zaq12wsxcde3",     "qazwsxedcrfv",     "qwertyuiop12",     "qwerty123456",
    "qwertyqwerty",     "qwertyuiopasdfgh", "asdfghjkl123",     "abcdefghijkl",     "abcd12345678",
    "abc123abc123",     "password1234",     "password12345",    "password123!",     "password1234!",
    "passwordpassword", "password12345678", "passw0rd1234",     "p@ssw0rd1234",     "p@ssword1234",
    "iloveyou1234",     "iloveyouiloveyou", "letmein12345",     "letmeinletmein",   "welcome12345",
    "welcome123456",    "changeme1234",     "changemenow!",     "administrator",    "adminadmin12",
    "admin1234567",     "trustno1trustno1", "football1234",     "baseball1234",     "monkey123456",
    "sunshine1234",     "princess1234",     "correcthorsebatterystaple",            "muster123456",
    "musterpassword",   "teachingschoolhub",
};

std::size_t utf8_chars(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// "aaaaaaaaaaaa", "€€€€€€€€€€€€": the text is its first character over and over.
bool one_character_repeated(std::string_view s) {
    std::size_t first = 1;
    while (first < s.size() && (static_cast<unsigned char>(s[first]) & 0xC0) == 0x80) ++first;
    if (s.size() % first != 0) return false;
    for (std::size_t i = first; i < s.size(); i += first)
        if (s.compare(i, first, s.substr(0, first)) != 0) return false;
    return true;
}

// "m=65536,t=3,p=1": the value after `key=` up to the next ',' or '$'.
std::optional<std::uint32_t> phc_number(std::string_view params, std::string_view key) {
    for (std::size_t at = 0; at < params.size();) {
        auto end = params.find(',', at);
        std::string_view part = params.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
        if (part.size() > key.size() && part.substr(0, key.size()) == key && part[key.size()] == '=') {
            std::uint32_t v = 0;
            auto digits = part.substr(key.size() + 1);
            auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
            if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
            return v;
        }
        if (end == std::string_view::npos) break;
        at = end + 1;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> password_problem(std::string_view password) {
    if (auto problem = limits::text_problem(password, max_password_chars)) return problem;
    if (utf8_chars(password) < min_password_chars)
        return "shorter than " + std::to_string(min_password_chars) + " characters";
    if (one_character_repeated(password)) return "one character repeated";
    std::string lower = text::to_lower_ascii(password);
    for (std::string_view common : common_passwords)
        if (lower == common) return "one of the most common passwords";
    return std::nullopt;
}

std::string hash_password(std::string_view password, const PasswordCost& cost) {
    unsigned char salt[salt_bytes];
    if (RAND_bytes(salt, static_cast<int>(salt_bytes)) != 1) throw std::runtime_error("no randomness for a password salt");
    std::string encoded(argon2_encodedlen(cost.passes, cost.memory_kib, cost.lanes, salt_bytes, hash_bytes, Argon2_id), '\0');
    int rc = argon2id_hash_encoded(cost.passes, cost.memory_kib, cost.lanes, password.data(), password.size(), salt,
                                   salt_bytes, hash_bytes, encoded.data(), encoded.size());
    OPENSSL_cleanse(salt, salt_bytes);
    if (rc != ARGON2_OK) throw std::runtime_error(std::string("Argon2id failed: ") + argon2_error_message(rc));
    encoded.resize(encoded.find('\0'));  // argon2_encodedlen counts the terminating NUL
    return encoded;
}

bool verify_password(std::string_view password, std::string_view phc) noexcept {
    try {
        if (!cost_of(phc)) return false;  // also refuses text with a NUL inside (it is never one)
        std::string encoded(phc);         // argon2id_verify wants a C string
        return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
    } catch (...) {
        return false;  // no memory for the copy: refuse, never let the login through
    }
}

void verify_nothing(std::string_view password, const PasswordCost& cost) noexcept {
    // A fixed salt: nothing is stored or compared, only the work is done.
    unsigned char salt[salt_bytes] = {'m', 'u', 's', 't', 'e', 'r', ' ', 'n', 'o', ' ', 'o', 'n', 'e'};
    unsigned char out[hash_bytes];
    argon2id_hash_raw(cost.passes, cost.memory_kib, cost.lanes, password.data(), password.size(), salt, salt_bytes, out,
                      hash_bytes);
    OPENSSL_cleanse(out, hash_bytes);
}

std::optional<PasswordCost> cost_of(std::string_view phc) {
    constexpr std::string_view prefix = "$argon2id$v=19$";
    if (phc.substr(0, prefix.size()) != prefix || phc.find('\0') != std::string_view::npos) return std::nullopt;
    auto rest = phc.substr(prefix.size());
    auto params = rest.substr(0, rest.find('$'));
    if (params.size() == rest.size()) return std::nullopt;  // no salt or hash after the parameters
    auto m = phc_number(params, "m"), t = phc_number(params, "t"), p = phc_number(params, "p");
    if (!m || !t || !p) return std::nullopt;
    return PasswordCost{*t, *m, *p};
}

}  // namespace muster::staff
