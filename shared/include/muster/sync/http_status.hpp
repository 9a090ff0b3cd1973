#pragma once
// The HTTP statuses of the sync API (docs/api.md, "Errors"), named in one place for the
// server's router and HTTP layer and for the kiosk's sync client, so they cannot disagree on
// a number. Values are the wire codes. A client keeps a reply's status as an int: a server
// may send any status, and one not named here is simply "retry later" to a device.
namespace muster::sync {

enum class HttpStatus : int {
    ok = 200,
    created = 201,  // a register mark stored (docs/register.md)
    see_other = 303,  // a staff page without a session: to the login page (docs/staff.md)
    permanent_redirect = 308,
    bad_request = 400,
    unauthorized = 401,
    forbidden = 403,
    not_found = 404,
    method_not_allowed = 405,
    conflict = 409,  // a register mark's uuid already stored with other content
    payload_too_large = 413,
    unsupported_media_type = 415,
    too_many_requests = 429,  // staff logins from one address over the rate (docs/staff.md)
    header_fields_too_large = 431,
    service_unavailable = 503,
};

constexpr int code_of(HttpStatus status) { return static_cast<int>(status); }

// What a client records as the status when no reply came: cannot connect, timed out,
// connection lost, cancelled.
inline constexpr int no_reply_status = 0;

}  // namespace muster::sync
