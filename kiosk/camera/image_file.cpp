#include "image_file.hpp"

#include <stb_image.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

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
