#include "zbar_reader.hpp"

#include <zbar.h>

namespace muster::bench {

struct ZbarReader::Impl {
    zbar::ImageScanner scanner;
};

ZbarReader::ZbarReader() : impl_(std::make_unique<Impl>()) {
    impl_->scanner.set_config(zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 0);
    impl_->scanner.set_config(zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_ENABLE, 1);
}

ZbarReader::~ZbarReader() = default;

std::optional<std::string> ZbarReader::read(const std::uint8_t* gray, int width, int height) {
    // "Y800" is 8-bit grey; zbar reads the buffer in place (no copy, no free).
    zbar::Image image(static_cast<unsigned>(width), static_cast<unsigned>(height), "Y800", gray,
                      static_cast<unsigned long>(width) * static_cast<unsigned long>(height));
    if (impl_->scanner.scan(image) <= 0) return std::nullopt;
    for (auto symbol = image.symbol_begin(); symbol != image.symbol_end(); ++symbol) return symbol->get_data();
    return std::nullopt;
}

}  // namespace muster::bench
