// GrayFrame conversions and image files (the headless kiosk's --scan-image).
#include "gray_frame.hpp"
#include "image_file.hpp"
#include "qr_scene.hpp"
#include "scan_image.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <stb_image_write.h>

#include <sys/resource.h>

#include <algorithm>
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

namespace {

// A real, valid PNG of `side` x `side` black 8-bit grey pixels, built by hand: all-zero
// rows deflate to about 13 bits per 258 bytes, so a 16000 x 16000 image (256 MB of pixels)
// is a file of about 1.6 MB, well inside any file-size cap. This is the shape of a
// "decompression bomb".
std::string black_png(std::uint32_t side) {
    struct Bits {
        std::string out;
        std::uint32_t acc = 0;
        int n = 0;
        void put(std::uint32_t v, int count) {  // LSB first, as deflate packs them
            acc |= v << n;
            n += count;
            while (n >= 8) {
                out.push_back(static_cast<char>(acc & 0xFF));
                acc >>= 8;
                n -= 8;
            }
        }
        void huffman(std::uint32_t code, int len) {  // Huffman codes go MSB first
            for (int i = len - 1; i >= 0; --i) put((code >> i) & 1, 1);
        }
        void flush() {
            if (n) out.push_back(static_cast<char>(acc & 0xFF));
            acc = 0, n = 0;
        }
    };
    const std::uint64_t raw = (std::uint64_t{side} + 1) * side;  // a filter byte (0) per row, then pixels (0)
    Bits z;
    z.out = std::string("\x78\x01", 2);  // zlib header: deflate, 32K window, no preset dictionary
    z.put(1, 1);                         // BFINAL
    z.put(1, 2);                         // BTYPE = fixed Huffman
    z.huffman(0x30, 8);                  // literal 0
    std::uint64_t left = raw - 1;
    for (; left >= 258; left -= 258) {
        z.huffman(0xC5, 8);  // length 258 (code 285, no extra bits)
        z.huffman(0, 5);     // distance 1
    }
    for (; left > 0; --left) z.huffman(0x30, 8);
    z.huffman(0, 7);  // end of block (code 256)
    z.flush();
    const std::uint32_t adler = (static_cast<std::uint32_t>(raw % 65521) << 16) | 1;  // all zeros: a = 1, b = n
    for (int s = 24; s >= 0; s -= 8) z.out.push_back(static_cast<char>((adler >> s) & 0xFF));

    auto be32 = [](std::uint32_t v) {
        std::string b;
        for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<char>((v >> s) & 0xFF));
        return b;
    };
    auto crc32 = [](const std::string& data) {
        std::uint32_t c = 0xFFFFFFFFu;
        for (unsigned char byte : data) {
            c ^= byte;
            for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
        }
        return c ^ 0xFFFFFFFFu;
    };
    auto chunk = [&](const std::string& type, const std::string& body) {
        return be32(static_cast<std::uint32_t>(body.size())) + type + body + be32(crc32(type + body));
    };
    std::string ihdr = be32(side) + be32(side) + std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit grey
    return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", z.out) + chunk("IEND", "");
}

long max_rss_kb() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

}  // namespace

TEST_CASE("The hand-made black PNG is a real image: a small one loads", "[camera][limits]") {
    muster::test::TempDir dir;
    const std::string path = dir.file("black.png");
    std::ofstream(path, std::ios::binary) << black_png(300);
    const GrayFrame frame = load_gray_image(path);
    CHECK(frame.width() == 300);
    CHECK(frame.height() == 300);
    CHECK(std::all_of(frame.data(), frame.data() + frame.size_bytes(), [](std::uint8_t p) { return p == 0; }));
}

TEST_CASE("A small PNG declaring a huge picture is refused from its header, before decoding", "[camera][limits]") {
    muster::test::TempDir dir;
    const std::string path = dir.file("bomb.png");
    const std::string png = black_png(16000);  // 256 megapixels
    CHECK(png.size() < 2'000'000);
    std::ofstream(path, std::ios::binary) << png;

    const long before_kb = max_rss_kb();
    CHECK_THROWS_WITH(load_gray_image(path), "cannot read " + path + ": image is 16000x16000 (256.0 megapixels), " +
                                                 "more than the 16.8 megapixels a badge picture needs");
    CHECK_THROWS_AS(scan_image_file(path), ImageFileError);
    // Decoding it would have taken 256 MB for the pixels alone, and more for stb_image's
    // buffers; refused from the header, the peak does not move by more than a few MB.
    CHECK(max_rss_kb() - before_kb < 32 * 1024);

    // Just over the budget (4097 x 4097) is refused too.
    std::ofstream(dir.file("wide.png"), std::ios::binary) << black_png(4097);
    CHECK_THROWS_WITH(load_gray_image(dir.file("wide.png")), Catch::Contains("more than the 16.8 megapixels"));
}
