#include "scan_image.hpp"

namespace muster::kiosk::camera {

std::optional<QrCode> scan_image_file(const std::filesystem::path& path) {
    const GrayFrame frame = load_gray_image(path);
    QrDecoder decoder(QrDecoder::Options{QrDecoder::Retries::always, 1});
    return decoder.decode(frame);
}

}  // namespace muster::kiosk::camera
