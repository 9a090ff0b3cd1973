#include "local_threshold.hpp"

#include "qr_decoder.hpp"

#include <algorithm>

namespace muster::kiosk::camera {

void LocalThreshold::apply(const GrayView& in, GrayFrame& out) {
    const int w = in.width, h = in.height;
    const auto row_len = static_cast<std::size_t>(w) + 1;
    // 255 * 1280 * 720 < 2^32: a 32-bit table is enough for any camera frame we take.
    integral_.resize(row_len * (static_cast<std::size_t>(h) + 1));
    std::fill_n(integral_.begin(), row_len, 0u);
    for (int y = 0; y < h; ++y) {
        const std::uint8_t* src = in.data + static_cast<std::ptrdiff_t>(y) * in.stride;
        const std::uint32_t* above = &integral_[static_cast<std::size_t>(y) * row_len];
        std::uint32_t* cur = &integral_[static_cast<std::size_t>(y + 1) * row_len];
        std::uint32_t run = 0;
        cur[0] = 0;
        for (int x = 0; x < w; ++x) {
            run += src[x];
            cur[x + 1] = above[x + 1] + run;
        }
    }

    out.reset(w, h);
    for (int y = 0; y < h; ++y) {
        const int y0 = std::max(0, y - radius), y1 = std::min(h, y + radius + 1);
        const std::uint32_t* top = &integral_[static_cast<std::size_t>(y0) * row_len];
        const std::uint32_t* bottom = &integral_[static_cast<std::size_t>(y1) * row_len];
        const std::uint8_t* src = in.data + static_cast<std::ptrdiff_t>(y) * in.stride;
        std::uint8_t* dst = out.row(y);
        for (int x = 0; x < w; ++x) {
            const int x0 = std::max(0, x - radius), x1 = std::min(w, x + radius + 1);
            const auto sum = static_cast<std::int64_t>(bottom[x1] - bottom[x0] - top[x1] + top[x0]);
            const std::int64_t n = static_cast<std::int64_t>(x1 - x0) * (y1 - y0);
            // pixel < mean - delta, without a division per pixel
            dst[x] = (src[x] + delta) * n < sum ? 0 : 255;
        }
    }
}

}  // namespace muster::kiosk::camera
