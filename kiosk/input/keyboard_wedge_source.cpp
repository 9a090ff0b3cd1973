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
    if (thread_.joinable()) return;
    sink_ = &sink;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void KeyboardWedgeSource::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
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

void KeyboardWedgeSource::run() {
    std::optional<SourceStatus> last;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        auto status = status_for(read_presence(options_.devices_file));
        lock.lock();
        if (!last || last->state != status.state || last->message != status.message) {
            sink_->on_status(status);
            last = status;
        }
        decoder_.idle(Clock::now());  // forget a half-typed burst that stalled
        wake_.wait_for(lock, options_.poll_every, [this] { return stopping_; });
    }
}

}  // namespace muster::kiosk
