#pragma once
// The HTTP statuses the sync client acts on, named once (docs/api.md lists when the hub
// sends each). HttpResult::status stays an int: a server may send any status, and one the
// client does not name is simply "retry later".
namespace muster::kiosk::http_status {

inline constexpr int no_reply = 0;  // cannot connect, timed out, connection lost, cancelled
inline constexpr int ok = 200;
inline constexpr int bad_request = 400;
inline constexpr int unauthorized = 401;
inline constexpr int forbidden = 403;  // the hub revoked this device
inline constexpr int payload_too_large = 413;
inline constexpr int headers_too_large = 431;
inline constexpr int service_unavailable = 503;

}  // namespace muster::kiosk::http_status
