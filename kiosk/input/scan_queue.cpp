#include "scan_queue.hpp"

#include <cctype>

namespace muster::kiosk {

const char* to_string(InputKind kind) {
    switch (kind) {
        case InputKind::wedge: return "scanner";
        case InputKind::camera: return "camera";
        case InputKind::nfc: return "NFC reader";
        case InputKind::scripted: return "scripted";
    }
    return "?";
}

const char* to_string(SourceState state) {
    switch (state) {
        case SourceState::starting: return "starting";
        case SourceState::ready: return "ready";
        case SourceState::unavailable: return "unavailable";
        case SourceState::failed: return "failed";
    }
    return "?";
}

namespace {

std::string capitalised(std::string text) {
    if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    return text;
}

bool starts_with_name(const std::string& message, const std::string& name) {
    if (message.size() < name.size()) return false;
    for (std::size_t i = 0; i < name.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(message[i])) != std::tolower(static_cast<unsigned char>(name[i]))) return false;
    return true;
}

}  // namespace

std::string status_line(const SourceStatus& status) {
    const std::string name = to_string(status.input);
    if (status.message.empty()) return capitalised(name) + ": " + to_string(status.state);
    if (starts_with_name(status.message, name)) return capitalised(status.message);
    return capitalised(name) + ": " + status.message;
}

void ScanQueue::on_scan(RawScan scan) {
    {
        std::lock_guard lock(mutex_);
        if (scans_.size() >= capacity) {
            ++dropped_;
            return;
        }
        scans_.push_back(std::move(scan));
    }
    ready_.notify_one();
}

void ScanQueue::on_status(SourceStatus status) {
    std::lock_guard lock(mutex_);
    statuses_[status.input] = std::move(status);
}

std::vector<RawScan> ScanQueue::drain() {
    std::lock_guard lock(mutex_);
    std::vector<RawScan> out(std::make_move_iterator(scans_.begin()),
                             std::make_move_iterator(scans_.end()));
    scans_.clear();
    return out;
}

std::optional<RawScan> ScanQueue::wait_next(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!ready_.wait_for(lock, timeout, [this] { return !scans_.empty(); })) return std::nullopt;
    RawScan scan = std::move(scans_.front());
    scans_.pop_front();
    return scan;
}

std::map<InputKind, SourceStatus> ScanQueue::statuses() const {
    std::lock_guard lock(mutex_);
    return statuses_;
}

std::size_t ScanQueue::dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
}

}  // namespace muster::kiosk
