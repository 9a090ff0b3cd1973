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

    unsigned char head[8] = {};
    const std::size_t got = std::fread(head, 1, sizeof head, file.get());
    std::rewind(file.get());
    if (!documented_format(std::span<const unsigned char>(head, got))) fail(path, not_an_image);
    int width = 0, height = 0, channels = 0;
    if (!stbi_info_from_file(file.get(), &width, &height, &channels)) fail(path, not_an_image);
    check_size(path, width, height, max_image_pixels);

    // stbi_failure_reason() is process-global and not thread-safe, so the reason above is
    // ours; a file whose header parses but whose data is damaged fails here.
    std::unique_ptr<unsigned char, StbiFree> pixels(stbi_load_from_file(file.get(), &width, &height, &channels, 0));
    if (!pixels) fail(path, "damaged or unsupported image data");

    GrayFrame frame;
    gray_from_interleaved(pixels.get(), width, height, channels, frame);
    return frame;
}

GrayFrame load_gray_image(std::span<const std::uint8_t> bytes, const std::string& name, long long max_pixels) {
    // stb_image takes an int length; no image a kiosk scans is near 2 GB.
    if (bytes.size() > static_cast<std::size_t>(INT_MAX)) fail(name, "file too large");
    const int length = static_cast<int>(bytes.size());
    if (!documented_format(bytes)) fail(name, not_an_image);
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
