#pragma once
// The headless kiosk's --scan-image PATH: one image file through the same decoder as the
// camera, with every retry (a file is decoded once, so there is no frame budget to keep).
#include "image_file.hpp"
#include "qr_decoder.hpp"

#include <filesystem>
#include <optional>

namespace muster::kiosk::camera {

// The code in the image, or nullopt when there is none. Throws ImageFileError
// ("cannot read <path>: <reason>") when the file cannot be read as an image.
std::optional<QrCode> scan_image_file(const std::filesystem::path& path);
// The code in an image already loaded, decoded as scan_image_file decodes a file's.
std::optional<QrCode> scan_image(const GrayFrame& frame);

}  // namespace muster::kiosk::camera
