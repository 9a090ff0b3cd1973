// GrayFrame conversions and image files (the headless kiosk's --scan-image).
#include "gray_frame.hpp"
#include "image_file.hpp"
#include "qr_scene.hpp"
#include "scan_image.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <stb_image_write.h>

#include <fstream>
#include <string>
#include <vector>

using namespace muster::kiosk::camera;
namespace scene = muster::test::camera;

TEST_CASE("YUYV and Y-plane conversions keep only the luminance, honouring the stride", "[camera]") {
    // 4x2 YUYV with 2 bytes of row padding: Y values 10,20,30,40 / 50,60,70,80.
    const std::vector<std::uint8_t> yuyv = {10, 128, 20, 128, 30, 128, 40, 128, 0, 0,
                                            50, 128, 60, 128, 70, 128, 80, 128, 0, 0};
    GrayFrame out;
    gray_from_yuyv(yuyv.data(), 4, 2, 10, out);
    REQUIRE(out.width() == 4);
    REQUIRE(out.height() == 2);
    CHECK(std::vector<std::uint8_t>(out.data(), out.data() + 8) == std::vector<std::uint8_t>{10, 20, 30, 40, 50, 60, 70, 80});

    const std::vector<std::uint8_t> plane = {1, 2, 3, 99, 4, 5, 6, 99};  // 3x2, stride 4
    gray_from_y_plane(plane.data(), 3, 2, 4, out);
    CHECK(std::vector<std::uint8_t>(out.data(), out.data() + 6) == std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6});
}

TEST_CASE("RGB uses BT.601 luma and alpha is laid over white", "[camera]") {
    const std::vector<std::uint8_t> rgba = {255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 0, 0, 0, 0, 0, 255};
    GrayFrame out;
    gray_from_interleaved(rgba.data(), 4, 1, 4, out);
    CHECK(int(out.at(0, 0)) == 76);   // red
    CHECK(int(out.at(1, 0)) == 150);  // green
    CHECK(int(out.at(2, 0)) == 255);  // fully transparent black: white paper, not a black hole
    CHECK(int(out.at(3, 0)) == 0);    // opaque black
}

TEST_CASE("A reused frame keeps its buffer and inversion is exact", "[camera]") {
    GrayFrame a(8, 8);
    const std::uint8_t* before = a.data();
    a.reset(4, 4);
    CHECK(a.data() == before);  // shrinking does not reallocate
    for (int i = 0; i < 16; ++i) a.data()[i] = static_cast<std::uint8_t>(i * 16);
    GrayFrame b;
    invert_into(a, b);
    for (int i = 0; i < 16; ++i) CHECK(int(b.data()[i]) == 255 - i * 16);
}

namespace {

// A code small enough to write quickly, with its text.
scene::GrayFrame small_code_image(const std::string& text) {
    scene::GrayFrame frame(320, 320);
    for (int y = 0; y < 320; ++y)
        for (int x = 0; x < 320; ++x) frame.at(x, y) = 240;
    scene::Placement where;
    where.center_x = where.center_y = 160;
    where.module_px = 5;
    scene::draw_qr(frame, scene::encode_qr(text), where);
    return frame;
}

}  // namespace

TEST_CASE("PNG, JPEG and PGM files load as luminance and decode", "[camera]") {
    muster::test::TempDir dir;
    const std::string text = scene::badge_token(11);
    const scene::GrayFrame img = small_code_image(text);

    // PNG as RGB, JPEG as grey, PGM written by hand: three loader paths.
    std::vector<std::uint8_t> rgb(img.size_bytes() * 3);
    for (std::size_t i = 0; i < img.size_bytes(); ++i) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = img.data()[i];
    REQUIRE(stbi_write_png(dir.file("code.png").c_str(), img.width(), img.height(), 3, rgb.data(), img.width() * 3));
    REQUIRE(stbi_write_jpg(dir.file("code.jpg").c_str(), img.width(), img.height(), 1, img.data(), 90));
    {
        std::ofstream pgm(dir.file("code.pgm"), std::ios::binary);
        pgm << "P5\n" << img.width() << " " << img.height() << "\n255\n";
        pgm.write(reinterpret_cast<const char*>(img.data()), static_cast<std::streamsize>(img.size_bytes()));
    }

    for (const char* name : {"code.png", "code.jpg", "code.pgm"}) {
        INFO(name);
        const GrayFrame loaded = load_gray_image(dir.file(name));
        CHECK(loaded.width() == 320);
        CHECK(loaded.height() == 320);
        CHECK(std::abs(int(loaded.at(2, 2)) - 240) <= 3);  // JPEG may shift a level or two
        const auto code = scan_image_file(dir.file(name));
        REQUIRE(code);
        CHECK(code->text == text);
    }
    // Exact for the lossless formats.
    const GrayFrame png = load_gray_image(dir.file("code.png"));
    CHECK(std::equal(png.data(), png.data() + png.size_bytes(), img.data()));
}

TEST_CASE("Unreadable image files give a clear error naming the file", "[camera]") {
    muster::test::TempDir dir;
    const std::string missing = dir.file("nope.png");
    CHECK_THROWS_WITH(load_gray_image(missing), "cannot read " + missing + ": No such file or directory");

    const std::string text_file = dir.file("notes.png");
    std::ofstream(text_file) << "this is not an image\n";
    CHECK_THROWS_WITH(load_gray_image(text_file),
                      "cannot read " + text_file + ": not a PNG, JPEG or PGM image (or a damaged one)");
    CHECK_THROWS_AS(scan_image_file(text_file), ImageFileError);

    CHECK_THROWS_WITH(load_gray_image(dir.path()), "cannot read " + dir.path().string() + ": is a directory");
}

TEST_CASE("An image without a code scans as nothing, not an error", "[camera]") {
    muster::test::TempDir dir;
    const scene::GrayFrame blank = scene::empty_scene(4);
    REQUIRE(stbi_write_png(dir.file("blank.png").c_str(), blank.width(), blank.height(), 1, blank.data(), blank.width()));
    CHECK_FALSE(scan_image_file(dir.file("blank.png")));
}
