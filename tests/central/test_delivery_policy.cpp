// The https target's small parts: retry timing (full jitter within its bounds, Retry-After in
// seconds and as a date, capped), the request rate, the HMAC against RFC 4231, and mapping files.
#include "hmac_signature.hpp"
#include "record_mapping.hpp"
#include "request_rate.hpp"
#include "retry_policy.hpp"

#include "muster/util/config_error.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <random>

using namespace muster::central;

TEST_CASE("Back-off grows exponentially to its cap with every draw inside the bounds", "[central][retry]") {
    RetryPolicy p{1000, 60'000};
    CHECK(p.ceiling_ms(1) == 1000);
    CHECK(p.ceiling_ms(2) == 2000);
    CHECK(p.ceiling_ms(4) == 8000);
    CHECK(p.ceiling_ms(7) == 60'000);
    CHECK(p.ceiling_ms(1000) == 60'000);  // no overflow however many attempts
    std::mt19937_64 random(42);
    std::int64_t lowest = 1'000'000, highest = -1;
    for (int i = 0; i < 2000; ++i) {
        auto d = p.delay_ms(3, std::nullopt, random());
        lowest = std::min(lowest, d);
        highest = std::max(highest, d);
    }
    CHECK(lowest >= 0);
    CHECK(highest <= 4000);
    // Full jitter spreads over the whole range, not a narrow band.
    CHECK(lowest < 400);
    CHECK(highest > 3600);
    CHECK(p.delay_ms(3, std::nullopt, 4000) == 4000);
    CHECK(p.delay_ms(3, std::nullopt, 4001) == 0);
}

TEST_CASE("Retry-After is honoured in seconds or as a date, up to the cap", "[central][retry]") {
    const muster::TimeMs now = 1'793'000'000'000;
    CHECK(parse_retry_after("120", now) == std::chrono::milliseconds(120'000));
    CHECK(parse_retry_after(" 0 ", now) == std::chrono::milliseconds(0));
    // 1'793'004'800 s is 2026-10-26 08:53:20 UTC: 30 s before the date below.
    CHECK(parse_retry_after("Mon, 26 Oct 2026 08:53:50 GMT", 1'793'004'800'000) == std::chrono::milliseconds(30'000));
    CHECK(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", now) == std::chrono::milliseconds(0));  // past: now
    CHECK_FALSE(parse_retry_after("soon", now));
    CHECK_FALSE(parse_retry_after("", now));
    CHECK_FALSE(parse_retry_after("-5", now));
    RetryPolicy p{1000, 60'000};
    CHECK(p.delay_ms(1, std::chrono::milliseconds(7000), 123) == 7000);
    CHECK(p.delay_ms(1, std::chrono::hours(5), 123) == 60'000);
}

TEST_CASE("Requests are spaced by the target's rate", "[central][rate]") {
    using Clock = RequestRate::Clock;
    const auto t0 = Clock::now();
    RequestRate five(5);
    CHECK(five.reserve(t0) == t0);
    CHECK(five.reserve(t0) == t0 + std::chrono::milliseconds(200));
    CHECK(five.reserve(t0) == t0 + std::chrono::milliseconds(400));
    CHECK(five.reserve(t0 + std::chrono::seconds(10)) == t0 + std::chrono::seconds(10));  // idle time is not saved up
    RequestRate none(0);
    CHECK(none.reserve(t0) == t0);
    CHECK(none.reserve(t0) == t0);
}

TEST_CASE("HMAC-SHA256 matches RFC 4231 and signs timestamp dot body", "[central][hmac]") {
    // RFC 4231 test case 2.
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    auto h = sign_body("Jefe", "for nothing?", 1'700'000'000);
    CHECK(h.timestamp == "1700000000");
    CHECK(h.signature == "sha256=" + hmac_sha256_hex("Jefe", "1700000000.for nothing?"));
}

TEST_CASE("A mapping file translates words, fixes values and refuses what it cannot use", "[central][mapping]") {
    auto m = RecordMapping::parse(R"({"_note": "x", "object": "O", "fields": {"A": "trn", "B": {"field": "status",
        "values": {"present": "P"}, "default": "?"}, "C": {"value": 3}, "D": {"field": "status", "values": {"x": "y"}}}})",
                                  "m.json");
    CHECK(m.object() == "O");
    auto out = m.apply(R"({"trn": null, "status": "present"})");
    CHECK(out.at("A").is_null());
    CHECK(out.at("B").as_string() == "P");
    CHECK(out.at("C").as_int64() == 3);
    CHECK(out.at("D").as_string() == "present");  // no translation and no default: as it is
    CHECK(m.apply(R"({"trn": "1", "status": "late"})").at("B").as_string() == "?");
    CHECK_THROWS_WITH(m.apply(R"({"status": "late"})"), Catch::Contains("no field trn"));
    CHECK_THROWS_WITH(RecordMapping::parse("[1]", "m.json"), Catch::Contains("m.json"));
    CHECK_THROWS_WITH(RecordMapping::parse(R"({"fields": {"X": 3}})", "m.json"), Catch::Contains("fields.X"));
    CHECK_THROWS_WITH(RecordMapping::parse(R"({"fields": {"idempotency_key": "trn"}})", "m.json"),
                      Catch::Contains("fields.idempotency_key"));
    CHECK_THROWS_WITH(RecordMapping::parse(R"({"fields": {}, "extra": 1})", "m.json"), Catch::Contains("extra"));
    // No mapping: the record as it is.
    CHECK(RecordMapping().apply(R"({"trn": "0123"})").at("trn").as_string() == "0123");
}
