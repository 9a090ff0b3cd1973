#pragma once
// The keyboard-wedge scanner as a kiosk input. The scanner "types" into the window, so the
// window's key callbacks (UI thread) feed key() and enter(); the WedgeDecoder's timing rule
// turns bursts into scans, which go to the ScanSink like every other input's. The source's
// own thread watches the kernel's device list, so a scanner pulled out and plugged back in
// shows on screen ("Scanner: unavailable") and recovers without a restart: the display
// server hands us its keys again by itself.
#include "keyboard_presence.hpp"
#include "muster/util/worker.hpp"
#include "scan_source.hpp"
#include "wedge_decoder.hpp"

#include <filesystem>
#include <mutex>
#include <optional>
#include <stop_token>

namespace muster::kiosk {

class KeyboardWedgeSource final : public ScanSource {
public:
    using Clock = WedgeDecoder::Clock;
    struct Options {
        WedgeDecoder::Rules rules{};
        std::filesystem::path devices_file = "/proc/bus/input/devices";
        std::chrono::milliseconds poll_every{1000};  // replugging shows within a second
    };

    KeyboardWedgeSource() : KeyboardWedgeSource(Options{}) {}
    explicit KeyboardWedgeSource(Options options);
    ~KeyboardWedgeSource() override { stop(); }

    InputKind kind() const override { return InputKind::wedge; }
    void start(ScanSink& sink) override;
    void stop() override;

    // From the window's keyboard callbacks; thread-safe. Keys before start() are dropped.
    void key(std::string_view utf8, Clock::time_point at);
    void enter(Clock::time_point at);

    // What the device list says, as a status (public for tests).
    static SourceStatus status_for(const std::optional<KeyboardPresence>& presence);

private:
    void run(std::stop_token stop);

    Options options_;
    std::mutex mutex_;  // guards the decoder and the sink
    WedgeDecoder decoder_;
    ScanSink* sink_ = nullptr;
    Worker worker_;  // last: its thread is joined before the members above go
};

}  // namespace muster::kiosk
