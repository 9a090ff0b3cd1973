#pragma once
// Keyboard-wedge barcode scanners type a whole code in a burst (a few ms a key) and press
// Enter. A person typing is ten times slower. WedgeDecoder turns timed key presses into
// scanned codes and lets slow typing through as typing (the staff search box), so the
// window can take both from the same keyboard. Pure: no clock, no window.
#include <chrono>
#include <optional>
#include <string>

namespace muster::kiosk {

class WedgeDecoder {
public:
    using Clock = std::chrono::steady_clock;
    struct Rules {
        // Longest gap between two keys of one scanner burst. USB scanners send a key every
        // 1-10 ms; fast typists rarely go under 60 ms between keys.
        std::chrono::milliseconds max_gap{35};
        // Shortest code taken as a scan: shorter bursts are key repeats or chords.
        std::size_t min_length = 4;
        std::size_t max_length = 1024;  // a stuck key cannot grow a code forever
    };

    struct Result {
        std::optional<std::string> scan;    // a whole code, ended by Enter within the burst
        std::string typed;                  // keys that were a person typing, to pass on
    };

    WedgeDecoder() = default;
    explicit WedgeDecoder(Rules rules) : rules_(rules) {}

    // A printable character (UTF-8) typed at `at`.
    Result key(std::string_view character, Clock::time_point at);
    // Enter pressed at `at`.
    Result enter(Clock::time_point at);
    // Call now and then (each frame): a burst that stalled is handed back as typing.
    Result idle(Clock::time_point now);

private:
    Result flush_as_typing();

    Rules rules_;
    std::string burst_;
    std::optional<Clock::time_point> last_;
};

}  // namespace muster::kiosk
