#pragma once
// Image files as camera frames: the headless kiosk's --scan-image PATH and the golden tests.
// PNG, JPEG and PNM (PGM/PPM) through stb_image; colour is reduced to luminance.
#include "gray_frame.hpp"

#include <filesystem>
#include <stdexcept>

namespace muster::kiosk::camera {

// what() is "cannot read <path>: <reason>", ready to show to the operator.
class ImageFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Largest side accepted: a phone photo is ~4000 px; anything far larger is not a badge
// picture and would only cost memory.
inline constexpr int max_image_side = 16384;

// Throws ImageFileError when the file is missing, unreadable, not an image stb_image knows,
// or too large.
GrayFrame load_gray_image(const std::filesystem::path& path);

}  // namespace muster::kiosk::camera
