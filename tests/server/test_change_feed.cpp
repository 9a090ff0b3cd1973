// The change feed (and its watcher) that wakes register streams and devices' long polls (change_feed.hpp).
#include "change_feed.hpp"
#include "change_watcher.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

using muster::server::ChangeFeed;

TEST_CASE("the change feed tells listeners of newer changes only", "[feed]") {
    ChangeFeed feed(10);
    std::vector<std::int64_t> heard;
    auto sub = feed.subscribe([&](std::int64_t c) { heard.push_back(c); });
    CHECK(feed.publish(11));
    CHECK_FALSE(feed.publish(11));  // not newer: nobody is woken
    CHECK_FALSE(feed.publish(5));
    CHECK(feed.publish(14));
    CHECK(heard == std::vector<std::int64_t>{11, 14});
    CHECK(feed.latest() == 14);
}

TEST_CASE("a listener is not called once its subscription is gone", "[feed]") {
    ChangeFeed feed;
    int calls = 0;
    {
        auto sub = feed.subscribe([&](std::int64_t) { ++calls; });
        feed.publish(1);
        CHECK(feed.listeners() == 1);
    }
    CHECK(feed.listeners() == 0);
    feed.publish(2);
    CHECK(calls == 1);
    auto moved = feed.subscribe([&](std::int64_t) { ++calls; });
    ChangeFeed::Subscription holder = std::move(moved);
    CHECK_FALSE(moved);
    feed.publish(3);
    holder.reset();
    feed.publish(4);
    CHECK(calls == 2);
}

TEST_CASE("publishers on several threads leave the feed at the newest change", "[feed]") {
    ChangeFeed feed;
    std::atomic<std::int64_t> highest_heard{0};
    auto sub = feed.subscribe([&](std::int64_t c) {
        auto seen = highest_heard.load();
        while (c > seen && !highest_heard.compare_exchange_weak(seen, c)) {
        }
    });
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&feed, t] {
            for (int i = 1; i <= 1000; ++i) feed.publish(i * 4 + t);
        });
    for (auto& th : threads) th.join();
    CHECK(feed.latest() == 4003);
    CHECK(highest_heard.load() == 4003);
}

TEST_CASE("the change watcher publishes what another process changed, and survives a failing read", "[feed]") {
    ChangeFeed feed(3);
    std::atomic<std::int64_t> clock{3};
    std::atomic<bool> failing{false};
    std::atomic<int> failed_reads{0};
    std::FILE* sink = std::tmpfile();
    REQUIRE(sink);
    muster::log::Logger log(muster::log::Level::info, sink);
    std::mutex m;
    std::condition_variable heard;
    auto sub = feed.subscribe([&](std::int64_t) {
        std::lock_guard lock(m);
        heard.notify_all();
    });
    auto reaches = [&](std::int64_t change) {
        std::unique_lock lock(m);
        return heard.wait_for(lock, std::chrono::seconds(10), [&] { return feed.latest() >= change; });
    };
    {
        muster::server::ChangeWatcher watcher(
            feed,
            [&]() -> std::int64_t {
                if (failing) {
                    ++failed_reads;
                    heard.notify_all();
                    throw std::runtime_error("database is locked");
                }
                return clock.load();
            },
            std::chrono::milliseconds(5), log);
        clock = 9;
        CHECK(reaches(9));
        failing = true;
        clock = 12;
        {
            std::unique_lock lock(m);
            CHECK(heard.wait_for(lock, std::chrono::seconds(10), [&] { return failed_reads >= 3; }));
        }
        CHECK(feed.latest() == 9);  // nothing published while the read fails
        failing = false;
        CHECK(reaches(12));
    }
    CHECK(feed.latest() == 12);
    // Said once when it began failing and once when it recovered, not once a read.
    std::rewind(sink);
    std::string logged;
    for (int c; (c = std::fgetc(sink)) != EOF;) logged += static_cast<char>(c);
    std::fclose(sink);
    auto count = [&](std::string_view what) {
        std::size_t n = 0;
        for (auto at = logged.find(what); at != std::string::npos; at = logged.find(what, at + 1)) ++n;
        return n;
    };
    CHECK(count("change_watch_failed") == 1);
    CHECK(count("change_watch_recovered") == 1);
    CHECK(logged.find("database is locked") != std::string::npos);
}
