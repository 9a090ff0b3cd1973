// The devices' long poll, GET /v1/changes?since=N&wait_ms=W (docs/api.md, "Long poll"),
// against the real server: held until something for the device arrives, answered empty
// after W, refused with the field named, and answered at once when the server stops.
#include "sync_fixture.hpp"

#include <boost/json.hpp>

#include <catch2/catch.hpp>

#include <future>

using namespace muster;
using namespace muster::test;

namespace {

using steady = std::chrono::steady_clock;

// The demo hub's server with debug lines (changes_wait says a long poll is being held), and a
// 1 s request deadline that a long poll must outlast.
struct LongPollHub {
    SyncHub hub;
    ServerProcess server{hub.config(65536, 1000, 200, /*stop_grace_ms=*/10'000), hub.log(), true, 0,
                         {"--log-level", "debug"}};

    HttpReply changes(const std::string& device, const std::string& query) const {
        return signed_request(server.port(), "GET", "/v1/changes?" + query, "", hub.as(device));
    }
    // The device's cursor once it has read everything there is.
    std::int64_t caught_up_cursor(const std::string& device) const {
        std::int64_t cursor = 0;
        for (;;) {
            auto reply = changes(device, "since=" + std::to_string(cursor));
            REQUIRE(reply.status == 200);
            auto page = sync::parse_changes(reply.body);
            cursor = page.cursor;
            if (!page.more) return cursor;
        }
    }
    std::size_t held() const {
        auto log = read_text_file(hub.log());
        std::size_t n = 0;
        for (auto at = log.find("\"event\":\"changes_wait\""); at != std::string::npos; at = log.find("\"event\":\"changes_wait\"", at + 1))
            ++n;
        return n;
    }
};

struct Timed {
    HttpReply reply;
    double ms = 0;
};

std::future<Timed> long_poll(const LongPollHub& h, const std::string& device, std::int64_t since, int wait_ms) {
    return std::async(std::launch::async, [&h, device, since, wait_ms] {
        auto t0 = steady::now();
        Timed t;
        t.reply = h.changes(device, "since=" + std::to_string(since) + "&wait_ms=" + std::to_string(wait_ms));
        t.ms = std::chrono::duration<double, std::milli>(steady::now() - t0).count();
        return t;
    });
}

std::string upload_from(const LongPollHub& h, const std::string& device, std::int64_t seq) {
    auto record = make_check_in(device, seq);
    if (device == "room-1") record.room_id = 1;
    auto reply = signed_request(h.server.port(), "POST", "/v1/upload", upload_body({record}), h.hub.as(device));
    REQUIRE(reply.status == 200);
    REQUIRE_THAT(reply.body, Catch::Contains(record.uuid));
    return record.uuid;
}

}  // namespace

TEST_CASE("A held long poll is answered with another device's scan as soon as it is uploaded", "[sync][long_poll]") {
    LongPollHub h;
    auto since = h.caught_up_cursor("entrance-1");
    auto poll = long_poll(h, "entrance-1", since, 8000);
    REQUIRE(wait_until([&] { return h.held() == 1; }, std::chrono::seconds(5)));
    auto t0 = steady::now();
    auto uuid = upload_from(h, "room-1", 1);
    REQUIRE(poll.wait_for(std::chrono::seconds(9)) == std::future_status::ready);
    auto after_upload = std::chrono::duration<double, std::milli>(steady::now() - t0).count();
    auto got = poll.get();
    REQUIRE(got.reply.status == 200);
    auto page = sync::parse_changes(got.reply.body);
    REQUIRE(page.check_ins.size() == 1);
    CHECK(page.check_ins[0].uuid == uuid);
    CHECK(page.cursor > since);
    // Answered on the upload, not at the end of the 8 s wait.
    CHECK(after_upload < 2000);
    CHECK(got.ms < 7000);
}

TEST_CASE("A long poll with nothing happening answers empty once the wait is over", "[sync][long_poll]") {
    LongPollHub h;
    auto since = h.caught_up_cursor("entrance-1");
    auto got = long_poll(h, "entrance-1", since, 2500).get();
    REQUIRE(got.reply.status == 200);
    auto page = sync::parse_changes(got.reply.body);
    CHECK(sync::carries_nothing(page));
    CHECK(page.cursor == since);
    CHECK(got.ms >= 2400);  // held the whole wait, past the 1 s request deadline
    CHECK(got.ms < 6000);
}

TEST_CASE("A long poll woken by the device's own upload answers empty with the newer cursor", "[sync][long_poll]") {
    LongPollHub h;
    auto since = h.caught_up_cursor("entrance-1");
    auto poll = long_poll(h, "entrance-1", since, 8000);
    REQUIRE(wait_until([&] { return h.held() == 1; }, std::chrono::seconds(5)));
    upload_from(h, "entrance-1", 1);
    REQUIRE(poll.wait_for(std::chrono::seconds(3)) == std::future_status::ready);
    auto got = poll.get();
    REQUIRE(got.reply.status == 200);
    auto page = sync::parse_changes(got.reply.body);
    CHECK(page.check_ins.empty());  // a device is never sent its own records
    CHECK(page.cursor > since);
}

TEST_CASE("A long poll with something already there answers at once", "[sync][long_poll]") {
    LongPollHub h;
    auto since = h.caught_up_cursor("entrance-1");
    auto uuid = upload_from(h, "room-1", 1);
    auto got = long_poll(h, "entrance-1", since, 8000).get();
    REQUIRE(got.reply.status == 200);
    CHECK_THAT(got.reply.body, Catch::Contains(uuid));
    CHECK(got.ms < 2000);
    CHECK(h.held() == 0);
}

TEST_CASE("A bad wait_ms is a 400 naming the field", "[sync][long_poll]") {
    LongPollHub h;
    for (std::string bad : {"abc", "-5", "1.5", "", "99999999999999999999"}) {
        INFO("wait_ms=" << bad);
        auto reply = h.changes("entrance-1", "since=0&wait_ms=" + bad);
        CHECK(reply.status == 400);
        CHECK_THAT(reply.body, Catch::Contains("wait_ms"));
        CHECK_THAT(reply.body, Catch::Contains("\"code\":\"bad_request\""));
    }
    // Over the cap is not an error: it is held for at most 25 s (not waited for here).
    CHECK(h.changes("entrance-1", "since=0&wait_ms=0").status == 200);
}

TEST_CASE("A stopping server answers a held long poll at once, not after the stop grace", "[sync][long_poll][stop]") {
    LongPollHub h;  // stop grace 10 s
    auto since = h.caught_up_cursor("entrance-1");
    auto poll = long_poll(h, "entrance-1", since, 8000);
    REQUIRE(wait_until([&] { return h.held() == 1; }, std::chrono::seconds(5)));
    auto t0 = steady::now();
    h.server.terminate();
    REQUIRE(poll.wait_for(std::chrono::seconds(3)) == std::future_status::ready);
    auto got = poll.get();
    CHECK(got.reply.status == 200);
    CHECK(got.reply.headers["connection"] == "close");
    CHECK(h.server.wait(std::chrono::seconds(3)) == 0);
    CHECK(std::chrono::duration<double, std::milli>(steady::now() - t0).count() < 3000);
    auto log = read_text_file(h.hub.log());
    INFO(log);
    CHECK_THAT(log, !Catch::Contains("\"event\":\"stop_deadline\""));
}
