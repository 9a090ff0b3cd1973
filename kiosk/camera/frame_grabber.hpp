#pragma once
// Where CameraSource gets its frames: a V4L2 camera (v4l2_camera.hpp) or frames handed in by
// a test or a demo (fed_frames.hpp). The source owns the open/retry policy; a grabber only
// says what happened.
#include "gray_frame.hpp"

#include <chrono>
#include <string>

namespace muster::kiosk::camera {

struct GrabResult {
    enum class Kind {
        frame,    // `into` holds a new frame
        timeout,  // nothing within the timeout; the device is still there
        lost,     // the device went away (unplugged) or failed: close() and open() again
    };
    Kind kind = Kind::timeout;
    std::string error;  // with `lost`: why, for the status line ("/dev/video0: No such device")

    static GrabResult got_frame() { return {Kind::frame, {}}; }
    static GrabResult timed_out() { return {Kind::timeout, {}}; }
    static GrabResult lost_device(std::string why) { return {Kind::lost, std::move(why)}; }
};

class FrameGrabber {
public:
    virtual ~FrameGrabber() = default;
    FrameGrabber() = default;
    FrameGrabber(const FrameGrabber&) = delete;
    FrameGrabber& operator=(const FrameGrabber&) = delete;

    // Empty string on success, else a one-line reason for the status line. Never throws for
    // a missing or busy device: that is the normal state of an unplugged camera.
    virtual std::string open() = 0;
    virtual void close() = 0;
    // Waits at most `timeout` for the next frame (so the caller can notice stop()), and
    // writes it into `into`, reusing its buffer.
    virtual GrabResult grab(GrayFrame& into, std::chrono::milliseconds timeout) = 0;
    // Names the device in messages ("/dev/video0").
    virtual std::string name() const = 0;
};

}  // namespace muster::kiosk::camera
