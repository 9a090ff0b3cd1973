// What the client does with each answer to an upload, and what each reply means, without
// sockets: the policy in upload_decision.hpp and hub_answer.hpp, branch by branch.
#include "muster/sync/http_status.hpp"
#include "hub_answer.hpp"
#include "upload_decision.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using namespace muster::kiosk;
using sync::ErrorCode;

namespace {

UploadStep after(HubAnswer answer, std::size_t records, std::optional<bool> empty_batch_taken = std::nullopt,
                 bool stop_requested = false) {
    return decide_upload(UploadReplyFacts{answer, records, stop_requested, empty_batch_taken});
}

HttpResult reply(int status, const std::string& body) {
    HttpResult r;
    r.status = status;
    r.body = body;
    return r;
}

}  // namespace

// The statuses as the client holds them: plain ints off the wire.
namespace wire {
using sync::HttpStatus;
constexpr int no_reply = sync::no_reply_status;
constexpr int ok = code_of(HttpStatus::ok);
constexpr int bad_request = code_of(HttpStatus::bad_request);
constexpr int unauthorized = code_of(HttpStatus::unauthorized);
constexpr int forbidden = code_of(HttpStatus::forbidden);
constexpr int payload_too_large = code_of(HttpStatus::payload_too_large);
constexpr int headers_too_large = code_of(HttpStatus::header_fields_too_large);
constexpr int service_unavailable = code_of(HttpStatus::service_unavailable);
}  // namespace wire

TEST_CASE("An acknowledged batch is applied and the next one sent", "[sync][decision]") {
    CHECK(after(HubAnswer::accepted, 500) == UploadStep::acknowledged);
    CHECK(after(HubAnswer::accepted, 1, std::nullopt, /*stop_requested=*/true) == UploadStep::acknowledged);
}

TEST_CASE("A request cancelled by stop() is no failure but a lost connection is one", "[sync][decision]") {
    CHECK(after(HubAnswer::no_reply, 3, std::nullopt, true) == UploadStep::stopped);
    CHECK(after(HubAnswer::no_reply, 3) == UploadStep::retry_later);
}

TEST_CASE("A revoked device stops syncing whatever the batch", "[sync][decision]") {
    CHECK(after(HubAnswer::revoked, 1) == UploadStep::revoked);
    CHECK(after(HubAnswer::revoked, 500) == UploadStep::revoked);
}

TEST_CASE("A 400 first asks whether the server takes an empty batch", "[sync][decision]") {
    CHECK(after(HubAnswer::malformed, 30) == UploadStep::probe_empty_batch);
    CHECK(after(HubAnswer::malformed, 1) == UploadStep::probe_empty_batch);
    SECTION("refused too: the records are not at fault, nothing is refused for good") {
        CHECK(after(HubAnswer::malformed, 30, false) == UploadStep::retry_later);
        CHECK(after(HubAnswer::malformed, 1, false) == UploadStep::retry_later);
    }
    SECTION("taken: narrowed down to the one record, which alone is refused") {
        CHECK(after(HubAnswer::malformed, 30, true) == UploadStep::narrow);
        CHECK(after(HubAnswer::malformed, 1, true) == UploadStep::refuse_record);
    }
}

TEST_CASE("A 413 narrows the batch without a probe, down to refusing the one record", "[sync][decision]") {
    CHECK(after(HubAnswer::too_large, 500) == UploadStep::narrow);
    CHECK(after(HubAnswer::too_large, 2) == UploadStep::narrow);
    CHECK(after(HubAnswer::too_large, 1) == UploadStep::refuse_record);
}

TEST_CASE("An empty batch is never narrowed nor refused", "[sync][decision]") {
    CHECK(after(HubAnswer::too_large, 0) == UploadStep::retry_later);
    CHECK(after(HubAnswer::malformed, 0, true) == UploadStep::retry_later);
}

TEST_CASE("Refusals that are not about the records are retried later", "[sync][decision]") {
    for (auto answer : {HubAnswer::clock_skew, HubAnswer::replayed, HubAnswer::unauthenticated, HubAnswer::store_busy,
                        HubAnswer::unavailable, HubAnswer::other}) {
        INFO(to_string(answer));
        CHECK(after(answer, 10) == UploadStep::retry_later);
        CHECK(after(answer, 1) == UploadStep::retry_later);
        CHECK(after(answer, 10, std::nullopt, true) == UploadStep::retry_later);  // a real answer, stop or not
    }
}

