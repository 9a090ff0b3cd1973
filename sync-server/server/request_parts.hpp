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

// Content-Type names application/json (any case, parameters ignored).
bool is_json_content_type(std::string_view value);
// A cross-site form or script cannot post here: a browser names the page's origin in
// `Origin` on every POST, and it must be this server's own (scheme and Host). Without an
// Origin, only a request the browser marks cross-site is refused.
bool same_origin(const ApiRequest& r);

}  // namespace muster::server
