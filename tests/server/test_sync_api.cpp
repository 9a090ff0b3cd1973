// The router (SyncApi::handle) called directly: an in-memory store, a fixed clock, no
// sockets. Every refusal with its status and code, and the success paths. The real-process
// tests (test_server_security.cpp, test_server_bad_input.cpp) keep a smaller set over HTTP.
#include "memory_sync_store.hpp"
#include "sync_api.hpp"

#include "muster/sync/request_signing.hpp"
#include "muster/sync/sync_messages.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

using namespace muster;
using namespace muster::test;
using server::ApiRequest;
using server::ApiResponse;
using server::HttpStatus;
using sync::ErrorCode;

namespace {

constexpr TimeMs fixed_now = 1'795'360'000'000;

// The log lines the router writes, captured in memory.
struct LogCapture {
    char* buffer = nullptr;
    std::size_t size = 0;
    std::FILE* sink = open_memstream(&buffer, &size);
    ~LogCapture() {
        std::fclose(sink);
        std::free(buffer);
    }
    std::string text() {
        std::fflush(sink);
        return std::string(buffer, size);
    }
};

struct Router {
    MemorySyncStore store;
    LogCapture captured;
    log::Logger log{log::Level::debug, captured.sink};
    TimeMs now = fixed_now;
    server::SyncApi api{store, log, [this] { return now; }};

    Router() {
        add_device("entrance-1", 1);
        add_device("room-1", 1);
        add_device("other-event", 2);
        store.devices["legacy"] = server::DeviceRecord{"legacy", 1, std::nullopt, std::nullopt, false};
    }
    void add_device(const std::string& id, EventId event) {
        store.devices[id] = server::DeviceRecord{id, event, std::nullopt, sync::generate_secret(), false};
    }
    sync::DeviceSecret secret(const std::string& id) { return *store.devices.at(id).secret; }

    // A request signed as the device does it; each part can be overridden to forge one.
    ApiRequest signed_request(const std::string& method, const std::string& target, const std::string& body = "",
                              const std::string& device = "entrance-1") {
        ApiRequest r{method, target, {}, body};
        auto time = now;
        auto nonce = sync::random_nonce();
        r.headers["x-muster-device"] = device;
        r.headers["x-muster-time"] = std::to_string(time);
        r.headers["x-muster-nonce"] = nonce;
        r.headers["x-muster-signature"] = sync::sign_request(secret(device), method, target, time, nonce, body);
        return r;
    }
    // Re-signs `r` after a test changed its time or nonce (so only that part is wrong).
    void resign(ApiRequest& r, const sync::DeviceSecret& with) {
        r.headers["x-muster-signature"] = sync::sign_request(with, r.method, r.target, std::stoll(r.headers["x-muster-time"]),
                                                             r.headers["x-muster-nonce"], r.body);
    }
    ApiResponse handle(const ApiRequest& r) { return api.handle(r); }
};

CheckIn check_in(const std::string& device, std::int64_t seq, EventId event = 1) {
    CheckIn c;
    c.uuid = "0190f5c2-0000-7000-8000-" + std::string(12 - std::to_string(seq).size(), '0') + std::to_string(seq);
    c.device_id = device;
    c.device_seq = seq;
    c.participant_id = 1;
    c.event_id = event;
    c.session_id = 1;
    c.direction = Direction::entry;
    c.method = Method::qr;
    c.outcome = Outcome::checked_in;
    c.device_ms = fixed_now;
    return c;
}

std::string batch_of(std::vector<CheckIn> records) {
    sync::UploadBatch b;
    b.device_time_ms = fixed_now;
    b.check_ins = std::move(records);
    return sync::to_json(b);
}

// Status, code and the message's key words of an error reply; its clock is the server's.
void check_refusal(const ApiResponse& r, HttpStatus status, ErrorCode code, const std::string& says) {
    INFO(r.body);
    CHECK(r.status == status);
    auto e = sync::parse_error_reply(r.body);
    CHECK(e.code == code);
    CHECK_THAT(e.error, Catch::Contains(says));
    CHECK(e.server_time_ms == fixed_now);
    CHECK(r.server_time_ms == fixed_now);
}

}  // namespace

