#include "gray_frame.hpp"

#include <cstring>
#include <stdexcept>

namespace muster::kiosk::camera {

void GrayFrame::reset(int width, int height) {
    if (width < 0 || height < 0) throw std::invalid_argument("GrayFrame: negative size");
    width_ = width;
    height_ = height;
    // resize() only allocates when growing; a frame reused for each capture keeps its buffer.
    pixels_.resize(size_bytes());
}

void gray_from_yuyv(const std::uint8_t* yuyv, int width, int height, int bytes_per_line, GrayFrame& out) {
    out.reset(width, height);
    for (int y = 0; y < height; ++y) {
        const std::uint8_t* src = yuyv + static_cast<std::size_t>(y) * static_cast<std::size_t>(bytes_per_line);
        std::uint8_t* dst = out.row(y);
        for (int x = 0; x < width; ++x) dst[x] = src[2 * x];
    }
}

void gray_from_y_plane(const std::uint8_t* y_plane, int width, int height, int bytes_per_line, GrayFrame& out) {
    out.reset(width, height);
    if (bytes_per_line == width) {
        std::memcpy(out.data(), y_plane, out.size_bytes());
        return;
    }
    for (int y = 0; y < height; ++y)
        std::memcpy(out.row(y), y_plane + static_cast<std::size_t>(y) * static_cast<std::size_t>(bytes_per_line),
                    static_cast<std::size_t>(width));
}

void gray_from_interleaved(const std::uint8_t* pixels, int width, int height, int channels, GrayFrame& out) {
    if (channels < 1 || channels > 4) throw std::invalid_argument("gray_from_interleaved: 1 to 4 channels");
    out.reset(width, height);
    const std::size_t n = out.size_bytes();
    std::uint8_t* dst = out.data();
    const auto stride = static_cast<std::size_t>(channels);
    const bool has_alpha = channels == 2 || channels == 4;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t* p = pixels + i * stride;
        // 0.299 R + 0.587 G + 0.114 B in 10-bit fixed point, rounded (ZXing's RGBToLum).
        unsigned lum = channels >= 3 ? (306u * p[0] + 601u * p[1] + 117u * p[2] + 0x200u) >> 10 : p[0];
        if (has_alpha) {
            const unsigned a = p[channels - 1];
            lum = (lum * a + 255u * (255u - a) + 127u) / 255u;
        }
        dst[i] = static_cast<std::uint8_t>(lum);
    }
}

void invert_into(const GrayFrame& in, GrayFrame& out) {
    out.reset(in.width(), in.height());
    out.captured_at = in.captured_at;
    const std::uint8_t* src = in.data();
    std::uint8_t* dst = out.data();
    const std::size_t n = in.size_bytes();
    for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<std::uint8_t>(~src[i]);
}

}  // namespace muster::kiosk::camera
