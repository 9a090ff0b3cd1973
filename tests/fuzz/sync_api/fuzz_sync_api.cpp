// The sync server's request handling, SyncApi::handle (sync-server/server/sync_api.cpp), over
// the real store (DatabaseSyncStore) on a hub database made once per process (fuzz_hub.hpp).
//
// The first byte chooses the mode; the rest is a request carved as in fuzz_request.hpp:
//  - even: unsigned, the request exactly as given (a stranger's request). Nothing but
//    /v1/health may ever answer 200: anything else would be a forged device.
//  - odd: signed, as the device named by the second byte ("entrance-1", "room-1",
//    "revoked-1", which gets no 200 but from /v1/health) signs it: fresh time and nonce, the right HMAC over the carved method,
//    target and body, so the body reaches the JSON reader and the store. In the body,
//    @NOW@ becomes the server's clock, @OFF@ the UK offset in minutes, @HOUR@ the start of
//    the hour, @SEQ@ a counter and @N@ the same as 12 digits (a uuid's last group), so seed
//    uploads stay plausible on any day and their records new.
//    A request answered 200 must be refused as replayed when sent again, and afterwards
//    the health check and a device's changes request must still answer 200.
//
// Every answer must be a known HTTP status below 500 (the store is a healthy tmpfs file: a
// 5xx here is bad input breaking the server) with a JSON body the kiosk's own reader reads:
// an error reply for a refusal, an upload reply or a changes page for a 200.
#include "../support/fuzz_hub.hpp"
#include "../support/fuzz_request.hpp"

#include "database_sync_store.hpp"
#include "request_parts.hpp"
#include "sync_api.hpp"

#include "muster/sync/request_signing.hpp"
#include "muster/sync/sync_messages.hpp"
#include "muster/time/uk_time.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

using namespace muster;
using server::ApiRequest;
using server::ApiResponse;

void check(bool condition) {
    if (!condition) std::abort();  // libFuzzer keeps the input as a crash
}

struct Server {
    const fuzz::FuzzHub& hub = fuzz::fuzz_hub();
    std::FILE* sink = std::fopen("/dev/null", "w");
    log::Logger log{log::Level::error, sink};
    server::DatabaseSyncStore store{hub.database, hub.secrets_key};
    std::int64_t ticks = 0;  // one millisecond of server time per request: nonces age out
    server::SyncApi api{store, log, [this] { return hub.started_ms + ticks; }};
    std::uint64_t nonces = 0;

    TimeMs now() const { return hub.started_ms + ticks; }

    ApiResponse handle(const ApiRequest& r) {
        ++ticks;
        auto response = api.handle(r);
        if (response.deferral) response = response.deferral->resume();  // a long poll's answer, at once
        return response;
    }

    void sign(ApiRequest& r, const std::string& device, const sync::DeviceSecret& secret) {
        char nonce[40];
        std::snprintf(nonce, sizeof nonce, "fuzz%028llx", static_cast<unsigned long long>(++nonces));
        TimeMs time = now() + 1;  // the clock handle() will read
        r.headers["x-muster-device"] = device;
        r.headers["x-muster-time"] = std::to_string(time);
        r.headers["x-muster-nonce"] = nonce;
        r.headers["x-muster-signature"] = sync::sign_request(secret, r.method, r.target, time, nonce, r.body);
    }
};

Server& server_() {
    static Server s;
    return s;
}

// A known status below 500 with a body the kiosk reads; returns the status.
int check_answer(const ApiRequest& r, const ApiResponse& a) {
    static const bool verbose = std::getenv("MUSTER_FUZZ_VERBOSE") != nullptr;  // to check what seeds reach
    if (verbose) std::fprintf(stderr, "%d %.160s\n", sync::code_of(a.status), a.body.c_str());
    int status = sync::code_of(a.status);
    check(status >= 200 && status < 500);
    check(a.content_type == "application/json");
    boost::system::error_code ec;
    auto v = boost::json::parse(a.body, ec);
    check(!ec && v.is_object());
    auto path = server::path_of(r.target);
    try {
        if (status != 200) (void)sync::parse_error_reply(a.body);
        else if (path == "/v1/upload") (void)sync::parse_upload_reply(a.body);
        else if (path == "/v1/changes") (void)sync::parse_changes(a.body);
    } catch (const sync::ProtocolError&) {
        std::abort();  // the server answered what its own devices cannot read
    }
    return status;
}

void unsigned_request(std::string_view bytes) {
    auto& s = server_();
    auto r = fuzz::carve_request(bytes);
    int status = check_answer(r, s.handle(r));
    if (status == 200) check(server::path_of(r.target) == "/v1/health");
}

void signed_request(std::string_view bytes) {
    auto& s = server_();
    if (bytes.empty()) return;
    int who = bytes.front() % 3;
    auto r = fuzz::carve_request(bytes.substr(1));
    auto now = s.now() + 1;
    fuzz::replace_all(r.body, "@NOW@", std::to_string(now));
    fuzz::replace_all(r.body, "@OFF@", std::to_string(uk_time::offset_minutes(now)));
    fuzz::replace_all(r.body, "@HOUR@", std::to_string(now - now % 3'600'000));
    char padded[24];
    std::snprintf(padded, sizeof padded, "%012llu", static_cast<unsigned long long>(s.nonces % 1'000'000'000'000ULL));
    fuzz::replace_all(r.body, "@N@", padded);  // the last group of a uuid
    fuzz::replace_all(r.body, "@SEQ@", std::to_string(s.nonces));
    const auto& hub = s.hub;
    const char* device = who == 0 ? "entrance-1" : who == 1 ? "room-1" : "revoked-1";
    s.sign(r, device, who == 0 ? hub.entrance_secret : who == 1 ? hub.room_secret : hub.revoked_secret);
    int status = check_answer(r, s.handle(r));
    bool is_health = server::path_of(r.target) == "/v1/health";  // answers anyone: no device is asked for
    if (who == 2 && !is_health) check(status != 200);  // revoked
    if (status == 200 && !is_health) {
        auto again = s.handle(r);
        check_answer(r, again);
        check(again.status == sync::HttpStatus::unauthorized &&
              sync::parse_error_reply(again.body).code == sync::ErrorCode::replayed);
    }
    // The store still answers the next requests.
    ApiRequest health{"GET", "/v1/health", {}, ""};
    check(s.handle(health).status == sync::HttpStatus::ok);
    ApiRequest probe{"GET", "/v1/changes?since=" + std::to_string(s.store.latest_change()), {}, ""};
    s.sign(probe, "entrance-1", hub.entrance_secret);
    auto answer = s.handle(probe);
    check(check_answer(probe, answer) == 200);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)server_();  // the hub database, made once
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    if (data[0] & 1) signed_request(bytes);
    else unsigned_request(bytes);
    return 0;
}
