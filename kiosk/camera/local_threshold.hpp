#pragma once
// A second binarizer for the low-contrast retry. ZXing 1.4's LocalAverage binarizer assumes a
// flat 8x8 block is background and sets its threshold to half its level, so a code whose ink
// is lighter than half its paper (grey on white, a dim phone screen, ~40 grey levels of
// contrast) loses its finder patterns at the quiet zone. Here a pixel is ink when it is
// `delta` levels darker than the mean of the (2*radius+1)^2 box around it, at any brightness.
// It fails on very large modules (a flat area wider than the box), which ZXing's own
// binarizer handles: that is why it is a retry, not the first pass.
#include "gray_frame.hpp"

#include <cstdint>
#include <vector>

namespace muster::kiosk::camera {

struct GrayView;

class LocalThreshold {
public:
    static constexpr int radius = 24;  // box of 49 px: 5+ modules of a code at arm's length
    static constexpr int delta = 8;    // above sensor noise, below 40 levels of contrast

    // out becomes 0 (ink) / 255 (paper), ready for ZXing's BoolCast binarizer.
    // Reuses its buffers: no allocation once the frame size is steady.
    void apply(const GrayView& in, GrayFrame& out);

private:
    // Box sums by running sums, not a summed-area table: a 1280x720 table of 32-bit sums is
    // 3.7 MB and falls out of cache. Vertical sums are kept per column and updated a row at a
    // time (vectorised across the row); the horizontal sum is a prefix over them. ~10 KB.
    std::vector<std::int32_t> column_sums_;
    std::vector<std::int32_t> prefix_;
};

}  // namespace muster::kiosk::camera
