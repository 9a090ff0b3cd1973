#pragma once
// The HTTP statuses the sync server answers with (docs/api.md, "Errors"), named in one place
// so the router and the HTTP layer cannot disagree on a number. Values are the wire codes.
namespace muster::server {

enum class HttpStatus : int {
    ok = 200,
    bad_request = 400,
    unauthorized = 401,
    forbidden = 403,
    not_found = 404,
    method_not_allowed = 405,
    payload_too_large = 413,
    header_fields_too_large = 431,
    service_unavailable = 503,
};

constexpr int code_of(HttpStatus status) { return static_cast<int>(status); }

}  // namespace muster::server
