#include "sync_api.hpp"

#include "request_parts.hpp"

#include "muster/db/database.hpp"
#include "muster/sync/request_signing.hpp"
#include "muster/sync/sync_messages.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <map>

namespace muster::server {

ApiResponse error_response(HttpStatus status, sync::ErrorCode code, std::string message, TimeMs now) {
    return ApiResponse{status, sync::to_json(sync::ErrorReply{std::move(message), now, code}), now};
}

namespace {

using sync::ErrorCode;

// "conflict:1 bad_field:2": what the hub refused, by code, for the operator to see at a
// glance which rule a device broke (the codes only: reasons may quote a record's text).
std::string rejected_codes(const sync::UploadReply& reply) {
    std::map<std::string_view, std::size_t> counts;
    for (const auto& r : reply.rejected) ++counts[sync::to_string(r.code)];
    std::string out;
    for (const auto& [code, n] : counts) out += (out.empty() ? "" : " ") + std::string(code) + ":" + std::to_string(n);
    return out;
}

double elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

// What a kiosk reports of itself in the query of GET /v1/changes (docs/api.md): a value
// out of its range is ignored, never an error (the report is for staff, not for sync).
std::optional<std::int64_t> reported_int(std::string_view target, std::string_view key, std::int64_t limit) {
    auto text = query_value(target, key);
    auto value = text ? parse_int(*text) : std::nullopt;
    if (!value || *value < -limit || *value > limit) return std::nullopt;
    return value;
}

}  // namespace

SyncApi::SyncApi(SyncStore& store, log::Logger& log, Clock clock, ChangeFeed* feed)
    : store_(store), log_(log), clock_(std::move(clock)), feed_(feed), unknown_device_secret_(sync::generate_secret()) {}

ApiResponse SyncApi::handle(const ApiRequest& request) {
    const TimeMs now = clock_();
    auto path = path_of(request.target);
    try {
        if (path == "/v1/health") {
            if (request.method != "GET")
                return error_response(HttpStatus::method_not_allowed, ErrorCode::method_not_allowed, "use GET", now);
            return health(now);
        }
        bool is_upload = path == "/v1/upload", is_changes = path == "/v1/changes";
        if (!is_upload && !is_changes)
            return error_response(HttpStatus::not_found, ErrorCode::not_found, "no such endpoint (see docs/api.md)", now);
        if (is_upload && request.method != "POST")
            return error_response(HttpStatus::method_not_allowed, ErrorCode::method_not_allowed, "use POST", now);
        if (is_changes && request.method != "GET")
            return error_response(HttpStatus::method_not_allowed, ErrorCode::method_not_allowed, "use GET", now);
        auto auth = authenticate(request, now, /*remember_nonce=*/!is_upload);
        if (auto* refusal = std::get_if<ApiResponse>(&auth)) return *refusal;
        const auto& device = std::get<DeviceRecord>(auth);
        store::DeviceReport report;
        report.seen_ms = now;
        auto response = is_upload ? upload(request, device, now, report) : changes(request, device, now, report);
        note_report(device, report);
        return response;
    } catch (const db::Error& e) {
        return store_unavailable(path, e, now);
    }
}

ApiResponse SyncApi::resume_changes(const ApiRequest& request, const DeviceRecord& device) {
    const TimeMs now = clock_();
    try {
        auto current = store_.find_device(device.id);
        if (!current || current->revoked || current->removed) {
            const char* reason = current && current->removed ? "removed" : "revoked";
            log_.log(log::Level::warn, "auth_refused",
                     {{"status", code_of(HttpStatus::forbidden)}, {"code", sync::to_string(ErrorCode::revoked)},
                      {"reason", std::string(reason) + " during a long poll"}, {"device", device.id}});
            return error_response(HttpStatus::forbidden, ErrorCode::revoked,
                                  std::string("device ") + (current && current->removed ? "removed from service" : "revoked") +
                                      " by the hub",
                                  now);
        }
        store::DeviceReport report;
        report.seen_ms = now;
        auto response = changes(request, *current, now, report, /*may_wait=*/false);
        note_report(*current, report);
        return response;
    } catch (const db::Error& e) {
        return store_unavailable("/v1/changes", e, now);
    }
}

ApiResponse SyncApi::store_unavailable(std::string_view path, const db::Error& e, TimeMs now) {
    // The store could not answer (disk full, database locked for too long): the device
    // keeps its records and retries; nothing was acknowledged.
    log_.log(log::Level::error, "store_error", {{"path", path}, {"sqlite_code", e.extended_code()}});
    auto res = error_response(HttpStatus::service_unavailable, ErrorCode::store_busy,
                              "the hub's store is unavailable; try again later", now);
    // A full disk or a long lock is not over at once: a hint for clients that read it (the
    // kiosk keeps its own back-off with jitter, docs/api.md).
    res.headers.emplace_back("Retry-After", "5");
    return res;
}

ApiResponse SyncApi::health(TimeMs now) {
    if (!store_.healthy())
        return error_response(HttpStatus::service_unavailable, ErrorCode::store_busy, "store unavailable", now);
    return ApiResponse{HttpStatus::ok, boost::json::serialize(boost::json::object{{"status", "ok"}, {"server_time_ms", now}}),
                       now};
}

std::variant<DeviceRecord, ApiResponse> SyncApi::authenticate(const ApiRequest& r, TimeMs now, bool remember_nonce) {
    auto refuse = [&](ErrorCode code, const std::string& message, const std::string& reason,
                      const std::string& device) -> ApiResponse {
        auto status = code == ErrorCode::revoked ? HttpStatus::forbidden : HttpStatus::unauthorized;
        // The log keeps the real reason: it is read by the hub's operator, not the client.
        log_.log(log::Level::warn, "auth_refused",
                 {{"status", code_of(status)}, {"code", sync::to_string(code)}, {"reason", reason}, {"device", device}});
        return error_response(status, code, message, now);
    };
    std::string id = header(r, sync::header_device);
    std::string time_text = header(r, sync::header_time);
    std::string nonce = header(r, sync::header_nonce);
    std::string signature = header(r, sync::header_signature);
    const bool complete = !id.empty() && !time_text.empty() && !nonce.empty() && !signature.empty();
    std::optional<DeviceRecord> device;
    if (complete && id.size() <= 40) device = store_.find_device(id);
    const bool known = device && device->secret;
    if (device && device->secret_unreadable) log_.warn("secret_unreadable", {{"device", id}});
    auto time = parse_int(time_text);
    const bool nonce_ok = sync::is_valid_nonce(nonce);
    // One HMAC on every path, against a throw-away secret when the device is unknown, so the
    // time a refusal takes does not tell a stranger which device ids exist either.
    const bool signed_ok = sync::signature_matches(known ? *device->secret : unknown_device_secret_, r.method, r.target,
                                                   time.value_or(0), nonce, r.body, signature);
    const char* reason = !complete                ? "missing authentication headers"
                         : !known                 ? "unknown device (or one without a secret)"
                         : !time                  ? "X-Muster-Time is not a number"
                         : !nonce_ok              ? "X-Muster-Nonce is not a valid nonce"
                         : !signed_ok             ? "bad signature"
                                                  : nullptr;
    // Missing headers, an unknown device, a malformed time or nonce and a bad signature get
    // one answer, word for word: a stranger cannot enumerate device ids (docs/api.md).
    if (reason)
        return refuse(ErrorCode::unauthenticated, unauthenticated_message, reason, id.size() <= 40 ? id : std::string());
    // Only now is it known the request comes from the device: tell it apart from a stranger.
    if (device->revoked) return refuse(ErrorCode::revoked, "device revoked by the hub", "revoked", id);
    // Out of service: the kiosk treats it as revoked (it keeps its records and says so).
    if (device->removed) return refuse(ErrorCode::revoked, "device removed from service by the hub", "removed", id);
    if (std::llabs(*time - now) > sync::request_window_ms)
        return refuse(ErrorCode::clock_skew, "request time outside the accepted window; adjust by X-Muster-Server-Time",
                      "clock skew", id);
    if (remember_nonce && !store_.remember_nonce(id, nonce, now))
        return refuse(ErrorCode::replayed, "replayed request (nonce already used)", "replayed", id);
    return *device;
}

void SyncApi::publish_change() {
    try {
        feed_->publish(store_.latest_change());
    } catch (const db::Error& e) {
        // The records are stored; listeners hear of them from the change watcher instead.
        log_.log(log::Level::warn, "change_not_published", {{"sqlite_code", e.extended_code()}});
    }
}

void SyncApi::note_report(const DeviceRecord& device, const store::DeviceReport& report) {
    try {
        store_.note_report(device, report);
    } catch (const db::Error& e) {
        // Only the status staff see is late; the request itself succeeded.
        log_.log(log::Level::warn, "report_not_stored", {{"device", device.id}, {"sqlite_code", e.extended_code()}});
    }
}

ApiResponse SyncApi::upload(const ApiRequest& request, const DeviceRecord& device, TimeMs now,
                            store::DeviceReport& report) {
    auto started = std::chrono::steady_clock::now();
    sync::UploadBatch batch;
    try {
        batch = sync::parse_upload_batch(request.body);
    } catch (const sync::ProtocolError& e) {
        log_.log(log::Level::warn, "bad_request", {{"device", device.id}, {"path", "/v1/upload"}});
        return error_response(HttpStatus::bad_request, ErrorCode::bad_request, e.what(), now);
    }
    sync::UploadReply reply;
    try {
        reply = store_.ingest(device, batch, now, header(request, sync::header_nonce));
    } catch (const ReplayedRequest& e) {
        log_.log(log::Level::warn, "auth_refused",
                 {{"status", code_of(HttpStatus::unauthorized)}, {"code", sync::to_string(ErrorCode::replayed)},
                  {"reason", e.what()}, {"device", device.id}});
        return error_response(HttpStatus::unauthorized, ErrorCode::replayed, e.what(), now);
    }
    report.clock_skew_ms = reply.clock_skew_ms;  // the batch's device_time_ms against the hub's clock
    if (feed_ && !reply.acked.empty()) publish_change();
    log_.log(reply.rejected.empty() ? log::Level::info : log::Level::warn, "upload",
             {{"device", device.id},
              {"records", batch.check_ins.size() + batch.corrections.size()},
              {"answers", batch.satisfaction.size()},  // a count only: nothing ties an answer to a check-out
              {"acked", reply.acked.size()},
              {"rejected", reply.rejected.size()},
              {"rejected_codes", rejected_codes(reply)},
              {"clock_skew_ms", reply.clock_skew_ms},
              {"clock_flagged", reply.clock_flagged},
              {"ms", elapsed_ms(started)}});
    return ApiResponse{HttpStatus::ok, sync::to_json(reply), now};
}

ApiResponse SyncApi::changes(const ApiRequest& request, const DeviceRecord& device, TimeMs now,
                             store::DeviceReport& report, bool may_wait) {
    auto started = std::chrono::steady_clock::now();
    // What the kiosk reports of itself (docs/api.md): out of range is ignored, never an error.
    if (auto q = reported_int(request.target, "queued", 1'000'000'000); q && *q >= 0) report.queued = q;
    // The device's own measure (device minus hub): X-Muster-Time is already corrected by the
    // offset the kiosk learned, so it cannot show how wrong the device's clock is.
    report.clock_skew_ms = reported_int(request.target, "skew", 10LL * 366 * 24 * 3600'000);
    if (auto v = query_value(request.target, "version")) report.version = store::clean_version(*v);
    auto since_text = query_value(request.target, "since");
    auto since = since_text ? parse_int(*since_text) : std::optional<std::int64_t>(0);
    if (!since || *since < 0)
        return error_response(HttpStatus::bad_request, ErrorCode::bad_request,
                              "since: expected a cursor (a whole number >= 0)", now);
    auto wait_text = query_value(request.target, "wait_ms");
    auto wait_ms = wait_text ? parse_int(*wait_text) : std::optional<std::int64_t>(0);
    if (!wait_ms || *wait_ms < 0)
        return error_response(HttpStatus::bad_request, ErrorCode::bad_request,
                              "wait_ms: expected milliseconds to wait (a whole number >= 0)", now);
    auto changes = store_.changes_since(device, *since, now);
    if (may_wait && *wait_ms > 0 && sync::carries_nothing(changes)) {
        // Nothing for this device yet: the HTTP layer waits for the feed to pass the clock as
        // this answer saw it (not `since`: other events' changes and the device's own uploads
        // moved it without bringing the device anything, and would wake the wait at once).
        log_.log(log::Level::debug, "changes_wait", {{"device", device.id}, {"since", *since}, {"cursor", changes.cursor}});
        ApiResponse wait;
        wait.server_time_ms = now;
        wait.deferral = Deferral{changes.cursor, std::chrono::milliseconds(std::min(*wait_ms, max_wait_ms)),
                                 [this, request, device] { return resume_changes(request, device); }};
        return wait;
    }
    log_.log(log::Level::debug, "changes",
             {{"device", device.id},
              {"since", *since},
              {"cursor", changes.cursor},
              {"check_ins", changes.check_ins.size()},
              {"participants", changes.participants.size()},
              {"more", changes.more},
              {"ms", elapsed_ms(started)}});
    return ApiResponse{HttpStatus::ok, sync::to_json(changes), now};
}

}  // namespace muster::server
