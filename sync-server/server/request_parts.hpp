#pragma once
// The parts of an ApiRequest both APIs read: a header, the path, a query value, a number.
// Defensive by design: a missing or malformed part is nullopt (or empty), never a throw.
#include "sync_api.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace muster::server {

// The header's value (`name` in any case; ApiRequest keeps names lower-case), or "".
std::string header(const ApiRequest& r, std::string_view name);
// "/v1/changes?since=4" -> "/v1/changes".
std::string_view path_of(std::string_view target);
// The value of `key` in the target's query string ("" for a bare key), or nullopt. A view
// into `target`.
std::optional<std::string_view> query_value(std::string_view target, std::string_view key);
// A whole decimal number and nothing else, or nullopt.
std::optional<std::int64_t> parse_int(std::string_view s);

}  // namespace muster::server
