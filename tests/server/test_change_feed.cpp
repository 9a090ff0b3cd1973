// The change feed that wakes register streams and devices' long polls (change_feed.hpp).
#include "change_feed.hpp"

#include <catch2/catch.hpp>

#include <atomic>
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
