#pragma once
// Access to the facilitators' live register without accounts (docs/register.md): a link
// carries a one-time code, the code is exchanged for a session cookie, and every POST of the
// session carries a CSRF token. These are the pure parts: making, parsing, hashing and
// comparing the secrets, the cookie header, the end of an event's day and the read rule.
// No I/O, no SQL; the store (muster/store/register_link_store.hpp) keeps only hashes.
//
// The namespace is register_access because `register` is a C++ keyword.
#include "muster/model/types.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace muster::register_access {

// Every secret (link code, cookie value, CSRF token) is 32 random bytes (256 bits), written
// as base64url without padding: 43 characters of [A-Za-z0-9_-], safe in a URL fragment, a
// cookie and a header without escaping.
inline constexpr std::size_t secret_bytes = 32;
inline constexpr std::size_t secret_chars = 43;

// SHA-256 of a secret's text: what the hub stores and looks rows up by. The secrets are 256
// random bits, so a plain hash suffices (no salt or slow hash: there is nothing to guess).
using SecretHash = std::array<unsigned char, 32>;

// A fresh secret from OpenSSL's RAND_bytes; throws std::runtime_error if it has none.
std::string make_secret();
inline std::string make_link_code() { return make_secret(); }
inline std::string make_cookie_value() { return make_secret(); }

// base64url without padding ("-" and "_" for "+" and "/").
std::string base64url(const unsigned char* data, std::size_t size);

// The text is a well-formed secret: exactly secret_chars characters of the base64url
// alphabet, and the last one canonical (its two unused bits zero). Anything else (empty,
// too long, "%", spaces, a quote, a NUL) is refused before it is hashed or looked up.
bool is_well_formed_secret(std::string_view text) noexcept;
// The hash of a well-formed secret, or nullopt: never throws, whatever the input.
std::optional<SecretHash> parse_secret(std::string_view text) noexcept;
SecretHash hash_secret(std::string_view text);

// Constant-time equality (CRYPTO_memcmp) for secrets and their hashes. Different lengths are
// unequal at once: the length of a token is public (secret_chars), its content is not.
bool secrets_equal(std::string_view a, std::string_view b) noexcept;
bool hashes_equal(const SecretHash& a, const SecretHash& b) noexcept;

// The session's CSRF token: HMAC-SHA256 of a fixed label under the cookie value, base64url
// (43 characters). Derived, not stored: the server can give it to the page again after a
// reload (the page's GET carries the cookie), and a reader of hub.db, who sees only the
// cookie's hash, cannot make it. Empty when the cookie value is not well formed.
std::string csrf_token_for(std::string_view cookie_value);
// The token sent with a POST is the session's: checked in constant time.
bool csrf_matches(std::string_view cookie_value, std::string_view presented) noexcept;

// The cookie: one name, one path, never readable by the page's script, never sent over
// plain HTTP or from another site.
inline constexpr std::string_view cookie_name = "muster_register";
inline constexpr std::string_view cookie_path = "/register/";
// `muster_register=VALUE; Path=/register/; HttpOnly; Secure; SameSite=Strict; Max-Age=N`,
// N the whole seconds from now to expires (rounded up, 0 when past). Throws
// std::invalid_argument when value is not a well-formed secret (it must never be able to
// add an attribute of its own).
std::string set_cookie_header(std::string_view value, TimeMs now, TimeMs expires);
// The same cookie emptied with Max-Age=0: the browser forgets it (a refused session).
std::string clear_cookie_header();
// The muster_register value in a request's `Cookie:` header ("a=1; muster_register=V"),
// or nullopt when absent or repeated (two values: trust neither). Not checked for form.
std::optional<std::string_view> cookie_value_in(std::string_view cookie_header) noexcept;

// The same mechanics for any session cookie of Muster's (the staff pages' too,
// muster/staff/staff_access.hpp): a cookie `name` on `path`, and a CSRF token whose HMAC label
// keeps one kind of session's tokens from ever being another's.
std::string csrf_token_for(std::string_view label, std::string_view cookie_value);
bool csrf_matches(std::string_view label, std::string_view cookie_value, std::string_view presented) noexcept;
std::string set_cookie_header(std::string_view name, std::string_view path, std::string_view value, TimeMs now,
                              TimeMs expires);
std::string clear_cookie_header(std::string_view name, std::string_view path);
std::optional<std::string_view> cookie_value_in(std::string_view name, std::string_view cookie_header) noexcept;

// 24:00 UK time (Europe/London) at the end of an event's local date "YYYY-MM-DD": the
// instant its links and sessions stop working. nullopt for a date that is not real.
std::optional<TimeMs> end_of_uk_day(std::string_view local_date);

// What a session may read: its event, and within it its room (a room link) or every room
// (a whole-event link, for hub staff).
struct Scope {
    std::int64_t link_id = 0;
    EventId event_id = 0;
    std::optional<RoomId> room_id;  // nullopt: the whole event
    TimeMs expires_ms = 0;
};
// May `scope` read `room` of `event` (nullopt: the whole event, every room at once)? A room
// link reads only its own room of its own event: "a link for room 1 cannot read room 2",
// nor the whole event. `room` must be a room of `event` (the caller reads which event a
// requested room belongs to from the hub, then asks with both).
bool may_read(const Scope& scope, EventId event, std::optional<RoomId> room) noexcept;

}  // namespace muster::register_access
