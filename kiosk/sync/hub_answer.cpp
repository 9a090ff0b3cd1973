#include "hub_answer.hpp"

#include "muster/sync/http_status.hpp"

namespace muster::kiosk {

std::string_view to_string(HubAnswer answer) {
    switch (answer) {
    case HubAnswer::accepted: return "accepted";
    case HubAnswer::no_reply: return "no_reply";
    case HubAnswer::malformed: return "malformed";
    case HubAnswer::too_large: return "too_large";
    case HubAnswer::clock_skew: return "clock_skew";
    case HubAnswer::replayed: return "replayed";
    case HubAnswer::unauthenticated: return "unauthenticated";
    case HubAnswer::revoked: return "revoked";
    case HubAnswer::store_busy: return "store_busy";
    case HubAnswer::unavailable: return "unavailable";
    case HubAnswer::other: return "other";
    }
    return "other";
}

namespace {

HubAnswer from_status(int status) {
    switch (status) {
    case code_of(sync::HttpStatus::bad_request): return HubAnswer::malformed;
    case code_of(sync::HttpStatus::unauthorized): return HubAnswer::unauthenticated;  // never "clock" without the code
    case code_of(sync::HttpStatus::forbidden): return HubAnswer::revoked;
    case code_of(sync::HttpStatus::payload_too_large): return HubAnswer::too_large;
    case code_of(sync::HttpStatus::service_unavailable): return HubAnswer::unavailable;
    default: return HubAnswer::other;
    }
}

}  // namespace

HubAnswer classify(int status, sync::ErrorCode code) {
    using sync::ErrorCode;
    if (status == sync::no_reply_status) return HubAnswer::no_reply;
    if (status == code_of(sync::HttpStatus::ok)) return HubAnswer::accepted;
    switch (code) {
    case ErrorCode::unknown: return from_status(status);
    case ErrorCode::bad_request: return HubAnswer::malformed;
    // 431 is the headers: no smaller batch makes them smaller, so it must not narrow down
    // (narrowing ends in refusing a record for good).
    case ErrorCode::too_large: return status == code_of(sync::HttpStatus::header_fields_too_large) ? HubAnswer::other : HubAnswer::too_large;
    case ErrorCode::unauthenticated: return HubAnswer::unauthenticated;
    case ErrorCode::clock_skew: return HubAnswer::clock_skew;
    case ErrorCode::replayed: return HubAnswer::replayed;
    case ErrorCode::revoked: return HubAnswer::revoked;
    case ErrorCode::store_busy: return HubAnswer::store_busy;
    case ErrorCode::unavailable: return HubAnswer::unavailable;
    case ErrorCode::not_found:
    case ErrorCode::method_not_allowed: return HubAnswer::other;
    }
    return from_status(status);
}

sync::ErrorCode error_code_of(const HttpResult& reply) {
    if (reply.status == sync::no_reply_status || reply.status == code_of(sync::HttpStatus::ok)) return sync::ErrorCode::unknown;
    try {
        return sync::parse_error_reply(reply.body).code;
    } catch (const std::exception&) {
        return sync::ErrorCode::unknown;  // not our server's error body (a proxy's page): the status decides
    }
}

std::string error_text(const HttpResult& reply) {
    if (reply.status == sync::no_reply_status) return reply.error;
    try {
        return "server said " + std::to_string(reply.status) + ": " + sync::parse_error_reply(reply.body).error;
    } catch (const std::exception&) {
        return "server said " + std::to_string(reply.status);
    }
}

}  // namespace muster::kiosk