TEST_CASE("Router: health answers ok with the server clock, and 503 store_busy when the store does not", "[sync][api]") {
    Router h;
    auto r = h.handle({"GET", "/v1/health", {}, ""});
    REQUIRE(r.status == HttpStatus::ok);
    auto body = boost::json::parse(r.body).as_object();
    CHECK(body.at("status").as_string() == "ok");
    CHECK(body.at("server_time_ms").as_int64() == fixed_now);
    check_refusal(h.handle({"POST", "/v1/health", {}, ""}), HttpStatus::method_not_allowed, ErrorCode::method_not_allowed,
                  "use GET");
    h.store.is_healthy = false;
    check_refusal(h.handle({"GET", "/v1/health", {}, ""}), HttpStatus::service_unavailable, ErrorCode::store_busy,
                  "store unavailable");
}

TEST_CASE("Router: an unknown path is 404 and a wrong method 405, before any authentication", "[sync][api]") {
    Router h;
    check_refusal(h.handle({"GET", "/v1/nothing-here", {}, ""}), HttpStatus::not_found, ErrorCode::not_found,
                  "no such endpoint");
    check_refusal(h.handle(h.signed_request("GET", "/v2/upload")), HttpStatus::not_found, ErrorCode::not_found,
                  "no such endpoint");
    check_refusal(h.handle({"DELETE", "/v1/upload", {}, ""}), HttpStatus::method_not_allowed,
                  ErrorCode::method_not_allowed, "use POST");
    check_refusal(h.handle(h.signed_request("GET", "/v1/upload")), HttpStatus::method_not_allowed,
                  ErrorCode::method_not_allowed, "use POST");
    check_refusal(h.handle(h.signed_request("POST", "/v1/changes?since=0")), HttpStatus::method_not_allowed,
                  ErrorCode::method_not_allowed, "use GET");
    CHECK(h.store.nonces.empty());
}

TEST_CASE("Router: a signed upload is stored and acknowledged, and another device gets it as a change", "[sync][api]") {
    Router h;
    auto r = h.handle(h.signed_request("POST", "/v1/upload", batch_of({check_in("entrance-1", 1), check_in("entrance-1", 2)})));
    REQUIRE(r.status == HttpStatus::ok);
    auto reply = sync::parse_upload_reply(r.body);
    CHECK(reply.acked.size() == 2);
    CHECK(reply.rejected.empty());
    CHECK(r.server_time_ms == fixed_now);
    CHECK(h.store.check_ins.size() == 2);
    CHECK(h.store.nonces.size() == 1);  // remembered once, by ingest (in its transaction)

    auto changes = h.handle(h.signed_request("GET", "/v1/changes?since=0", "", "room-1"));
    REQUIRE(changes.status == HttpStatus::ok);
    auto c = sync::parse_changes(changes.body);
    CHECK(c.check_ins.size() == 2);
    CHECK(c.cursor == 2);
    // No `since` is the same as since=0; its own records do not come back to the sender.
    auto own = h.handle(h.signed_request("GET", "/v1/changes", "", "entrance-1"));
    REQUIRE(own.status == HttpStatus::ok);
    CHECK(sync::parse_changes(own.body).check_ins.empty());
    CHECK_THAT(h.captured.text(), Catch::Contains("\"event\":\"upload\""));
}

TEST_CASE("Router: missing authentication headers are 401 unauthenticated", "[sync][api]") {
    Router h;
    for (auto missing : {"x-muster-device", "x-muster-time", "x-muster-nonce", "x-muster-signature"}) {
        INFO(missing);
        auto r = h.signed_request("POST", "/v1/upload", batch_of({check_in("entrance-1", 1)}));
        r.headers.erase(missing);
        check_refusal(h.handle(r), HttpStatus::unauthorized, ErrorCode::unauthenticated, "authentication failed");
        auto c = h.signed_request("GET", "/v1/changes?since=0");
        c.headers[missing] = "";
        check_refusal(h.handle(c), HttpStatus::unauthorized, ErrorCode::unauthenticated, "authentication failed");
    }
    CHECK(h.store.check_ins.empty());
    CHECK(h.store.nonces.empty());
}

