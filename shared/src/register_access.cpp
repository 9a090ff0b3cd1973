#include "muster/register/register_access.hpp"

#include "muster/time/uk_time.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <stdexcept>

namespace muster::register_access {
namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static_assert(secret_chars == (secret_bytes * 8 + 5) / 6);

// The label the CSRF token is made from; "v1" so a later scheme cannot collide with it.
constexpr std::string_view csrf_label = "muster register csrf v1";

int sextet(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

}  // namespace

std::string base64url(const unsigned char* data, std::size_t size) {
    std::string out;
    out.reserve((size * 8 + 5) / 6);
    std::size_t i = 0;
    for (; i + 3 <= size; i += 3) {
        unsigned v = unsigned{data[i]} << 16 | unsigned{data[i + 1]} << 8 | data[i + 2];
        for (int shift = 18; shift >= 0; shift -= 6) out.push_back(alphabet[(v >> shift) & 63]);
    }
    if (size - i == 1) {
        unsigned v = unsigned{data[i]} << 16;
        out.push_back(alphabet[(v >> 18) & 63]);
        out.push_back(alphabet[(v >> 12) & 63]);
    } else if (size - i == 2) {
        unsigned v = unsigned{data[i]} << 16 | unsigned{data[i + 1]} << 8;
        out.push_back(alphabet[(v >> 18) & 63]);
        out.push_back(alphabet[(v >> 12) & 63]);
        out.push_back(alphabet[(v >> 6) & 63]);
    }
    return out;
}

std::string make_secret() {
    unsigned char bytes[secret_bytes];
    if (RAND_bytes(bytes, static_cast<int>(secret_bytes)) != 1) throw std::runtime_error("no randomness for a register secret");
    std::string text = base64url(bytes, secret_bytes);
    OPENSSL_cleanse(bytes, secret_bytes);
    return text;
}

bool is_well_formed_secret(std::string_view text) noexcept {
    if (text.size() != secret_chars) return false;
    for (char c : text)
        if (sextet(c) < 0) return false;
    // 43 characters carry 258 bits; the last two must be zero, so each 32 bytes have one
    // spelling (a hand-edited last character is refused, not quietly another code).
    return (sextet(text.back()) & 3) == 0;
}

SecretHash hash_secret(std::string_view text) {
    SecretHash h{};
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), h.data());
    return h;
}

std::optional<SecretHash> parse_secret(std::string_view text) noexcept {
    if (!is_well_formed_secret(text)) return std::nullopt;
    return hash_secret(text);  // SHA256 on 43 bytes cannot fail
}

bool secrets_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool hashes_equal(const SecretHash& a, const SecretHash& b) noexcept {
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string csrf_token_for(std::string_view label, std::string_view cookie_value) {
    if (!is_well_formed_secret(cookie_value)) return {};
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), cookie_value.data(), static_cast<int>(cookie_value.size()),
              reinterpret_cast<const unsigned char*>(label.data()), label.size(), mac, &len) ||
        len != secret_bytes)
        throw std::runtime_error("HMAC-SHA256 failed");
    return base64url(mac, len);
}

bool csrf_matches(std::string_view label, std::string_view cookie_value, std::string_view presented) noexcept {
    if (!is_well_formed_secret(presented)) return false;
    try {
        std::string expected = csrf_token_for(label, cookie_value);
        return !expected.empty() && secrets_equal(expected, presented);
    } catch (...) {
        return false;  // no HMAC: refuse rather than let the request through
    }
}

std::string set_cookie_header(std::string_view name, std::string_view path, std::string_view value, TimeMs now,
                              TimeMs expires) {
    if (!is_well_formed_secret(value)) throw std::invalid_argument("set_cookie_header: not a session value");
    TimeMs seconds = expires > now ? (expires - now + 999) / 1000 : 0;
    return std::string(name) + "=" + std::string(value) + "; Path=" + std::string(path) +
           "; HttpOnly; Secure; SameSite=Strict; Max-Age=" + std::to_string(seconds);
}

std::string clear_cookie_header(std::string_view name, std::string_view path) {
    return std::string(name) + "=; Path=" + std::string(path) + "; HttpOnly; Secure; SameSite=Strict; Max-Age=0";
}

std::optional<std::string_view> cookie_value_in(std::string_view name, std::string_view header) noexcept {
    std::optional<std::string_view> found;
    while (!header.empty()) {
        auto end = header.find(';');
        std::string_view pair = header.substr(0, end);
        header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
        while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
        while (!pair.empty() && (pair.back() == ' ' || pair.back() == '\t')) pair.remove_suffix(1);
        auto eq = pair.find('=');
        if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
        if (found) return std::nullopt;  // two cookies of this name (one planted by a sibling site): neither
        found = pair.substr(eq + 1);
    }
    return found;
}

std::string csrf_token_for(std::string_view cookie_value) { return csrf_token_for(csrf_label, cookie_value); }

bool csrf_matches(std::string_view cookie_value, std::string_view presented) noexcept {
    return csrf_matches(csrf_label, cookie_value, presented);
}

std::string set_cookie_header(std::string_view value, TimeMs now, TimeMs expires) {
    return set_cookie_header(cookie_name, cookie_path, value, now, expires);
}

std::string clear_cookie_header() { return clear_cookie_header(cookie_name, cookie_path); }

std::optional<std::string_view> cookie_value_in(std::string_view header) noexcept {
    return cookie_value_in(cookie_name, header);
}

std::optional<TimeMs> end_of_uk_day(std::string_view local_date) {
    auto date = uk_time::parse_date(local_date);
    if (!date) return std::nullopt;
    // Midnight is never in a clock change's gap or overlap (they are at 01:00 and 02:00), so
    // 00:00 local of the next day is one instant, GMT or BST.
    auto next = uk_time::civil_from_days(uk_time::days_from_civil(date->year, date->month, date->day) + 1);
    next.hour = next.minute = next.second = 0;
    return uk_time::from_local(next);
}

bool may_read(const Scope& scope, EventId event, std::optional<RoomId> room) noexcept {
    if (scope.event_id != event) return false;
    if (!scope.room_id) return true;
    return room && *room == *scope.room_id;
}

}  // namespace muster::register_access
