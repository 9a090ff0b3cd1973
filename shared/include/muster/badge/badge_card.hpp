#pragma once
// One badge as a PNG card for a person to print or wear before the day (`muster badges
// files`): 85 × 54 mm (a lanyard card) at 300 dpi, the hub's name in a band across the top,
// the signed QR code on the left, and the name (as the person prefers it), surname, role and
// school on the right.
#include "muster/model/types.hpp"

#include <filesystem>
#include <string>

namespace muster::badge {

inline constexpr int card_dpi = 300;
inline constexpr int card_width_px = 1004;   // 85 mm at 300 dpi
inline constexpr int card_height_px = 638;   // 54 mm at 300 dpi
inline constexpr int card_qr_module_px = 10; // 41 modules + quiet zone: 490 px, 41.5 mm

// The TrueType files the card's text is drawn with, read into memory.
struct CardFonts {
    std::string regular;
    std::string bold;
};

inline const std::filesystem::path default_card_font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
inline const std::filesystem::path default_card_font_bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

// Reads the two fonts; throws std::runtime_error naming a missing file and the package that
// has it (fonts-dejavu-core).
CardFonts load_card_fonts(const std::filesystem::path& regular = default_card_font,
                          const std::filesystem::path& bold = default_card_font_bold);

// The first name a badge shows: the preferred name when there is one, else the first name.
std::string badge_first_name(const Participant& p);

// The card as PNG bytes: 8-bit grey, with a pHYs chunk saying 300 dpi so it prints at its
// size. Text too long for the card is made smaller (a name then broken after a hyphen or at
// a space onto two lines), and only then cut with "…"; the school may take two lines. Throws std::runtime_error when a font cannot be read as TrueType.
std::string render_badge_card_png(const std::string& hub_name, const Participant& p, const std::string& token,
                                  const CardFonts& fonts);

}  // namespace muster::badge