TEST_CASE("Narrowing takes a quarter of the limit, never less than one record", "[sync][decision]") {
    CHECK(narrowed_limit(500) == 125);
    CHECK(narrowed_limit(125) == 31);
    CHECK(narrowed_limit(7) == 1);
    CHECK(narrowed_limit(1) == 1);
}

TEST_CASE("A reply's code says what it means", "[sync][decision]") {
    using namespace wire;
    CHECK(classify(unauthorized, ErrorCode::clock_skew) == HubAnswer::clock_skew);
    CHECK(classify(unauthorized, ErrorCode::replayed) == HubAnswer::replayed);
    CHECK(classify(unauthorized, ErrorCode::unauthenticated) == HubAnswer::unauthenticated);
    CHECK(classify(forbidden, ErrorCode::revoked) == HubAnswer::revoked);
    CHECK(classify(service_unavailable, ErrorCode::store_busy) == HubAnswer::store_busy);
    CHECK(classify(service_unavailable, ErrorCode::unavailable) == HubAnswer::unavailable);
    CHECK(classify(bad_request, ErrorCode::bad_request) == HubAnswer::malformed);
    CHECK(classify(payload_too_large, ErrorCode::too_large) == HubAnswer::too_large);
    CHECK(classify(headers_too_large, ErrorCode::too_large) == HubAnswer::other);  // a smaller batch cannot help
    CHECK(classify(404, ErrorCode::not_found) == HubAnswer::other);
    CHECK(classify(405, ErrorCode::method_not_allowed) == HubAnswer::other);
    CHECK(classify(ok, ErrorCode::bad_request) == HubAnswer::accepted);
    CHECK(classify(no_reply, ErrorCode::unknown) == HubAnswer::no_reply);
}

TEST_CASE("Without a code (an older server), the status decides", "[sync][decision]") {
    using namespace wire;
    CHECK(classify(bad_request, ErrorCode::unknown) == HubAnswer::malformed);
    CHECK(classify(unauthorized, ErrorCode::unknown) == HubAnswer::unauthenticated);  // never taken for the clock
    CHECK(classify(forbidden, ErrorCode::unknown) == HubAnswer::revoked);
    CHECK(classify(payload_too_large, ErrorCode::unknown) == HubAnswer::too_large);
    CHECK(classify(headers_too_large, ErrorCode::unknown) == HubAnswer::other);
    CHECK(classify(service_unavailable, ErrorCode::unknown) == HubAnswer::unavailable);
    CHECK(classify(500, ErrorCode::unknown) == HubAnswer::other);
    CHECK(classify(ok, ErrorCode::unknown) == HubAnswer::accepted);
}

TEST_CASE("The code is read from the error body, and its text is never matched", "[sync][decision]") {
    using namespace wire;
    auto skew = reply(unauthorized, R"({"error":"request time outside the accepted window","code":"clock_skew","server_time_ms":1})");
    CHECK(answer_of(skew) == HubAnswer::clock_skew);
    // The message an older server sends for a stale clock, without a code: not a clock answer.
    auto old_server = reply(unauthorized, R"({"error":"request time outside the accepted window; adjust by X-Muster-Server-Time","server_time_ms":1})");
    CHECK(error_code_of(old_server) == ErrorCode::unknown);
    CHECK(answer_of(old_server) == HubAnswer::unauthenticated);
    // A code from a newer server that this build does not know: the status decides.
    CHECK(answer_of(reply(bad_request, R"({"error":"x","code":"brand_new","server_time_ms":1})")) == HubAnswer::malformed);
    // Not an error body at all (a proxy's page): the status decides.
    CHECK(answer_of(reply(service_unavailable, "<html>busy</html>")) == HubAnswer::unavailable);
    CHECK(answer_of(reply(no_reply, "")) == HubAnswer::no_reply);
}

TEST_CASE("Staff read what the server said, or why there was no reply", "[sync][decision]") {
    CHECK(error_text(reply(400, R"({"error":"body: check_ins[0].uuid: expected a string","server_time_ms":1})")) ==
          "server said 400: body: check_ins[0].uuid: expected a string");
    CHECK(error_text(reply(502, "<html>bad gateway</html>")) == "server said 502");
    HttpResult lost;
    lost.error = "cannot connect to hub.local:8443: Connection refused";
    CHECK(error_text(lost) == lost.error);
}
