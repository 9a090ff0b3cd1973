#pragma once
// Hub staff sessions, the pure parts (docs/staff.md): the session cookie and its header,
// the CSRF token every form carries, the timeouts and the lockout rule. The secrets are
// made, hashed and compared as the live register's are (muster/register/register_access.hpp:
// 256 bits from RAND_bytes, base64url, SHA-256, CRYPTO_memcmp). No I/O, no SQL; the store
// (muster/store/staff_store.hpp) keeps only hashes.
#include "muster/model/types.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace muster::staff {

// A session ends 30 minutes after its last request (idle), and 12 hours after the login
// whatever its use (absolute): a browser left open at the hub's desk overnight is logged out.
inline constexpr TimeMs session_idle_ms = 30 * 60'000;
inline constexpr TimeMs session_absolute_ms = 12 * 3'600'000;
// last_seen_ms moves on at most this often, so a page's requests are not each a write; the
// idle timeout may so come up to a minute early.
inline constexpr TimeMs session_touch_ms = 60'000;

// Lockout with back-off: the 5th wrong password in a row locks the account for 1 minute,
// each further one (after the lock ends) for twice as long as the one before, at most 1 hour.
// A good login (or `muster staff unlock`) starts the count again.
inline constexpr int failures_before_lock = 5;
inline constexpr TimeMs first_lock_ms = 60'000;
inline constexpr TimeMs longest_lock_ms = 3'600'000;
// How long the account is locked after its `failures`-th wrong password in a row: 0 below 5.
TimeMs lock_after(int failures) noexcept;

// The cookie: the register's attributes (HttpOnly, Secure, SameSite=Strict), its own name
// and path, so neither kind of session is ever sent where the other is read.
inline constexpr std::string_view cookie_name = "muster_staff";
inline constexpr std::string_view cookie_path = "/staff/";
// `muster_staff=VALUE; Path=/staff/; HttpOnly; Secure; SameSite=Strict; Max-Age=N`, N the
// whole seconds from now to expires (rounded up; 0 when past). Throws std::invalid_argument
// when value is not a well-formed secret (it must never be able to add an attribute).
std::string set_cookie_header(std::string_view value, TimeMs now, TimeMs expires);
// The cookie emptied with Max-Age=0 (logout, a refused session).
std::string clear_cookie_header();
// The muster_staff value in a request's `Cookie:` header, or nullopt when absent or
// repeated (two values: trust neither). Not checked for form.
std::optional<std::string_view> cookie_value_in(std::string_view cookie_header) noexcept;

// The session's CSRF token: HMAC-SHA256 of a label of its own (not the register's) under
// the cookie value, base64url. Derived, never stored; empty for a malformed cookie value.
std::string csrf_token_for(std::string_view cookie_value);
// The token a form sent is the session's: checked in constant time.
bool csrf_matches(std::string_view cookie_value, std::string_view presented) noexcept;

}  // namespace muster::staff
