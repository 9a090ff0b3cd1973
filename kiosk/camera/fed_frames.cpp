#include "fed_frames.hpp"

#include <cstring>

namespace muster::kiosk::camera {

FedFrames::FedFrames(std::chrono::milliseconds frame_interval) : interval_(frame_interval) {}

void FedFrames::feed(std::shared_ptr<const GrayFrame> frame, int times) {
    if (!frame || times <= 0) return;
    {
        std::lock_guard lock(mutex_);
        queue_.push_back({std::move(frame), times});
        queued_ += static_cast<std::size_t>(times);
    }
    fed_.notify_all();
}

void FedFrames::unplug(std::string why) {
    {
        std::lock_guard lock(mutex_);
        plugged_ = false;
        unplug_reason_ = std::move(why);
    }
    fed_.notify_all();  // a grab() waiting for frames notices at once
}

void FedFrames::plug_in() {
    std::lock_guard lock(mutex_);
    plugged_ = true;
}

std::size_t FedFrames::queued() const {
    std::lock_guard lock(mutex_);
    return queued_;
}

std::uint64_t FedFrames::delivered() const {
    std::lock_guard lock(mutex_);
    return delivered_;
}

int FedFrames::open_count() const {
    std::lock_guard lock(mutex_);
    return open_count_;
}

std::string FedFrames::open() {
    std::lock_guard lock(mutex_);
    if (!plugged_) return name() + ": " + unplug_reason_;
    open_ = true;
    ++open_count_;
    return {};
}

void FedFrames::close() {
    std::lock_guard lock(mutex_);
    open_ = false;
}

GrabResult FedFrames::grab(GrayFrame& into, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    fed_.wait_for(lock, timeout, [&] { return !plugged_ || !queue_.empty(); });
    if (!plugged_ || !open_) return GrabResult::lost_device(name() + ": " + unplug_reason_);
    if (queue_.empty()) return GrabResult::timed_out();

    Entry& next = queue_.front();
    const GrayFrame& src = *next.frame;
    into.reset(src.width(), src.height());
    std::memcpy(into.data(), src.data(), src.size_bytes());
    clock_ += interval_;
    into.captured_at = clock_;
    if (--next.times == 0) queue_.pop_front();
    --queued_;
    ++delivered_;
    return GrabResult::got_frame();
}

}  // namespace muster::kiosk::camera
