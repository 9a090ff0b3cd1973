#pragma once
// Small text helpers shared by the CSV import, the CLI and the screens. UTF-8 throughout.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace muster::text {

std::string_view trim(std::string_view s);
std::string to_lower_ascii(std::string_view s);
std::string to_upper_ascii(std::string_view s);
// Lower-case, trimmed, with runs of spaces, '_', '-' and '.' folded to one space:
// "E-mail_Address " -> "e mail address". Used to match CSV headers and role names.
std::string normalise_key(std::string_view s);
std::string replace_all(std::string s, std::string_view from, std::string_view to);
// The first whole UTF-8 character (so "Ó Súilleabháin" -> "Ó").
std::string first_utf8_char(std::string_view s);
bool is_valid_utf8(std::string_view s);
bool all_digits(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
std::string hex(const unsigned char* data, std::size_t size);
// The bytes of an even-length hex string (either case); nullopt if it is not one.
std::optional<std::string> from_hex(std::string_view hex);

}  // namespace muster::text
