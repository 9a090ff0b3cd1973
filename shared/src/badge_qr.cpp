#include "muster/badge/badge_qr.hpp"

#define ZX_USE_UTF8 1
#include <ZXing/BarcodeFormat.h>
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

namespace muster::badge {

QrModules badge_qr(const std::string& text) {
    ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
    writer.setMargin(0);
    // Level M (~15 % of the code words recoverable): a scuffed or folded lanyard card still
    // scans, at the cost of version 6 (41 modules) instead of L's version 5 (37). zxing-cpp
    // 1.4 takes the level on a 0–8 scale, not as the enum: 0–2 give L, 3–4 M, 5–6 Q, 7–8 H
    // (measured by decoding its output). It was once set to 1 meaning "M", which gave L.
    writer.setEccLevel(4);
    // Width/height of 0 gives the bare module grid, one cell per module.
    ZXing::BitMatrix m = writer.encode(text, 0, 0);
    QrModules out;
    out.size = m.width();
    out.dark.resize(static_cast<std::size_t>(out.size * out.size));
    for (int y = 0; y < out.size; ++y)
        for (int x = 0; x < out.size; ++x) out.dark[static_cast<std::size_t>(y * out.size + x)] = m.get(x, y);
    return out;
}

}  // namespace muster::badge
