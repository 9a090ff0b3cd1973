#pragma once
// Printable badges: an A4 HTML page, eight badges a sheet, each with the person's name,
// role, school and their token as a QR code (ZXing-cpp's writer, drawn as inline SVG so
// it prints sharp at any size).
#include "muster/model/types.hpp"

#include <string>
#include <vector>

namespace muster::badge {

struct PrintableBadge {
    Participant participant;
    std::string token;
};

std::string render_badge_sheet(const std::string& hub_name, const std::vector<PrintableBadge>& badges);
// The QR code of `text` as an SVG element (module grid, quiet zone of 4 modules).
std::string qr_svg(const std::string& text);
// HTML-escapes text for the page.
std::string html_escape(std::string_view text);

}  // namespace muster::badge
