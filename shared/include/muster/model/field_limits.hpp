#pragma once
// How long each free-text field may be, and which characters it may hold. One list for
// every place a record or a roster line is made (the check-in desk, roster import, the
// admin tool) and for every place one arrives from outside (the sync server checks each
// uploaded record again: a device is not believed). See docs/security.md.
//
// Lengths count UTF-8 characters, not bytes. Control characters (U+0000-U+001F and U+007F,
// NUL included) are refused everywhere: they have no place in a name or a reason, and they
// break exports, logs and terminals.
#include "muster/model/types.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace muster::limits {

inline constexpr std::size_t name_chars = 100;         // first, last, preferred name
inline constexpr std::size_t school_chars = 200;       // school name
inline constexpr std::size_t email_chars = 254;        // RFC 5321's limit on a path
inline constexpr std::size_t label_chars = 100;        // programme, lead provider, delivery partner; hub, device names
inline constexpr std::size_t venue_chars = 200;        // an event's venue
inline constexpr std::size_t reason_chars = 500;       // a scan's reason, a correction's reason
inline constexpr std::size_t staff_chars = 100;        // who made a manual check-in or a correction
inline constexpr std::size_t device_id_chars = 40;     // matches the server's header check
inline constexpr std::size_t uuid_chars = 36;          // canonical UUID text

// What is wrong with one text field, e.g. "longer than 100 characters", "holds a control
// character", "is not UTF-8"; nullopt when it is fine. Empty text is fine here: whether a
// field may be empty is the record's rule, not the character rule.
std::optional<std::string> text_problem(std::string_view text, std::size_t max_chars);

// The first problem in a record, naming the field ("reason: longer than 500 characters"),
// or nullopt. These check text only (lengths, characters, uuids); what a record means
// (its event, session, participant) is the caller's to check.
std::optional<std::string> problem_in(const CheckIn& c);
std::optional<std::string> problem_in(const Correction& c);
std::optional<std::string> problem_in(const Participant& p);

}  // namespace muster::limits
