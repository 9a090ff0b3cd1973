#pragma once
// QR decoding over ZXing-cpp 1.4, QR only, with the two retries 1.4 lacks: the inverted image
// (phones in dark mode show white-on-black codes) and a low-contrast binarizer (grey print,
// dim screens; see local_threshold.hpp). No ZXing type leaks out of this header, so the
// kiosk's other files never include ZXing (and never clash with zbar).
#include "gray_frame.hpp"
#include "local_threshold.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace muster::kiosk::camera {

struct Point {
    int x = 0;
    int y = 0;
    friend bool operator==(const Point&, const Point&) = default;
};

// The code's corners in frame pixels: top-left, top-right, bottom-right, bottom-left as the
// code is printed (so a code held upside down has its top-left at the bottom right).
using Quad = std::array<Point, 4>;

// Which image the code was found in.
enum class DecodePass : std::uint8_t { normal, inverted, low_contrast };
const char* to_string(DecodePass pass);

struct QrCode {
    std::string text;
    Quad corners{};
    DecodePass pass = DecodePass::normal;
};

// Non-owning view of 8-bit luminance, as ZXing's ImageView: a camera's mmap'd Y plane can be
// decoded without copying.
struct GrayView {
    const std::uint8_t* data = nullptr;
    int width = 0;
    int height = 0;
    int stride = 0;
};
GrayView view_of(const GrayFrame& frame);

class QrDecoder {
public:
    enum class Retries {
        always,     // every frame without a code gets both retries (image files, tests)
        scheduled,  // one retry per `retry_every` frames without a code (live camera)
        never,
    };
    struct Options {
        Retries retries = Retries::always;
        // With `scheduled`, the retries take turns: inverted, low contrast, inverted, ...
        // 8 keeps frames without a code at ~1.15x of one decode on average (6 measured
        // 1.20x), and still retries each kind every 16 frames (0.53 s at 30 frames/s; a
        // badge is held up for seconds). Measured in bench/camera, see docs/camera.md.
        int retry_every = 8;
    };

    QrDecoder();
    explicit QrDecoder(Options options);

    // Decodes one frame. Not finding a code is the empty optional, never an exception.
    // Not thread-safe: keeps its retry buffers between calls (one decoder per thread).
    std::optional<QrCode> decode(GrayView image);
    std::optional<QrCode> decode(const GrayFrame& frame) { return decode(view_of(frame)); }

    const Options& options() const { return options_; }

private:
    std::optional<QrCode> run(GrayView image, DecodePass pass);

    Options options_;
    GrayFrame scratch_;          // the inverted / thresholded image, reused frame to frame
    LocalThreshold threshold_;
    unsigned misses_ = 0;        // frames without a code, for the retry schedule
    DecodePass last_pass_ = DecodePass::normal;  // a dark-mode phone stays dark: try it first
};

}  // namespace muster::kiosk::camera
