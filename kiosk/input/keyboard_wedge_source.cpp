#include "keyboard_wedge_source.hpp"

#include <fstream>
#include <sstream>

namespace muster::kiosk {
namespace {

std::optional<KeyboardPresence> read_presence(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return parse_input_devices(text.str());
}

}  // namespace

KeyboardWedgeSource::KeyboardWedgeSource(Options options) : options_(std::move(options)), decoder_(options_.rules) {}

SourceStatus KeyboardWedgeSource::status_for(const std::optional<KeyboardPresence>& presence) {
    // Containers and some thin clients show no input devices at all: keys still arrive
    // through the display, we just cannot see the scanner come and go.
    if (!presence || presence->devices == 0) return {InputKind::wedge, SourceState::ready, "scanner ready (keyboard input)"};
    if (presence->usb_keyboards > 0) return {InputKind::wedge, SourceState::ready, "scanner connected"};
    return {InputKind::wedge, SourceState::unavailable, "scanner not connected: plug it in"};
}

void KeyboardWedgeSource::start(ScanSink& sink) {
    std::lock_guard lock(mutex_);
    if (worker_.running()) return;
    sink_ = &sink;
    worker_.start([this](std::stop_token stop) { run(stop); });
}

void KeyboardWedgeSource::stop() {
    worker_.stop();
    std::lock_guard lock(mutex_);
    sink_ = nullptr;
}

void KeyboardWedgeSource::key(std::string_view utf8, Clock::time_point at) {
    std::lock_guard lock(mutex_);
    if (sink_) decoder_.key(utf8, at);  // a person's slow typing is simply not a scan
}

void KeyboardWedgeSource::enter(Clock::time_point at) {
    std::lock_guard lock(mutex_);
    if (!sink_) return;
    if (auto r = decoder_.enter(at); r.scan) sink_->on_scan(RawScan{InputKind::wedge, std::move(*r.scan), "", at});
}

void KeyboardWedgeSource::run(std::stop_token stop) {
    std::optional<SourceStatus> last;
    while (!stop.stop_requested()) {
        auto status = status_for(read_presence(options_.devices_file));  // file I/O: unlocked
        {
            std::lock_guard lock(mutex_);
            if (!last || last->state != status.state || last->message != status.message) {
                sink_->on_status(status);
                last = status;
            }
            decoder_.idle(Clock::now());  // forget a half-typed burst that stalled
        }
        worker_.sleep_for(stop, options_.poll_every);
    }
}

}  // namespace muster::kiosk
