#include "muster/staff/staff_access.hpp"

#include "muster/register/register_access.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace muster::staff {
namespace {

// Its own label: a register session's token is never a staff session's, even under one value.
constexpr std::string_view csrf_label = "muster staff csrf v1";

}  // namespace

TimeMs lock_after(int failures) noexcept {
    if (failures < failures_before_lock) return 0;
    TimeMs lock = first_lock_ms;
    for (int i = failures_before_lock; i < failures && lock < longest_lock_ms; ++i) lock *= 2;
    return lock < longest_lock_ms ? lock : longest_lock_ms;
}

std::string set_cookie_header(std::string_view value, TimeMs now, TimeMs expires) {
    if (!register_access::is_well_formed_secret(value)) throw std::invalid_argument("set_cookie_header: not a session value");
    TimeMs seconds = expires > now ? (expires - now + 999) / 1000 : 0;
    return std::string(cookie_name) + "=" + std::string(value) + "; Path=" + std::string(cookie_path) +
           "; HttpOnly; Secure; SameSite=Strict; Max-Age=" + std::to_string(seconds);
}

std::string clear_cookie_header() {
    return std::string(cookie_name) + "=; Path=" + std::string(cookie_path) + "; HttpOnly; Secure; SameSite=Strict; Max-Age=0";
}

std::optional<std::string_view> cookie_value_in(std::string_view header) noexcept {
    std::optional<std::string_view> found;
    while (!header.empty()) {
        auto end = header.find(';');
        std::string_view pair = header.substr(0, end);
        header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
        while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
        while (!pair.empty() && (pair.back() == ' ' || pair.back() == '\t')) pair.remove_suffix(1);
        auto eq = pair.find('=');
        if (eq == std::string_view::npos || pair.substr(0, eq) != cookie_name) continue;
        if (found) return std::nullopt;  // two cookies of this name (one planted by a sibling site): neither
        found = pair.substr(eq + 1);
    }
    return found;
}

std::string csrf_token_for(std::string_view cookie_value) {
    if (!register_access::is_well_formed_secret(cookie_value)) return {};
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), cookie_value.data(), static_cast<int>(cookie_value.size()),
              reinterpret_cast<const unsigned char*>(csrf_label.data()), csrf_label.size(), mac, &len) ||
        len != register_access::secret_bytes)
        throw std::runtime_error("HMAC-SHA256 failed");
    return register_access::base64url(mac, len);
}

bool csrf_matches(std::string_view cookie_value, std::string_view presented) noexcept {
    if (!register_access::is_well_formed_secret(presented)) return false;
    try {
        std::string expected = csrf_token_for(cookie_value);
        return !expected.empty() && register_access::secrets_equal(expected, presented);
    } catch (...) {
        return false;  // no HMAC: refuse rather than let the request through
    }
}

}  // namespace muster::staff
