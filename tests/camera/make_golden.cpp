// Writes the golden image/text pairs under tests/camera/golden/. Run once, by hand, when the
// set changes; the files are committed and test_golden.cpp decodes them:
//   build/tests/camera/muster-make-camera-golden tests/camera/golden
// Images are small crops (a few KB) of the same kind of picture the camera sees.
#include "qr_scene.hpp"

#include <stb_image_write.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

using namespace muster::test::camera;

namespace {

struct Golden {
    const char* name;
    std::string text;
    double angle = 0;
    double module_px = 4;
    std::uint8_t dark = 25, light = 230;
    double blur = 0, noise = 0;
    bool inverted = false;
};

GrayFrame picture(const Golden& g) {
    GrayFrame frame(240, 240);
    for (int y = 0; y < 240; ++y)
        for (int x = 0; x < 240; ++x) frame.at(x, y) = static_cast<std::uint8_t>(120 + y / 8);  // a desk
    Placement where;
    where.center_x = where.center_y = 120;
    where.module_px = g.module_px;
    where.angle_deg = g.angle;
    where.dark = g.dark;
    where.light = g.light;
    draw_qr(frame, encode_qr(g.text), where);
    if (g.blur > 0) gaussian_blur(frame, g.blur);
    if (g.noise > 0) add_noise(frame, g.noise, 1);
    if (g.inverted) invert(frame);
    return frame;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <output directory>\n", argv[0]);
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);
    const Golden set[] = {
        {.name = "badge_clean", .text = badge_token(1)},
        {.name = "badge_rotated_30", .text = badge_token(2), .angle = 30, .module_px = 3.2},
        {.name = "badge_upside_down_blurred", .text = badge_token(3), .angle = 180, .blur = 1.0},
        {.name = "badge_low_contrast", .text = badge_token(4), .dark = 120, .light = 160},
        {.name = "badge_dark_mode", .text = badge_token(5), .inverted = true},
        {.name = "url_mixed_case", .text = "https://muster.example/c/Event-42?seat=B7", .module_px = 5},
    };
    for (const Golden& g : set) {
        const GrayFrame frame = picture(g);
        const std::string png = (dir / (std::string(g.name) + ".png")).string();
        if (!stbi_write_png(png.c_str(), frame.width(), frame.height(), 1, frame.data(), frame.stride())) {
            std::fprintf(stderr, "cannot write %s\n", png.c_str());
            return 1;
        }
        std::ofstream(dir / (std::string(g.name) + ".txt"), std::ios::binary) << g.text;  // no newline
        std::printf("%s\n", png.c_str());
    }
    return 0;
}
