#include "distortions.hpp"

namespace muster::test::camera {

using muster::kiosk::camera::DecodePass;

std::vector<Distortion> distortions() {
    std::vector<Distortion> all;
    auto add = [&](std::string name, auto&& tweak) {
        Distortion d;
        d.name = std::move(name);
        tweak(d);
        all.push_back(std::move(d));
    };
    add("plain", [](Distortion&) {});
    add("rotated 10", [](Distortion& d) { d.where.angle_deg = 10; });
    add("rotated 30", [](Distortion& d) { d.where.angle_deg = 30; });
    add("rotated 90", [](Distortion& d) { d.where.angle_deg = 90; });
    add("upside down", [](Distortion& d) { d.where.angle_deg = 180; });
    // 37 modules at 3.3 px: a 122 px code, a badge at the far end of the desk.
    add("small, 122 px", [](Distortion& d) { d.where.module_px = 3.3; });
    add("small and turned", [](Distortion& d) { d.where.module_px = 3.3; d.where.angle_deg = 30; });
    add("large, 518 px", [](Distortion& d) { d.where.module_px = 14; });
    add("top left corner", [](Distortion& d) { d.where.center_x = 160; d.where.center_y = 150; d.where.module_px = 4; });
    add("blurred", [](Distortion& d) { d.blur_sigma = 1.5; });
    add("noisy", [](Distortion& d) { d.noise_stddev = 12; });
    add("very noisy", [](Distortion& d) { d.noise_stddev = 20; });
    add("low contrast 40 levels", [](Distortion& d) {
        d.where.dark = 110;
        d.where.light = 150;
        d.expected_pass = DecodePass::low_contrast;
    });
    add("low contrast, bright", [](Distortion& d) {
        d.where.dark = 180;
        d.where.light = 220;
        d.noise_stddev = 3;
        d.expected_pass = DecodePass::low_contrast;
    });
    add("inverted (dark mode)", [](Distortion& d) {
        d.inverted = true;
        d.expected_pass = DecodePass::inverted;
    });
    add("turned, blurred, noisy", [](Distortion& d) {
        d.where.angle_deg = 30;
        d.where.module_px = 4;
        d.blur_sigma = 1.0;
        d.noise_stddev = 6;
    });
    return all;
}

DistortedFrame render(const Distortion& d, unsigned seed) {
    DistortedFrame out{badge_token(seed), scene_with_code(badge_token(seed), d.where, seed)};
    if (d.blur_sigma > 0) gaussian_blur(out.frame, d.blur_sigma);
    if (d.noise_stddev > 0) add_noise(out.frame, d.noise_stddev, seed);
    if (d.inverted) invert(out.frame);
    return out;
}

}  // namespace muster::test::camera
