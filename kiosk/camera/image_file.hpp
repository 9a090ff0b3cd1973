#pragma once
// Image files as camera frames: the headless kiosk's --scan-image PATH and the golden tests.
// PNG, JPEG and PNM (PGM/PPM) through stb_image; colour is reduced to luminance.
#include "gray_frame.hpp"

#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>

namespace muster::kiosk::camera {

// what() is "cannot read <path>: <reason>", ready to show to the operator.
class ImageFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Largest picture accepted, read from the file's header before anything is decoded. A small
// file can declare a huge picture (a 1.6 MB PNG of 16000x16000 black pixels took 760 MB to
// decode, an RGBA one over 2 GB), so the file size says nothing: the pixels count. 4096x4096
// is a 16-megapixel phone photo and far more than a badge's QR code needs; decoding the
// largest one accepted costs up to about 9 bytes a pixel (an RGBA PNG's inflated data and
// image in stb_image, then the grey frame), ~150 MB.
inline constexpr long long max_image_pixels = 4096LL * 4096;
inline constexpr int max_image_side = 16384;  // a long strip within the pixel budget

// Throws ImageFileError when the file is missing, unreadable, not an image stb_image knows,
// or too large.
GrayFrame load_gray_image(const std::filesystem::path& path);

// The same from an image file's bytes held in memory, `name` standing for its path in the
// messages. `max_pixels` lowers the pixel budget (the fuzz target keeps each run fast).
GrayFrame load_gray_image(std::span<const std::uint8_t> bytes, const std::string& name,
                          long long max_pixels = max_image_pixels);

}  // namespace muster::kiosk::camera
