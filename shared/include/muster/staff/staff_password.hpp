#pragma once
// Hub staff passwords (docs/staff.md): which passwords are accepted, and their Argon2id
// hashes in PHC form. No I/O, no SQL; the store (muster/store/staff_store.hpp) keeps only
// the hash. Nothing here logs, and no password is ever kept beyond the call.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace muster::staff {

// Argon2id's cost: passes over memory (t), memory in KiB (m), lanes (p).
struct PasswordCost {
    std::uint32_t passes = 3;
    std::uint32_t memory_kib = 64 * 1024;
    std::uint32_t lanes = 1;
    bool operator==(const PasswordCost&) const = default;
};

// The hub's cost: t=3, m=64 MiB, p=1 (RFC 9106's second recommended setting). A hub
// server is a small machine with a handful of staff logging in a few times a day, so each
// guess costs an attacker with a stolen hub.db 64 MiB and three passes, while a login
// costs the server well under a second and 64 MiB for its duration. One lane: the server
// answers logins on its own threads, and a second lane would only move work, not add cost.
// Measured figures: docs/staff.md.
inline constexpr PasswordCost production_cost{};

// The cheapest cost libargon2 accepts (one pass over 8 KiB): for tests only, which pass it
// explicitly; nothing in the programs uses it. Hashes made with it verify like any other.
inline constexpr PasswordCost test_cost{1, 8, 1};

// Passwords are 12 to 256 characters (UTF-8; any script), with no control characters.
inline constexpr std::size_t min_password_chars = 12;
inline constexpr std::size_t max_password_chars = 256;

// Why a new password is refused ("shorter than 12 characters", "one of the most common
// passwords", ...), or nullopt when it is accepted. The common list is small and built in
// (compared ignoring ASCII case), with one character repeated refused too: the length rule
// does most of the work, the list catches the few long passwords every guesser tries first.
std::optional<std::string> password_problem(std::string_view password);

// A fresh Argon2id hash of `password` in PHC form ("$argon2id$v=19$m=65536,t=3,p=1$<salt>$
// <hash>"), with a 16-byte salt from RAND_bytes. Throws std::runtime_error when Argon2 or the
// randomness fails (out of memory). Does not judge the password: call password_problem first.
std::string hash_password(std::string_view password, const PasswordCost& cost);

// Does `password` match `phc`? argon2id_verify, which compares in constant time and reads
// the cost from the hash itself. False for a hash that is not Argon2id PHC text.
bool verify_password(std::string_view password, std::string_view phc) noexcept;

// The same Argon2 work as verifying against a hash of `cost`, with nothing to match: what a
// login naming no account does, so its answer takes as long as a wrong password's.
void verify_nothing(std::string_view password, const PasswordCost& cost) noexcept;

// The cost a PHC hash was made with, or nullopt when it is not Argon2id PHC text. A login
// that succeeds with a hash of another cost than the hub's stores a new hash.
std::optional<PasswordCost> cost_of(std::string_view phc);

}  // namespace muster::staff