TEST_CASE("Router: an unknown device, one without a secret and an overlong id are one 401", "[sync][api]") {
    Router h;
    auto stranger = h.signed_request("POST", "/v1/upload", batch_of({check_in("entrance-9", 1)}));
    stranger.headers["x-muster-device"] = "entrance-9";
    check_refusal(h.handle(stranger), HttpStatus::unauthorized, ErrorCode::unauthenticated, "authentication failed");
    auto legacy = h.signed_request("GET", "/v1/changes?since=0");
    legacy.headers["x-muster-device"] = "legacy";
    check_refusal(h.handle(legacy), HttpStatus::unauthorized, ErrorCode::unauthenticated, "authentication failed");
    auto overlong = h.signed_request("GET", "/v1/changes?since=0");
    overlong.headers["x-muster-device"] = std::string(41, 'e');
    check_refusal(h.handle(overlong), HttpStatus::unauthorized, ErrorCode::unauthenticated, "authentication failed");
    CHECK(h.store.check_ins.empty());
    CHECK_THAT(h.captured.text(), Catch::Contains("\"event\":\"auth_refused\""));
}

TEST_CASE("Router: a bad signature is 401 unauthenticated, whatever part was changed", "[sync][api]") {
    Router h;
    auto body = batch_of({check_in("entrance-1", 1)});
    auto wrong_secret = h.signed_request("POST", "/v1/upload", body);
    h.resign(wrong_secret, sync::generate_secret());
    check_refusal(h.handle(wrong_secret), HttpStatus::unauthorized, ErrorCode::unauthenticated, "authentication failed");
    auto someone_elses = h.signed_request("POST", "/v1/upload", body);
    h.resign(someone_elses, h.secret("room-1"));
    check_refusal(h.handle(someone_elses), HttpStatus::unauthorized, ErrorCode::unauthenticated, "authentication failed");
    auto tampered = h.signed_request("POST", "/v1/upload", body);
    tampered.body = batch_of({check_in("entrance-1", 2)});
    check_refusal(h.handle(tampered), HttpStatus::unauthorized, ErrorCode::unauthenticated, "authentication failed");
    auto other_target = h.signed_request("GET", "/v1/changes?since=0");
    other_target.target = "/v1/changes?since=5";
    check_refusal(h.handle(other_target), HttpStatus::unauthorized, ErrorCode::unauthenticated, "authentication failed");
    CHECK(h.store.check_ins.empty());
    CHECK(h.store.nonces.empty());
}

TEST_CASE("Router: a time that is not a number or a malformed nonce is 401 unauthenticated", "[sync][api]") {
    Router h;
    for (auto time : {"soon", "12x", "1.5", " 1"}) {
        auto r = h.signed_request("GET", "/v1/changes?since=0");
        r.headers["x-muster-time"] = time;
        check_refusal(h.handle(r), HttpStatus::unauthorized, ErrorCode::unauthenticated, "authentication failed");
    }
    for (const std::string& nonce : {std::string("short"), std::string("has space in it 1234567890"), std::string(65, 'n')}) {
        auto r = h.signed_request("GET", "/v1/changes?since=0");
        r.headers["x-muster-nonce"] = nonce;
        h.resign(r, h.secret("entrance-1"));  // signed properly: the nonce itself is refused
        check_refusal(h.handle(r), HttpStatus::unauthorized, ErrorCode::unauthenticated, "authentication failed");
    }
    CHECK(h.store.nonces.empty());
}

