#pragma once
// The distorted frames every decode path must read: rotation, scale, position, blur, noise,
// low contrast, inverted, and a mix. Each case carries its own code (seeded token) so a
// stream of them through CameraSource is a stream of different attendees.
#include "qr_decoder.hpp"
#include "qr_scene.hpp"

#include <string>
#include <vector>

namespace muster::test::camera {

struct Distortion {
    std::string name;
    Placement where;
    double blur_sigma = 0;
    double noise_stddev = 0;
    bool inverted = false;
    // The pass that must find it with every retry allowed (tests that the retries exist).
    muster::kiosk::camera::DecodePass expected_pass = muster::kiosk::camera::DecodePass::normal;
};

std::vector<Distortion> distortions();

struct DistortedFrame {
    std::string text;
    GrayFrame frame;
};
DistortedFrame render(const Distortion& d, unsigned seed);

}  // namespace muster::test::camera
