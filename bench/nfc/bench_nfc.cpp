// muster-bench-nfc [taps] [idle-seconds]
// 1. Tag placed (emulator) to RawScan in the queue, through NfcSource and real libnfc
//    (pn532_uart over a pty): median and p99 over `taps` taps (default 200) of a badge-token
//    NTAG213 and half as many of a UID-only card, each placed at a random moment of the
//    poll cycle; once on an instant link and once with the emulator paced like a 115200
//    baud UART, which is what a PN532 module costs on top of the poll cycle.
//    Goal: p99 <= 150 ms; it is dominated by the poll period, printed beside it.
// 2. Idle cost: reader connected, no tag, CPU time of the whole process (NfcSource and the
//    emulator's thread) over `idle-seconds` (default 10) from getrusage. Goal: <= 5% of a core.
#include "nfc_source.hpp"
#include "nfc_test_support.hpp"
#include "pn532_emulator.hpp"
#include "scan_queue.hpp"
#include "stats.hpp"

#include <cstdio>
#include <cstdlib>
#include <random>
#include <tuple>
#include <sys/resource.h>

using namespace std::chrono_literals;
using namespace muster;
using muster::test::pn532::Pn532Emulator;
using muster::test::pn532::TagSpec;

namespace {

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Taps one card `taps` times; returns tap-to-scan latencies in ms (empty on failure).
std::vector<double> tap_latencies(Pn532Emulator& emulator, kiosk::ScanQueue& queue, const TagSpec& card, int taps,
                                  std::chrono::milliseconds poll) {
    std::mt19937 random(42);
    std::uniform_int_distribution<int> phase_us(0, static_cast<int>(poll.count()) * 1000);
    std::vector<double> ms;
    for (int i = 0; i < taps; ++i) {
        std::this_thread::sleep_for(std::chrono::microseconds(phase_us(random)));
        const auto t0 = bench::bench_clock::now();
        emulator.place_tag(card);
        const auto scan = queue.wait_next(5s);
        if (!scan || scan->nfc_uid.empty()) {
            std::fprintf(stderr, "tap %d: no scan within 5 s\n", i);
            return {};
        }
        ms.push_back(bench::micros_since(t0) / 1000.0);
        // Lift the card and wait until the source searches again (an empty search), so the
        // next placement is a new tap.
        emulator.remove_tag();
        const auto empty_before = emulator.empty_searches();
        if (!test::wait_until([&] { return emulator.empty_searches() > empty_before; }, 5s)) {
            std::fprintf(stderr, "tap %d: removal not seen within 5 s\n", i);
            return {};
        }
    }
    return ms;
}

struct Rig {
    Pn532Emulator emulator;
    kiosk::ScanQueue queue;
    kiosk::nfc::NfcSource source;
    explicit Rig(unsigned baud) : emulator(Pn532Emulator::Options{{}, {}, baud}), source(options_for(emulator)) {}
    static kiosk::nfc::NfcSource::Options options_for(const Pn532Emulator& emulator) {
        kiosk::nfc::NfcSource::Options options;  // the kiosk's defaults
        options.connstring = emulator.connstring();
        return options;
    }
    bool start() {
        source.start(queue);
        if (test::wait_until([&] { return source.status().state == kiosk::SourceState::ready; }, 20s)) return true;
        std::fprintf(stderr, "reader not ready: %s\n", source.status().message.c_str());
        return false;
    }
};

// Both cards on one link; false if a tap went missing. Sets `met` false if a p99 > 150 ms.
bool latency_rows(unsigned baud, int taps, bool& met) {
    Rig rig(baud);
    if (!rig.start()) return false;
    const auto poll = kiosk::nfc::NfcSource::Options{}.poll_every;
    TagSpec token_card;
    token_card.uid = test::pn532::parse_hex("04A1B2C3D4E5F6");
    token_card.text = test::sample_token();
    TagSpec uid_card;
    uid_card.uid = test::pn532::parse_hex("04010203040506");
    std::printf("  link: %s\n", baud ? "115200 baud (PN532 module default; UART and radio time simulated)" : "instant (pty)");
    for (auto [label, card, n] : {std::tuple{"NTAG213 with a 123-char badge token (ms)", &token_card, taps},
                                  std::tuple{"NTAG213, UID only (ms)", &uid_card, taps / 2}}) {
        const auto ms = tap_latencies(rig.emulator, rig.queue, *card, n, poll);
        if (ms.empty()) return false;
        const auto s = bench::stats(ms);
        bench::print_row(label, s, "ms");
        met = met && s.p99 <= 150.0;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    const int taps = argc > 1 ? std::atoi(argv[1]) : 200;
    const int idle_seconds = argc > 2 ? std::atoi(argv[2]) : 10;
    const auto poll = kiosk::nfc::NfcSource::Options{}.poll_every;

    std::printf("muster-bench-nfc: NfcSource + libnfc pn532_uart + PN532 emulator on a pty\n");
    std::printf("poll period %lld ms (an idle reader is asked for a tag this often)\n\n", static_cast<long long>(poll.count()));
    std::printf("tag placed -> RawScan queued (%d / %d taps, each at a random point of the poll cycle)\n", taps, taps / 2);
    bool met = true;
    if (!latency_rows(0, taps, met) || !latency_rows(115200, taps, met)) return 1;
    std::printf("  goal p99 <= 150 ms: %s\n\n", met ? "met" : "NOT met");

    Rig rig(115200);
    if (!rig.start()) return 1;
    std::this_thread::sleep_for(500ms);  // settle
    const auto searches_before = rig.emulator.commands_seen(0x4A);
    const double cpu0 = cpu_seconds();
    const auto wall0 = bench::bench_clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(idle_seconds));
    const double cpu = cpu_seconds() - cpu0;
    const double wall = bench::micros_since(wall0) / 1e6;
    const auto searches = rig.emulator.commands_seen(0x4A) - searches_before;
    const double percent = 100.0 * cpu / wall;
    std::printf("idle, reader connected, no tag, %.1f s:\n", wall);
    std::printf("  searches %.1f /s; process CPU %.3f s = %.2f%% of one core (NfcSource + emulator)\n",
                static_cast<double>(searches) / wall, cpu, percent);
    std::printf("  goal <= 5%%: %s\n", percent <= 5.0 ? "met" : "NOT met");
    rig.source.stop();
    return met && percent <= 5.0 ? 0 : 1;
}
