#include "image_file.hpp"

#include <stb_image.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace muster::kiosk::camera {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& reason) {
    throw ImageFileError("cannot read " + path.string() + ": " + reason);
}

// "16.8": one decimal, as people quote camera resolutions.
std::string megapixels(long long pixels) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(pixels) / 1e6);
    return buf;
}

// PNG, JPEG or binary PGM/PPM by their first bytes: the formats the kiosk documents. stb_image
// also decodes BMP, GIF, PSD, TGA, HDR and PIC, rarer decoders no badge picture needs, so
// their code is never reached with a file from outside.
bool documented_format(std::span<const unsigned char> head) {
    auto starts = [&](std::string_view magic) {
        return head.size() >= magic.size() && std::equal(magic.begin(), magic.end(), head.begin(),
                                                         [](char m, unsigned char h) { return static_cast<unsigned char>(m) == h; });
    };
    return starts("\x89PNG\r\n\x1a\n") || starts("\xFF\xD8\xFF") || starts("P5") || starts("P6");
}

// stb_image 2.27 (Debian 12's libstb) builds a JPEG Huffman table from the 16 code counts of
// a DHT segment without checking that they add up to at most 256, and then writes past the
// table's arrays by as much as the excess (memory corruption from one crafted file; found by
// tests/fuzz/scan_image, reproducer crash-jpeg-huffman-table-over-256). JPEG allows 256
// codes a table (ITU T.81, B.2.4.2), so such a file is refused before stb_image reads it.
// Every FF C4 in the file is read as stb_image would read a DHT segment there (wherever its
// marker walk might find one): a table of more is refused, a false alarm at worst refusing a
// file whose other data happens to look like one.
bool jpeg_huffman_tables_fit(std::span<const unsigned char> b) {
    if (b.size() < 2 || b[0] != 0xFF || b[1] != 0xD8) return true;  // not a JPEG
    auto byte = [&](std::size_t at) -> unsigned { return at < b.size() ? b[at] : 0; };  // stb_image reads 0 past the end
    for (std::size_t i = 2; i + 1 < b.size(); ++i) {
        if (b[i] != 0xFF || b[i + 1] != 0xC4) continue;
        std::size_t p = i + 2;
        long left = static_cast<long>((byte(p) << 8) | byte(p + 1)) - 2;
        p += 2;
        while (left > 0 && p < b.size()) {
            const unsigned q = byte(p);
            if ((q >> 4) > 1 || (q & 15) > 3) break;  // stb_image stops at this table
            unsigned n = 0;
            for (std::size_t k = 1; k <= 16; ++k) n += byte(p + k);
            if (n > 256) return false;
            p += 17 + n;
            left -= 17 + static_cast<long>(n);
        }
    }
    return true;
}

// stb_image 2.27 reads a PGM/PPM header's width, height and maximum value into an int
// without a bound, so a long number overflows it (undefined behaviour; found by
// tests/fuzz/scan_image, reproducer crash-pgm-header-number-overflow) and the size check
// would see whatever it wrapped to. The header is read here as stb_image reads it
// (whitespace, # comments) and a number of more than 5 digits refused: no side within the
// budget, nor the 16-bit maximum value 65535, needs more.
bool pnm_header_numbers_fit(std::span<const unsigned char> b) {
    if (b.size() < 2 || b[0] != 'P' || (b[1] != '5' && b[1] != '6')) return true;  // not PNM
    std::size_t at = 2;
    auto space = [](unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    for (int number = 0; number < 3; ++number) {
        for (;;) {
            while (at < b.size() && space(b[at])) ++at;
            if (at >= b.size() || b[at] != '#') break;
            while (at < b.size() && b[at] != '\n' && b[at] != '\r') ++at;
        }
        std::size_t digits = 0;
        while (at < b.size() && b[at] >= '0' && b[at] <= '9') ++at, ++digits;
        if (digits > 5) return false;
    }
    return true;
}

constexpr const char* not_an_image = "not a PNG, JPEG or PGM image (or a damaged one)";

// Refuses a picture too large to decode, from the size its header declares.
void check_size(const std::filesystem::path& path, int width, int height, long long max_pixels) {
    const long long pixel_count = static_cast<long long>(width) * height;
    if (pixel_count > max_pixels)
        fail(path, "image is " + std::to_string(width) + "x" + std::to_string(height) + " (" + megapixels(pixel_count) +
                       " megapixels), more than the " + megapixels(max_pixels) + " megapixels a badge picture needs");
    if (width > max_image_side || height > max_image_side)
        fail(path, "image is " + std::to_string(width) + "x" + std::to_string(height) + ", larger than " +
                       std::to_string(max_image_side) + " pixels a side");
}

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
struct StbiFree {
    void operator()(unsigned char* p) const { stbi_image_free(p); }
};

}  // namespace

GrayFrame load_gray_image(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) fail(path, "is a directory");
    // Open it ourselves: errno gives "No such file or directory" / "Permission denied",
    // which stb_image would flatten into "can't fopen".
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file) fail(path, std::strerror(errno));
    // Read whole (the JPEG check below looks at all of it), within a size no picture in the
    // pixel budget needs: a 4096x4096 PPM is 48 MB.
    constexpr std::size_t max_file_bytes = 256u << 20;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > max_file_bytes) fail(path, "file is " + std::to_string(size >> 20) + " MB, larger than any badge picture");
    std::vector<std::uint8_t> bytes;
    std::uint8_t chunk[1 << 16];
    while (std::size_t got = std::fread(chunk, 1, sizeof chunk, file.get())) {
        bytes.insert(bytes.end(), chunk, chunk + got);
        if (bytes.size() > max_file_bytes) fail(path, "file larger than any badge picture");
    }
    if (std::ferror(file.get())) fail(path, std::strerror(errno));
    return load_gray_image(bytes, path.string());
}

GrayFrame load_gray_image(std::span<const std::uint8_t> bytes, const std::string& name, long long max_pixels) {
    // stb_image takes an int length; no image a kiosk scans is near 2 GB.
    if (bytes.size() > static_cast<std::size_t>(INT_MAX)) fail(name, "file too large");
    const int length = static_cast<int>(bytes.size());
    if (!documented_format(bytes)) fail(name, not_an_image);
    if (!pnm_header_numbers_fit(bytes)) fail(name, "damaged PGM/PPM header (a number too long)");
    if (!jpeg_huffman_tables_fit(bytes)) fail(name, "damaged JPEG (a Huffman table of more than 256 codes)");
    int width = 0, height = 0, channels = 0;
    if (!stbi_info_from_memory(bytes.data(), length, &width, &height, &channels)) fail(name, not_an_image);
    check_size(name, width, height, max_pixels);
    std::unique_ptr<unsigned char, StbiFree> pixels(stbi_load_from_memory(bytes.data(), length, &width, &height, &channels, 0));
    if (!pixels) fail(name, "damaged or unsupported image data");
    GrayFrame frame;
    gray_from_interleaved(pixels.get(), width, height, channels, frame);
    return frame;
}

}  // namespace muster::kiosk::camera
