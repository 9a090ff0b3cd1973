#include "scan_image.hpp"

namespace muster::kiosk::camera {

std::optional<QrCode> scan_image_file(const std::filesystem::path& path) { return scan_image(load_gray_image(path)); }

std::optional<QrCode> scan_image(const GrayFrame& frame) {
    QrDecoder decoder(QrDecoder::Options{QrDecoder::Retries::always, 1});
    return decoder.decode(frame);
}

}  // namespace muster::kiosk::camera
