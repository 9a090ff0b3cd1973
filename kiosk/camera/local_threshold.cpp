#include "local_threshold.hpp"

#include "qr_decoder.hpp"

#include <algorithm>

namespace muster::kiosk::camera {

void LocalThreshold::apply(const GrayView& in, GrayFrame& out) {
    const int w = in.width, h = in.height;
    const auto uw = static_cast<std::size_t>(w);
    auto row = [&](int y) { return in.data + static_cast<std::ptrdiff_t>(y) * in.stride; };
    column_sums_.assign(uw, 0);
    prefix_.resize(uw + 1);
    std::int32_t* const col = column_sums_.data();
    std::int32_t* const pre = prefix_.data();

    // The box of row 0 covers rows 0..radius.
    for (int y = 0; y < std::min(h, radius + 1); ++y) {
        const std::uint8_t* src = row(y);
        for (int x = 0; x < w; ++x) col[x] += src[x];
    }
    out.reset(w, h);
    const int left_end = std::min(w, radius);              // boxes clipped at the left edge
    const int right_start = std::max(left_end, w - radius); // boxes clipped at the right edge
    for (int y = 0; y < h; ++y) {
        if (y > 0) {  // slide the vertical box down one row
            if (y + radius < h) {
                const std::uint8_t* enter = row(y + radius);
                for (int x = 0; x < w; ++x) col[x] += enter[x];
            }
            if (y - radius - 1 >= 0) {
                const std::uint8_t* leave = row(y - radius - 1);
                for (int x = 0; x < w; ++x) col[x] -= leave[x];
            }
        }
        pre[0] = 0;  // at most 1280 * 49 * 255: 32 bits are plenty
        for (int x = 0; x < w; ++x) pre[x + 1] = pre[x] + col[x];

        const std::int32_t rows = std::min(h, y + radius + 1) - std::max(0, y - radius);
        const std::uint8_t* src = row(y);
        std::uint8_t* dst = out.row(y);
        // Ink when pixel < box mean - delta, i.e. (pixel + delta) * n < box sum: no division.
        for (int x = 0; x < left_end; ++x) {
            const int x1 = std::min(w, x + radius + 1);
            dst[x] = (src[x] + delta) * x1 * rows < pre[x1] ? 0 : 255;
        }
        const std::int32_t n = (2 * radius + 1) * rows;
        for (int x = left_end; x < right_start; ++x)
            dst[x] = (src[x] + delta) * n < pre[x + radius + 1] - pre[x - radius] ? 0 : 255;
        for (int x = right_start; x < w; ++x) {
            const int x0 = std::max(0, x - radius);
            dst[x] = (src[x] + delta) * (w - x0) * rows < pre[w] - pre[x0] ? 0 : 255;
        }
    }
}

}  // namespace muster::kiosk::camera
