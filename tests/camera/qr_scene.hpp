#pragma once
// Synthetic camera frames for the camera tests and the benchmark: a QR code made with
// ZXing's own writer, printed on a white badge, laid into a 1280x720 frame at a chosen
// position, size and angle, then blurred / noised / inverted as a real camera would.
#include "gray_frame.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace muster::test::camera {

using muster::kiosk::camera::GrayFrame;

inline constexpr int frame_width = 1280;
inline constexpr int frame_height = 720;

// A realistic badge payload: "M1:" + 120 base32 characters ([A-Z2-7]), fixed by `seed`.
std::string badge_token(unsigned seed);

// The code's modules (true = dark), without quiet zone, as ZXing's writer made them.
struct QrModules {
    int size = 0;
    std::vector<std::uint8_t> dark;
    bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)] != 0; }
};
QrModules encode_qr(const std::string& text);

struct Placement {
    double center_x = frame_width / 2.0;
    double center_y = frame_height / 2.0;
    double module_px = 5.0;   // side of one module in frame pixels
    double angle_deg = 0.0;   // counter-clockwise
    std::uint8_t dark = 20;   // ink
    std::uint8_t light = 235; // paper
    int quiet_modules = 4;    // paper around the code, in modules (the standard asks for 4)
};

// A frame with a mild lighting gradient and some clutter (text-like bars), no code.
GrayFrame empty_scene(unsigned seed);
// Draws the code (anti-aliased, 3x3 supersampling) into `frame`.
void draw_qr(GrayFrame& frame, const QrModules& code, const Placement& where);
// Convenience: empty_scene + draw_qr.
GrayFrame scene_with_code(const std::string& text, const Placement& where, unsigned seed = 1);

void gaussian_blur(GrayFrame& frame, double sigma);
void add_noise(GrayFrame& frame, double stddev, unsigned seed);
void invert(GrayFrame& frame);

}  // namespace muster::test::camera
