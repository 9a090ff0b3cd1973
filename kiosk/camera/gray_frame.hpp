#pragma once
// The camera pipeline's one image type: an owned 8-bit luminance buffer. QR decoding needs
// nothing but luminance, so every source (V4L2 YUYV / YUV420, RGB image files) is reduced
// to this once, at the edge, and the decoder and preview share it.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace muster::kiosk::camera {

class GrayFrame {
public:
    GrayFrame() = default;
    GrayFrame(int width, int height) { reset(width, height); }

    // Sets the size; keeps the allocation when it is already big enough, so a frame reused
    // for every capture does not allocate per frame. Pixel contents are unspecified after.
    void reset(int width, int height);

    int width() const { return width_; }
    int height() const { return height_; }
    int stride() const { return width_; }  // rows are packed; the stride is explicit for ImageView
    bool empty() const { return width_ == 0 || height_ == 0; }

    std::uint8_t* data() { return pixels_.data(); }
    const std::uint8_t* data() const { return pixels_.data(); }
    std::uint8_t* row(int y) { return pixels_.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(width_); }
    const std::uint8_t* row(int y) const { return pixels_.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(width_); }
    std::uint8_t& at(int x, int y) { return row(y)[x]; }
    std::uint8_t at(int x, int y) const { return row(y)[x]; }
    std::size_t size_bytes() const { return static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_); }

    // When the frame was captured (the re-arm rule counts time on this clock, so a test
    // grabber can feed frames faster than real time and still be deterministic).
    std::chrono::steady_clock::time_point captured_at{};

private:
    std::vector<std::uint8_t> pixels_;
    int width_ = 0;
    int height_ = 0;
};

// Packed YUYV 4:2:2 (Y0 U Y1 V): the luminance is every other byte.
void gray_from_yuyv(const std::uint8_t* yuyv, int width, int height, int bytes_per_line, GrayFrame& out);
// Planar YUV 4:2:0 (and NV12/NV21): the first plane is the luminance.
void gray_from_y_plane(const std::uint8_t* y_plane, int width, int height, int bytes_per_line, GrayFrame& out);
// Interleaved 8-bit grey (1), grey+alpha (2), RGB (3) or RGBA (4): ITU-R BT.601 luma, the
// weights ZXing uses. Alpha is laid over white: a QR code exported with a transparent
// background often has black "invisible" pixels, which would otherwise swallow the code.
void gray_from_interleaved(const std::uint8_t* pixels, int width, int height, int channels, GrayFrame& out);
// out = 255 - in (out may be reused across calls): the dark-mode (white-on-black) retry.
void invert_into(const GrayFrame& in, GrayFrame& out);

}  // namespace muster::kiosk::camera
