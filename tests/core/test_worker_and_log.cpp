// The worker-thread pattern and the structured logger, both used across kiosk and server.
#include "muster/log/logger.hpp"
#include "muster/util/worker.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>

using namespace std::chrono_literals;

TEST_CASE("Worker: stop() ends a loop that sleeps for an hour at once", "[worker]") {
    muster::Worker worker;
    std::atomic<int> rounds{0};
    worker.start([&](std::stop_token stop) {
        while (!stop.stop_requested()) {
            ++rounds;
            worker.sleep_for(stop, 1h);
        }
    });
    REQUIRE(worker.running());
    auto t0 = std::chrono::steady_clock::now();
    worker.stop();
    CHECK_FALSE(worker.running());
    CHECK(std::chrono::steady_clock::now() - t0 < 30s);  // generous: it must not wait out the hour
    worker.stop();                                       // twice is harmless
}

TEST_CASE("Worker: a wake() that arrives while the loop is busy is not lost", "[worker]") {
    muster::Worker worker;
    std::atomic<int> rounds{0};
    std::atomic<bool> release{false};
    worker.start([&](std::stop_token stop) {
        while (!stop.stop_requested()) {
            ++rounds;
            while (!release && !stop.stop_requested()) std::this_thread::yield();  // busy before it sleeps
            worker.sleep_for(stop, 1h);
        }
    });
    worker.wake();  // lands while round 1 is busy
    release = true;
    // Round 2 only starts if the early wake() cut the hour-long sleep short.
    for (auto deadline = std::chrono::steady_clock::now() + 60s; rounds < 2 && std::chrono::steady_clock::now() < deadline;)
        std::this_thread::yield();
    CHECK(rounds >= 2);
    worker.stop();
}

TEST_CASE("Logger: one JSON object a line, strings escaped, fields in order", "[log]") {
    auto line = muster::log::format_line(1'700'000'000'123, muster::log::Level::warn, "bad_http",
                                         {{"reason", "a \"quoted\"\nline"}, {"status", 400}, {"ok", false}, {"ms", 1.5}});
    auto v = boost::json::parse(line).as_object();
    CHECK(v.at("ts").as_string() == "2023-11-14T22:13:20.123Z");
    CHECK(v.at("level").as_string() == "warn");
    CHECK(v.at("event").as_string() == "bad_http");
    CHECK(v.at("reason").as_string() == "a \"quoted\"\nline");
    CHECK(v.at("status").as_int64() == 400);
    CHECK(v.at("ok").as_bool() == false);
    CHECK(v.at("ms").as_double() == 1.5);
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.rfind("{\"ts\":", 0) == 0);
}

TEST_CASE("Logger: lines below the level are dropped, notices always written", "[log]") {
    std::FILE* sink = std::tmpfile();
    REQUIRE(sink);
    muster::log::Logger log(muster::log::Level::warn, sink);
    log.info("hidden");
    log.warn("shown", {{"n", 1}});
    log.notice("listening", {{"port", 8443}});
    std::rewind(sink);
    char buf[512];
    std::string all;
    while (std::fgets(buf, sizeof buf, sink)) all += buf;
    std::fclose(sink);
    CHECK(all.find("hidden") == std::string::npos);
    CHECK(all.find("\"event\":\"shown\"") != std::string::npos);
    CHECK(all.find("\"event\":\"listening\"") != std::string::npos);
}
