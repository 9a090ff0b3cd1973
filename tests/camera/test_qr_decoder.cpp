// QrDecoder on distorted 1280x720 frames, its retries and its outline.
#include "distortions.hpp"
#include "qr_decoder.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace muster::kiosk::camera;
namespace scene = muster::test::camera;

TEST_CASE("Distorted codes decode with every retry allowed", "[camera]") {
    unsigned seed = 100;
    for (const scene::Distortion& d : scene::distortions()) {
        INFO(d.name);
        const scene::DistortedFrame f = scene::render(d, ++seed);
        QrDecoder decoder;  // Retries::always, as for image files
        const auto code = decoder.decode(f.frame);
        REQUIRE(code);
        CHECK(code->text == f.text);
        CHECK(to_string(code->pass) == std::string(to_string(d.expected_pass)));
    }
}

TEST_CASE("Without retries, dark-mode and low-contrast codes are not found", "[camera]") {
    // Shows the retries are what finds them (ZXing 1.4 alone does not).
    unsigned seed = 200;
    for (const scene::Distortion& d : scene::distortions()) {
        if (d.expected_pass == DecodePass::normal) continue;
        INFO(d.name);
        QrDecoder decoder(QrDecoder::Options{QrDecoder::Retries::never, 1});
        CHECK_FALSE(decoder.decode(scene::render(d, ++seed).frame));
    }
}

TEST_CASE("A frame without a code is an empty result", "[camera]") {
    QrDecoder decoder;
    CHECK_FALSE(decoder.decode(scene::empty_scene(3)));
    CHECK_FALSE(decoder.decode(GrayFrame{}));
}

TEST_CASE("Scheduled retries find a dark-mode code within two rounds, then every frame", "[camera]") {
    scene::Distortion dark;
    dark.inverted = true;
    const scene::DistortedFrame f = scene::render(dark, 7);
    QrDecoder decoder(QrDecoder::Options{QrDecoder::Retries::scheduled, 6});
    int first = -1;
    for (int i = 0; i < 12 && first < 0; ++i)
        if (decoder.decode(f.frame)) first = i;
    REQUIRE(first >= 0);
    CHECK(first == 5);  // the 6th miss is the first inverted retry
    // Remembered polarity: now found in every frame.
    for (int i = 0; i < 5; ++i) {
        const auto code = decoder.decode(f.frame);
        REQUIRE(code);
        CHECK(code->pass == DecodePass::inverted);
    }
    // And a normal badge right after is found at once.
    const auto normal = decoder.decode(scene::render(scene::Distortion{}, 8).frame);
    REQUIRE(normal);
    CHECK(normal->pass == DecodePass::normal);
}

namespace {
double distance(Point p, double x, double y) { return std::hypot(p.x - x, p.y - y); }
}  // namespace

TEST_CASE("The outline follows the code's corners", "[camera]") {
    scene::Distortion d;
    d.where.center_x = 500;
    d.where.center_y = 300;
    d.where.module_px = 6;
    const scene::DistortedFrame f = scene::render(d, 9);
    const int modules = scene::encode_qr(f.text).size;
    const double half = modules * 6 / 2.0;

    QrDecoder decoder;
    const auto upright = decoder.decode(f.frame);
    REQUIRE(upright);
    const double tolerance = 6 * 1.5;  // ZXing places corners to within a module or so
    CHECK(distance(upright->corners[0], 500 - half, 300 - half) < tolerance);  // top-left
    CHECK(distance(upright->corners[1], 500 + half, 300 - half) < tolerance);  // top-right
    CHECK(distance(upright->corners[2], 500 + half, 300 + half) < tolerance);  // bottom-right
    CHECK(distance(upright->corners[3], 500 - half, 300 + half) < tolerance);  // bottom-left

    d.where.angle_deg = 180;  // held upside down: the printed top-left is at the bottom right
    const auto flipped = decoder.decode(scene::render(d, 9).frame);
    REQUIRE(flipped);
    CHECK(distance(flipped->corners[0], 500 + half, 300 + half) < tolerance);
}