TEST_CASE("Router: every authentication failure is the same 401 word for word, the log keeps the reason", "[sync][api]") {
    Router h;
    std::vector<std::pair<std::string, ApiRequest>> failures;
    auto missing = h.signed_request("GET", "/v1/changes?since=0");
    missing.headers.erase("x-muster-nonce");
    failures.emplace_back("missing authentication headers", missing);
    auto stranger = h.signed_request("GET", "/v1/changes?since=0");
    stranger.headers["x-muster-device"] = "entrance-9";
    failures.emplace_back("unknown device", stranger);
    auto bad_time = h.signed_request("GET", "/v1/changes?since=0");
    bad_time.headers["x-muster-time"] = "soon";
    failures.emplace_back("X-Muster-Time is not a number", bad_time);
    auto bad_nonce = h.signed_request("GET", "/v1/changes?since=0");
    bad_nonce.headers["x-muster-nonce"] = "short";
    h.resign(bad_nonce, h.secret("entrance-1"));
    failures.emplace_back("X-Muster-Nonce is not a valid nonce", bad_nonce);
    auto forged = h.signed_request("GET", "/v1/changes?since=0");
    h.resign(forged, sync::generate_secret());
    failures.emplace_back("bad signature", forged);
    std::optional<std::string> first_body;
    for (const auto& [reason, request] : failures) {
        INFO(reason);
        auto r = h.handle(request);
        CHECK(r.status == HttpStatus::unauthorized);
        if (!first_body) first_body = r.body;
        CHECK(r.body == *first_body);  // same code, same text, same (fixed) server time
        CHECK_THAT(h.captured.text(), Catch::Contains("\"reason\":\"" + reason));
    }
    CHECK(sync::parse_error_reply(*first_body).code == ErrorCode::unauthenticated);
    CHECK(h.store.nonces.empty());
}

TEST_CASE("Router: a revoked device gets 403 revoked, but only once its signature checks out", "[sync][api]") {
    Router h;
    h.store.devices["entrance-1"].revoked = true;
    check_refusal(h.handle(h.signed_request("POST", "/v1/upload", batch_of({check_in("entrance-1", 1)}))),
                  HttpStatus::forbidden, ErrorCode::revoked, "revoked");
    check_refusal(h.handle(h.signed_request("GET", "/v1/changes?since=0")), HttpStatus::forbidden, ErrorCode::revoked,
                  "revoked");
    // A stranger using the revoked device's name learns nothing: the same 401 as any bad signature.
    auto forged = h.signed_request("GET", "/v1/changes?since=0");
    h.resign(forged, sync::generate_secret());
    check_refusal(h.handle(forged), HttpStatus::unauthorized, ErrorCode::unauthenticated, "authentication failed");
    CHECK(h.store.check_ins.empty());
    // The other device is unaffected.
    CHECK(h.handle(h.signed_request("GET", "/v1/changes?since=0", "", "room-1")).status == HttpStatus::ok);
}

