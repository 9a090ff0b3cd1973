#pragma once
// The QR code printed on a badge (the A4 sheet and the per-person card): one place for the
// error-correction level, so every printed code is the same kind of symbol.
#include <string>
#include <vector>

namespace muster::badge {

// Modules of white around the symbol that a printed code must keep (ISO 18004's quiet zone).
inline constexpr int qr_quiet_modules = 4;

// A QR symbol as its module grid, without the quiet zone.
struct QrModules {
    int size = 0;              // modules a side: 17 + 4 × version
    std::vector<bool> dark;    // row-major, size × size
    bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)]; }
    int version() const { return (size - 17) / 4; }
};

// The badge QR of `text` at error-correction level M (ZXing-cpp's writer). A 123-character
// token is a version 6 symbol, 41 modules a side (docs/badges.md).
QrModules badge_qr(const std::string& text);

}  // namespace muster::badge
