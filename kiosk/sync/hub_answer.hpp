#pragma once
// What a reply from the hub means for the device, as a type (libpretixsync's typed errors):
// read from the reply's machine-readable code when the server sent one, else from its HTTP
// status, since a server older than the codes sends none. The error's text is for people
// and is never matched: a 401 without a code is not taken for a clock problem.
#include "http_client.hpp"

#include "muster/sync/sync_messages.hpp"

#include <string>
#include <string_view>

namespace muster::kiosk {

enum class HubAnswer {
    accepted,         // 200
    no_reply,         // no HTTP reply: cannot connect, timed out, connection lost, cancelled
    malformed,        // 400: the server could not read the request (perhaps one record in it)
    too_large,        // 413: the body is over the server's limit (a smaller batch may pass)
    clock_skew,       // 401 clock_skew: re-sign in server time and try once more at once
    replayed,         // 401 replayed: the nonce was seen before; a later try has a new one
    unauthenticated,  // 401 otherwise: unknown device, bad signature
    revoked,          // 403 / revoked: the hub cut this device off
    store_busy,       // 503 store_busy: nothing was stored, retry later
    unavailable,      // 503 otherwise: stopping, or at its connection limit
    other,            // any other status (404, 405, 431, 5xx ...): retry later
};
std::string_view to_string(HubAnswer answer);

// The code wins when the server sent one; `unknown` falls back on the status.
HubAnswer classify(int status, sync::ErrorCode code);
// The code from an error body; unknown when there is none or the body is not an error reply.
sync::ErrorCode error_code_of(const HttpResult& reply);
inline HubAnswer answer_of(const HttpResult& reply) { return classify(reply.status, error_code_of(reply)); }

// For staff and the outbox: "server said 400: body: check_ins[0].uuid: expected a string".
std::string error_text(const HttpResult& reply);

}  // namespace muster::kiosk
