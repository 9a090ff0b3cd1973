#include "v4l2_camera.hpp"

#include <libv4l2.h>
#include <linux/videodev2.h>
#include <sys/mman.h>
#include <sys/select.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>

namespace muster::kiosk::camera {
namespace {

constexpr unsigned buffer_count = 4;  // enough to keep capturing while one frame is decoded

// ioctl through libv4l2, retried when a signal interrupts it.
int xioctl(int fd, unsigned long request, void* arg) {
    int r;
    do r = v4l2_ioctl(fd, request, arg);
    while (r == -1 && errno == EINTR);
    return r;
}

}  // namespace

V4l2Camera::V4l2Camera(std::string device, int width, int height)
    : device_(std::move(device)), want_width_(width), want_height_(height) {}

V4l2Camera::~V4l2Camera() { close(); }

std::string V4l2Camera::fail(const std::string& what, int err) {
    close();
    return device_ + ": " + what + ": " + std::strerror(err);
}

std::string V4l2Camera::open() {
    close();
    // O_NONBLOCK: DQBUF answers EAGAIN instead of blocking, so only select() waits, and it
    // has a timeout (stop() stays prompt).
    fd_ = v4l2_open(device_.c_str(), O_RDWR | O_NONBLOCK, 0);
    if (fd_ < 0) {
        const int err = errno;
        fd_ = -1;
        // libv4l2 queries the device inside v4l2_open: a non-V4L2 file fails here already.
        if (err == ENOTTY) return device_ + ": not a V4L2 device";
        return device_ + ": cannot open: " + std::strerror(err);
    }

    v4l2_capability cap{};
    if (xioctl(fd_, VIDIOC_QUERYCAP, &cap) == -1) {
        const int err = errno;
        close();
        if (err == ENOTTY || err == EINVAL) return device_ + ": not a V4L2 device";
        return device_ + ": cannot query the device: " + std::strerror(err);
    }
    const std::uint32_t caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
    if (!(caps & V4L2_CAP_VIDEO_CAPTURE)) {
        close();
        return device_ + ": not a video capture device";
    }
    if (!(caps & V4L2_CAP_STREAMING)) {
        close();
        return device_ + ": does not support streaming capture";
    }

    // libv4l2 converts the camera's own format (MJPEG, YUYV, ...) to YUV420 for us.
    v4l2_format fmt{};
    fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    fmt.fmt.pix.width = static_cast<std::uint32_t>(want_width_);
    fmt.fmt.pix.height = static_cast<std::uint32_t>(want_height_);
    fmt.fmt.pix.pixelformat = V4L2_PIX_FMT_YUV420;
    fmt.fmt.pix.field = V4L2_FIELD_ANY;
    if (xioctl(fd_, VIDIOC_S_FMT, &fmt) == -1) return fail("cannot set the capture format", errno);
    if (fmt.fmt.pix.pixelformat != V4L2_PIX_FMT_YUV420) {
        close();
        return device_ + ": no YUV 4:2:0 conversion available";
    }
    width_ = static_cast<int>(fmt.fmt.pix.width);
    height_ = static_cast<int>(fmt.fmt.pix.height);
    bytes_per_line_ = fmt.fmt.pix.bytesperline ? static_cast<int>(fmt.fmt.pix.bytesperline) : width_;

    v4l2_requestbuffers req{};
    req.count = buffer_count;
    req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    req.memory = V4L2_MEMORY_MMAP;
    if (xioctl(fd_, VIDIOC_REQBUFS, &req) == -1) return fail("cannot request capture buffers", errno);
    if (req.count < 2) {
        close();
        return device_ + ": too few capture buffers";
    }
    for (unsigned i = 0; i < req.count; ++i) {
        v4l2_buffer buf{};
        buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        buf.memory = V4L2_MEMORY_MMAP;
        buf.index = i;
        if (xioctl(fd_, VIDIOC_QUERYBUF, &buf) == -1) return fail("cannot query a capture buffer", errno);
        void* start = v4l2_mmap(nullptr, buf.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, buf.m.offset);
        if (start == MAP_FAILED) return fail("cannot map a capture buffer", errno);
        buffers_.push_back({start, buf.length});
        if (xioctl(fd_, VIDIOC_QBUF, &buf) == -1) return fail("cannot queue a capture buffer", errno);
    }
    v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (xioctl(fd_, VIDIOC_STREAMON, &type) == -1) return fail("cannot start streaming", errno);
    streaming_ = true;
    return {};
}

void V4l2Camera::close() {
    if (fd_ < 0) return;
    if (streaming_) {
        v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        xioctl(fd_, VIDIOC_STREAMOFF, &type);  // fails harmlessly on an unplugged device
        streaming_ = false;
    }
    for (const Buffer& b : buffers_) v4l2_munmap(b.start, b.length);
    buffers_.clear();
    v4l2_close(fd_);
    fd_ = -1;
    width_ = height_ = bytes_per_line_ = 0;
}

GrabResult V4l2Camera::grab(GrayFrame& into, std::chrono::milliseconds timeout) {
    if (fd_ < 0) return GrabResult::lost_device(device_ + ": not open");

    fd_set fds;
    FD_ZERO(&fds);
    FD_SET(fd_, &fds);
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    const int ready = select(fd_ + 1, &fds, nullptr, nullptr, &tv);
    if (ready == -1) {
        if (errno == EINTR) return GrabResult::timed_out();
        return GrabResult::lost_device(device_ + ": " + std::strerror(errno));
    }
    if (ready == 0) return GrabResult::timed_out();

    v4l2_buffer buf{};
    buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    buf.memory = V4L2_MEMORY_MMAP;
    if (xioctl(fd_, VIDIOC_DQBUF, &buf) == -1) {
        if (errno == EAGAIN) return GrabResult::timed_out();
        // ENODEV after an unplug; EIO and the rest: the device is not usable either way.
        return GrabResult::lost_device(device_ + ": " + std::strerror(errno));
    }
    const auto needed = static_cast<std::size_t>(bytes_per_line_) * static_cast<std::size_t>(height_);
    const bool whole = buf.index < buffers_.size() && buffers_[buf.index].length >= needed &&
                       !(buf.flags & V4L2_BUF_FLAG_ERROR);
    if (whole) {
        gray_from_y_plane(static_cast<const std::uint8_t*>(buffers_[buf.index].start), width_, height_,
                          bytes_per_line_, into);
        into.captured_at = std::chrono::steady_clock::now();
    }
    if (xioctl(fd_, VIDIOC_QBUF, &buf) == -1) return GrabResult::lost_device(device_ + ": " + std::strerror(errno));
    return whole ? GrabResult::got_frame() : GrabResult::timed_out();  // a torn frame is skipped
}

}  // namespace muster::kiosk::camera
