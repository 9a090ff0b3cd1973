#include "scan_lines.hpp"
#include "scan_queue.hpp"
#include "scripted_source.hpp"
#include "wedge_decoder.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

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

TEST_CASE("stdin lines: CR dropped, blank lines of spaces and tabs ignored, a runaway line capped", "[kiosk][lines]") {
    ScanLines lines;
    std::vector<std::string> seen;
    auto take = [&](const std::string& l) { seen.push_back(l); };
    const std::string input = "ABC\r\n\n   \n\t\t\n \t \r\n\r\nDEF\nlast";
    lines.feed(input.data(), 5, take);  // split mid-stream, as reads arrive
    lines.feed(input.data() + 5, input.size() - 5, take);
    CHECK(seen == std::vector<std::string>{"ABC", "DEF"});
    lines.finish(take);
    CHECK(seen.back() == "last");
    lines.finish(take);
    CHECK(seen.size() == 3);  // nothing left over
    const std::string padded = " X \n";  // a line with text keeps its spaces: it is a scan, exactly as typed
    lines.feed(padded.data(), padded.size(), take);
    CHECK(seen.back() == " X ");
    std::string runaway(ScanLines::max_line + 100, 'a');
    runaway += '\n';
    lines.feed(runaway.data(), runaway.size(), take);
    CHECK(seen.back().size() == ScanLines::max_line);
}

TEST_CASE("the scripted source reads the same lines: blank ones are not scans", "[kiosk][lines]") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const std::string input = "ONE\n  \n\t\n \r\nTWO\nTHREE";
    REQUIRE(::write(fds[1], input.data(), input.size()) == static_cast<ssize_t>(input.size()));
    ::close(fds[1]);
    ScanQueue queue;
    ScriptedSource source(fds[0]);
    source.start(queue);
    std::vector<std::string> seen;
    while (seen.size() < 3) {
        auto s = queue.wait_next(5s);
        if (!s) break;
        seen.push_back(s->payload);
    }
    // The source says "input ended" only after its last line, so no scan can follow.
    for (int i = 0; i < 500 && queue.statuses().at(InputKind::scripted).state != SourceState::unavailable; ++i)
        std::this_thread::sleep_for(10ms);
    source.stop();
    ::close(fds[0]);
    CHECK(seen == std::vector<std::string>{"ONE", "TWO", "THREE"});
    CHECK(queue.drain().empty());
}

TEST_CASE("A source's status line says its name once, never its own sentence after its prefix", "[kiosk][status]") {
    // The sentences the NFC reader and the camera really report (kiosk/nfc, kiosk/camera).
    CHECK(status_line({InputKind::nfc, SourceState::ready, "NFC reader ready (pn532_uart:/dev/ttyUSB0)"}) ==
          "NFC reader ready (pn532_uart:/dev/ttyUSB0)");
    CHECK(status_line({InputKind::nfc, SourceState::unavailable,
                       "NFC reader unavailable: no NFC reader found by auto-scan; retrying"}) ==
          "NFC reader unavailable: no NFC reader found by auto-scan; retrying");
    CHECK(status_line({InputKind::camera, SourceState::ready, "camera ready (/dev/video0)"}) == "Camera ready (/dev/video0)");
    CHECK(status_line({InputKind::camera, SourceState::unavailable,
                       "camera unavailable (/dev/video99: cannot open: No such file or directory), retrying"}) ==
          "Camera unavailable (/dev/video99: cannot open: No such file or directory), retrying");
    CHECK(status_line({InputKind::wedge, SourceState::unavailable, "scanner not connected: plug it in"}) ==
          "Scanner not connected: plug it in");
    // Without a sentence of its own, or one that does not name the input, the name goes first once.
    CHECK(status_line({InputKind::nfc, SourceState::starting, ""}) == "NFC reader: starting");
    CHECK(status_line({InputKind::scripted, SourceState::unavailable, "input ended"}) == "Scripted: input ended");
}