TEST_CASE("Router: a request time outside the window is 401 clock_skew, and at its edge it is accepted", "[sync][api]") {
    Router h;
    for (TimeMs off : {-(sync::request_window_ms + 1), sync::request_window_ms + 1, TimeMs{10 * 60'000}}) {
        INFO(off);
        for (bool upload : {true, false}) {
            auto r = upload ? h.signed_request("POST", "/v1/upload", batch_of({check_in("entrance-1", 1)}))
                            : h.signed_request("GET", "/v1/changes?since=0");
            r.headers["x-muster-time"] = std::to_string(fixed_now + off);
            h.resign(r, h.secret("entrance-1"));
            check_refusal(h.handle(r), HttpStatus::unauthorized, ErrorCode::clock_skew, "time outside the accepted window");
        }
    }
    CHECK(h.store.check_ins.empty());
    CHECK(h.store.nonces.empty());  // a refused request does not use up its nonce
    for (TimeMs off : {-sync::request_window_ms, sync::request_window_ms}) {
        auto r = h.signed_request("GET", "/v1/changes?since=0");
        r.headers["x-muster-time"] = std::to_string(fixed_now + off);
        h.resign(r, h.secret("entrance-1"));
        CHECK(h.handle(r).status == HttpStatus::ok);
    }
}

TEST_CASE("Router: a replayed request is 401 replayed, for changes and for upload", "[sync][api]") {
    Router h;
    auto changes = h.signed_request("GET", "/v1/changes?since=0");
    REQUIRE(h.handle(changes).status == HttpStatus::ok);
    check_refusal(h.handle(changes), HttpStatus::unauthorized, ErrorCode::replayed, "replayed");

    // Upload: the nonce is remembered by ingest() in its own transaction; the store reports
    // the replay as ReplayedRequest.
    auto upload = h.signed_request("POST", "/v1/upload", batch_of({check_in("entrance-1", 1)}));
    REQUIRE(h.handle(upload).status == HttpStatus::ok);
    check_refusal(h.handle(upload), HttpStatus::unauthorized, ErrorCode::replayed, "replayed");
    CHECK(h.store.check_ins.size() == 1);
    // A nonce used for changes cannot be reused for an upload either.
    auto reuse = h.signed_request("POST", "/v1/upload", batch_of({check_in("entrance-1", 2)}));
    reuse.headers["x-muster-nonce"] = changes.headers["x-muster-nonce"];
    h.resign(reuse, h.secret("entrance-1"));
    check_refusal(h.handle(reuse), HttpStatus::unauthorized, ErrorCode::replayed, "replayed");
    CHECK(h.store.check_ins.size() == 1);
}

TEST_CASE("Router: a malformed upload body is 400 bad_request naming the field", "[sync][api]") {
    Router h;
    auto send = [&](const std::string& body) { return h.handle(h.signed_request("POST", "/v1/upload", body)); };
    check_refusal(send("{\"device_time_ms\": 1, \"check_ins\": ["), HttpStatus::bad_request, ErrorCode::bad_request,
                  "not valid JSON");
    check_refusal(send(R"({"device_time_ms":1,"check_ins":[{"uuid":"x","device_id":"entrance-1","device_seq":"one"}]})"),
                  HttpStatus::bad_request, ErrorCode::bad_request, "check_ins[0].device_seq");
    check_refusal(send("{}"), HttpStatus::bad_request, ErrorCode::bad_request, "device_time_ms");
    check_refusal(send("\xff\xfe garbage \x01"), HttpStatus::bad_request, ErrorCode::bad_request, "not valid JSON");
    CHECK(h.store.check_ins.empty());
}

TEST_CASE("Router: a cursor that is not a whole number >= 0 is 400 bad_request", "[sync][api]") {
    Router h;
    for (auto target : {"/v1/changes?since=yesterday", "/v1/changes?since=-5", "/v1/changes?since=", "/v1/changes?since=1e3"}) {
        INFO(target);
        check_refusal(h.handle(h.signed_request("GET", target)), HttpStatus::bad_request, ErrorCode::bad_request,
                      "since: expected a cursor");
    }
    CHECK(h.handle(h.signed_request("GET", "/v1/changes?other=1&since=7")).status == HttpStatus::ok);
}

TEST_CASE("Router: records of another device or event are rejected, not refused", "[sync][api]") {
    Router h;
    auto r = h.handle(h.signed_request("POST", "/v1/upload",
                                       batch_of({check_in("room-1", 1), check_in("entrance-1", 2, 2), check_in("entrance-1", 3)})));
    REQUIRE(r.status == HttpStatus::ok);
    auto reply = sync::parse_upload_reply(r.body);
    CHECK(reply.acked.size() == 1);
    CHECK(reply.rejected.size() == 2);
}

TEST_CASE("Router: a store error is 503 store_busy and nothing is acknowledged", "[sync][api]") {
    Router h;
    h.store.fail_with = 5;  // SQLITE_BUSY: another program held the hub database too long
    check_refusal(h.handle(h.signed_request("POST", "/v1/upload", batch_of({check_in("entrance-1", 1)}))),
                  HttpStatus::service_unavailable, ErrorCode::store_busy, "try again later");
    check_refusal(h.handle(h.signed_request("GET", "/v1/changes?since=0")), HttpStatus::service_unavailable,
                  ErrorCode::store_busy, "try again later");
    CHECK(h.store.check_ins.empty());
    CHECK_THAT(h.captured.text(), Catch::Contains("\"event\":\"store_error\""));
    h.store.fail_with.reset();
    CHECK(h.handle(h.signed_request("POST", "/v1/upload", batch_of({check_in("entrance-1", 1)}))).status ==
          HttpStatus::ok);
}

// Hidden (run by name): how long the router takes to refuse an unknown device and a bad
// signature. Both compute one HMAC, so the medians should be close; printed for the record.
TEST_CASE("Router: a long poll with nothing new asks to wait, and its answer keeps the first authentication", "[sync][api][long_poll]") {
    Router h;
    REQUIRE(h.handle(h.signed_request("POST", "/v1/upload", batch_of({check_in("room-1", 1)}), "room-1")).status == HttpStatus::ok);
    // Something there: answered at once, however long the device would wait.
    auto at_once = h.handle(h.signed_request("GET", "/v1/changes?since=0&wait_ms=5000"));
    CHECK_FALSE(at_once.deferral);
    CHECK(sync::parse_changes(at_once.body).check_ins.size() == 1);
    // No wait_ms: today's answer, empty.
    auto plain = h.handle(h.signed_request("GET", "/v1/changes?since=1"));
    CHECK_FALSE(plain.deferral);
    CHECK(plain.status == HttpStatus::ok);

    auto held = h.handle(h.signed_request("GET", "/v1/changes?since=1&wait_ms=5000"));
    REQUIRE(held.deferral);
    CHECK(held.deferral->after_change == 1);
    CHECK(held.deferral->wait == std::chrono::milliseconds(5000));
    CHECK(h.handle(h.signed_request("GET", "/v1/changes?since=1&wait_ms=600000")).deferral->wait ==
          std::chrono::milliseconds(server::max_wait_ms));

    // Meanwhile another device uploads; the held request is answered with it. Its nonce was
    // spent by the first call: a second authentication would be refused as a replay.
    REQUIRE(h.handle(h.signed_request("POST", "/v1/upload", batch_of({check_in("room-1", 2)}), "room-1")).status == HttpStatus::ok);
    auto answer = held.deferral->resume();
    REQUIRE(answer.status == HttpStatus::ok);
    CHECK_FALSE(answer.deferral);
    auto changes = sync::parse_changes(answer.body);
    REQUIRE(changes.check_ins.size() == 1);
    CHECK(changes.check_ins[0].device_seq == 2);
    CHECK(changes.cursor == 2);

    // Revoked while its long poll was held: the answer is the refusal.
    auto held_again = h.handle(h.signed_request("GET", "/v1/changes?since=2&wait_ms=5000"));
    REQUIRE(held_again.deferral);
    h.store.devices.at("entrance-1").revoked = true;
    check_refusal(held_again.deferral->resume(), HttpStatus::forbidden, ErrorCode::revoked, "revoked");
}

TEST_CASE("Router: a wait_ms that is not a whole number >= 0 is a 400 naming it", "[sync][api][long_poll]") {
    Router h;
    for (std::string bad : {"x", "-1", "", "2.5"})
        check_refusal(h.handle(h.signed_request("GET", "/v1/changes?since=0&wait_ms=" + bad)), HttpStatus::bad_request,
                      ErrorCode::bad_request, "wait_ms");
}

TEST_CASE("Router timing: an unknown device and a bad signature take about as long to refuse", "[.][timing]") {
    Router h;
    auto body = std::string(200'000, 'b');  // the HMAC covers the body: make it count
    auto stranger = h.signed_request("POST", "/v1/upload", body);
    stranger.headers["x-muster-device"] = "entrance-9";
    auto forged = h.signed_request("POST", "/v1/upload", body);
    h.resign(forged, sync::generate_secret());
    auto median_us = [&](const ApiRequest& r) {
        std::vector<double> us;
        for (int i = 0; i < 301; ++i) {
            auto t0 = std::chrono::steady_clock::now();
            auto reply = h.handle(r);
            us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
            REQUIRE(reply.status == HttpStatus::unauthorized);
        }
        std::sort(us.begin(), us.end());
        return us[us.size() / 2];
    };
    double unknown = median_us(stranger), bad = median_us(forged);
    std::printf("refusal medians: unknown device %.1f us, bad signature %.1f us\n", unknown, bad);
    CHECK(unknown > bad / 2);
    CHECK(unknown < bad * 2);
}
