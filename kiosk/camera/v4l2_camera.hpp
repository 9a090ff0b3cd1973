#pragma once
// A V4L2 camera through libv4l2, which converts whatever the camera sends (MJPEG, YUYV, ...)
// to the planar YUV 4:2:0 we ask for; its Y plane is the luminance the decoder wants, taken
// without a colour conversion. Streaming I/O with mmap'd buffers, select() with a timeout.
#include "frame_grabber.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace muster::kiosk::camera {

class V4l2Camera final : public FrameGrabber {
public:
    explicit V4l2Camera(std::string device = "/dev/video0", int width = 1280, int height = 720);
    ~V4l2Camera() override;

    std::string open() override;
    void close() override;
    GrabResult grab(GrayFrame& into, std::chrono::milliseconds timeout) override;
    std::string name() const override { return device_; }

    // What the driver granted (it may round the size); 0 before open().
    int width() const { return width_; }
    int height() const { return height_; }

private:
    struct Buffer {
        void* start = nullptr;
        std::size_t length = 0;
    };
    std::string fail(const std::string& what, int err);  // closes, returns "<device>: <what>: <strerror>"

    std::string device_;
    int want_width_;
    int want_height_;
    int fd_ = -1;
    int width_ = 0;
    int height_ = 0;
    int bytes_per_line_ = 0;
    bool streaming_ = false;
    std::vector<Buffer> buffers_;
};

}  // namespace muster::kiosk::camera
