#pragma once
// A FrameGrabber that hands out frames given to it from another thread: the camera tests,
// and demos without a camera. It can also play an unplugged camera. Frames are stamped on a
// virtual clock, `frame_interval` apart, so timing rules (re-arm after 1.5 s) are tested
// deterministically however fast or slow the machine runs.
#include "frame_grabber.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

namespace muster::kiosk::camera {

class FedFrames final : public FrameGrabber {
public:
    explicit FedFrames(std::chrono::milliseconds frame_interval = std::chrono::milliseconds(33));

    // Queues `frame` to be handed out `times` times in a row (shared, not copied per time).
    void feed(std::shared_ptr<const GrayFrame> frame, int times = 1);
    // Plays an unplug: the next grab() reports `lost`, open() fails with `why` until plug_in().
    void unplug(std::string why = "device unplugged");
    void plug_in();
    std::size_t queued() const;      // frames not yet handed out
    std::uint64_t delivered() const; // frames handed out so far
    int open_count() const;          // successful open() calls

    std::string open() override;
    void close() override;
    GrabResult grab(GrayFrame& into, std::chrono::milliseconds timeout) override;
    std::string name() const override { return "test camera"; }

private:
    struct Entry {
        std::shared_ptr<const GrayFrame> frame;
        int times = 0;
    };
    mutable std::mutex mutex_;
    std::condition_variable fed_;
    std::deque<Entry> queue_;
    std::chrono::milliseconds interval_;
    std::chrono::steady_clock::time_point clock_{};  // the virtual capture time
    std::size_t queued_ = 0;
    std::uint64_t delivered_ = 0;
    int open_count_ = 0;
    bool plugged_ = true;
    bool open_ = false;
    std::string unplug_reason_;
};

}  // namespace muster::kiosk::camera
