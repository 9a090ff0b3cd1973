#include "scan_queue.hpp"
#include "wedge_decoder.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace std::chrono_literals;
using namespace muster::kiosk;

namespace {

// Types `text` with `gap` between keys from `t`, returning what the decoder made of it.
struct Typist {
    WedgeDecoder decoder;
    WedgeDecoder::Clock::time_point t{};
    std::string typed;
    std::vector<std::string> scans;

    void type(const std::string& text, std::chrono::milliseconds gap) {
        for (char c : text) {
            t += gap;
            take(decoder.key(std::string(1, c), t));
        }
    }
    void enter(std::chrono::milliseconds gap) {
        t += gap;
        take(decoder.enter(t));
    }
    void take(WedgeDecoder::Result r) {
        if (r.scan) scans.push_back(*r.scan);
        typed += r.typed;
    }
};

}  // namespace

TEST_CASE("a scanner burst ending in Enter is a scan", "[kiosk][wedge]") {
    Typist k;
    k.type("M1:ABCDEFGH234567", 4ms);
    k.enter(4ms);
    REQUIRE(k.scans.size() == 1);
    CHECK(k.scans[0] == "M1:ABCDEFGH234567");
    CHECK(k.typed.empty());
}

TEST_CASE("a person typing is typing, not a scan, even when they press Enter", "[kiosk][wedge]") {
    Typist k;
    k.type("o'brien", 120ms);
    k.enter(150ms);
    CHECK(k.scans.empty());
    CHECK(k.typed == "o'brien");
}

TEST_CASE("typing followed at once by a scan: both are told apart", "[kiosk][wedge]") {
    Typist k;
    k.type("sia", 150ms);
    k.t += 400ms;
    k.type("M1:QRSTUVWXYZ", 3ms);
    k.enter(3ms);
    CHECK(k.typed == "sia");
    REQUIRE(k.scans.size() == 1);
    CHECK(k.scans[0] == "M1:QRSTUVWXYZ");
}

TEST_CASE("a burst that stalls or is too short is not a scan", "[kiosk][wedge]") {
    Typist k;
    k.type("AB", 2ms);
    k.enter(2ms);  // two fast keys and Enter: a chord, not a code
    CHECK(k.scans.empty());
    k.type("M1:ABCDEFG", 3ms);
    auto stalled = k.decoder.idle(k.t + 100ms);
    CHECK(stalled.typed == "M1:ABCDEFG");
    CHECK_FALSE(stalled.scan);
}

TEST_CASE("the scan queue hands scans from input threads to the UI thread in order", "[kiosk][queue]") {
    ScanQueue queue;
    std::thread producer([&] {
        for (int i = 0; i < 500; ++i) queue.on_scan(RawScan{InputKind::nfc, std::to_string(i), "", {}});
        queue.on_status(SourceStatus{InputKind::nfc, SourceState::ready, "reader ready"});
    });
    std::vector<std::string> seen;
    while (seen.size() < 500) {
        if (auto s = queue.wait_next(5s)) seen.push_back(s->payload);
        else break;
    }
    producer.join();
    REQUIRE(seen.size() == 500);
    for (int i = 0; i < 500; ++i) CHECK(seen[static_cast<std::size_t>(i)] == std::to_string(i));
    CHECK(queue.statuses().at(InputKind::nfc).state == SourceState::ready);
    for (std::size_t i = 0; i < ScanQueue::capacity + 5; ++i) queue.on_scan(RawScan{});
    CHECK(queue.dropped() == 5);  // bounded: the overflow is counted, never silent
    CHECK(queue.drain().size() == ScanQueue::capacity);
}
