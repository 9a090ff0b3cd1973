#include "qr_scene.hpp"

#define ZX_USE_UTF8
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

namespace muster::test::camera {

std::string badge_token(unsigned seed) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::mt19937 rng(seed);
    std::string token = "M1:";
    for (int i = 0; i < 120; ++i) token += alphabet[rng() % 32];
    return token;
}

QrModules encode_qr(const std::string& text) {
    // Margin 0 and size 0: one pixel per module, the quiet zone is drawn by draw_qr.
    const ZXing::BitMatrix bits =
        ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode).setMargin(0).encode(text, 0, 0);
    QrModules code;
    code.size = bits.width();
    code.dark.resize(static_cast<std::size_t>(code.size * code.size));
    for (int y = 0; y < code.size; ++y)
        for (int x = 0; x < code.size; ++x) code.dark[static_cast<std::size_t>(y * code.size + x)] = bits.get(x, y);
    return code;
}

GrayFrame empty_scene(unsigned seed) {
    GrayFrame frame(frame_width, frame_height);
    for (int y = 0; y < frame_height; ++y)
        for (int x = 0; x < frame_width; ++x)  // light from the top left, as under a window
            frame.at(x, y) = static_cast<std::uint8_t>(90 + 60 * (frame_width - x) / frame_width + 30 * (frame_height - y) / frame_height);
    // Clutter: dark bars like lines of text on a poster, so "no code" frames are not blank.
    std::mt19937 rng(seed);
    for (int i = 0; i < 40; ++i) {
        const int x0 = static_cast<int>(rng() % (frame_width - 200));
        const int y0 = static_cast<int>(rng() % (frame_height - 20));
        const int len = 40 + static_cast<int>(rng() % 160);
        const int thick = 3 + static_cast<int>(rng() % 8);
        for (int y = y0; y < y0 + thick; ++y)
            for (int x = x0; x < x0 + len; ++x) frame.at(x, y) = 40;
    }
    return frame;
}

void draw_qr(GrayFrame& frame, const QrModules& code, const Placement& where) {
    const double half = (code.size / 2.0 + where.quiet_modules) * where.module_px;
    const double reach = half * std::numbers::sqrt2 + 2;
    const double a = where.angle_deg * std::numbers::pi / 180.0;
    const double c = std::cos(a), s = std::sin(a);
    const int x0 = std::max(0, static_cast<int>(where.center_x - reach));
    const int x1 = std::min(frame.width() - 1, static_cast<int>(where.center_x + reach));
    const int y0 = std::max(0, static_cast<int>(where.center_y - reach));
    const int y1 = std::min(frame.height() - 1, static_cast<int>(where.center_y + reach));
    for (int y = y0; y <= y1; ++y) {
        for (int x = x0; x <= x1; ++x) {
            int covered = 0, inside = 0;
            for (int sy = 0; sy < 3; ++sy) {
                for (int sx = 0; sx < 3; ++sx) {
                    // Frame -> code coordinates: undo the rotation (y points down, so a
                    // counter-clockwise turn on screen is a negative angle here).
                    const double dx = x + (sx + 0.5) / 3.0 - where.center_x;
                    const double dy = y + (sy + 0.5) / 3.0 - where.center_y;
                    const double u = (c * dx - s * dy) / where.module_px + code.size / 2.0;
                    const double v = (s * dx + c * dy) / where.module_px + code.size / 2.0;
                    const double q = where.quiet_modules;
                    if (u < -q || v < -q || u >= code.size + q || v >= code.size + q) continue;
                    ++inside;
                    const int mu = static_cast<int>(std::floor(u)), mv = static_cast<int>(std::floor(v));
                    if (mu >= 0 && mv >= 0 && mu < code.size && mv < code.size && code.at(mu, mv)) ++covered;
                }
            }
            if (inside == 0) continue;
            const int outside = 9 - inside;
            const int value = (covered * where.dark + (inside - covered) * where.light + outside * frame.at(x, y)) / 9;
            frame.at(x, y) = static_cast<std::uint8_t>(value);
        }
    }
}

GrayFrame scene_with_code(const std::string& text, const Placement& where, unsigned seed) {
    GrayFrame frame = empty_scene(seed);
    draw_qr(frame, encode_qr(text), where);
    return frame;
}

void gaussian_blur(GrayFrame& frame, double sigma) {
    const int radius = std::max(1, static_cast<int>(std::ceil(3 * sigma)));
    std::vector<double> kernel(static_cast<std::size_t>(2 * radius + 1));
    double sum = 0;
    for (int i = -radius; i <= radius; ++i) sum += kernel[static_cast<std::size_t>(i + radius)] = std::exp(-i * i / (2 * sigma * sigma));
    for (double& k : kernel) k /= sum;
    const int w = frame.width(), h = frame.height();
    std::vector<double> tmp(static_cast<std::size_t>(w * h));
    for (int y = 0; y < h; ++y)  // horizontal pass, edges clamped
        for (int x = 0; x < w; ++x) {
            double acc = 0;
            for (int i = -radius; i <= radius; ++i) acc += kernel[static_cast<std::size_t>(i + radius)] * frame.at(std::clamp(x + i, 0, w - 1), y);
            tmp[static_cast<std::size_t>(y * w + x)] = acc;
        }
    for (int y = 0; y < h; ++y)  // vertical pass
        for (int x = 0; x < w; ++x) {
            double acc = 0;
            for (int i = -radius; i <= radius; ++i) acc += kernel[static_cast<std::size_t>(i + radius)] * tmp[static_cast<std::size_t>(std::clamp(y + i, 0, h - 1) * w + x)];
            frame.at(x, y) = static_cast<std::uint8_t>(std::lround(std::clamp(acc, 0.0, 255.0)));
        }
}

void add_noise(GrayFrame& frame, double stddev, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, stddev);
    for (int y = 0; y < frame.height(); ++y)
        for (int x = 0; x < frame.width(); ++x)
            frame.at(x, y) = static_cast<std::uint8_t>(std::clamp(std::lround(frame.at(x, y) + noise(rng)), 0L, 255L));
}

void invert(GrayFrame& frame) {
    for (int y = 0; y < frame.height(); ++y)
        for (int x = 0; x < frame.width(); ++x) frame.at(x, y) = static_cast<std::uint8_t>(255 - frame.at(x, y));
}

}  // namespace muster::test::camera
