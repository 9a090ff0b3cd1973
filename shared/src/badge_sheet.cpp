#include "muster/badge/badge_sheet.hpp"

#include "muster/badge/badge_card.hpp"
#include "muster/badge/badge_qr.hpp"

namespace muster::badge {

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out.push_back(c);
        }
    }
    return out;
}

std::string qr_svg(const std::string& text) {
    QrModules m = badge_qr(text);
    const int quiet = qr_quiet_modules, w = m.size + 2 * quiet, h = m.size + 2 * quiet;
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 " + std::to_string(w) + " " +
                      std::to_string(h) + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
    for (int y = 0; y < m.size; ++y) {
        for (int x = 0; x < m.size;) {
            if (!m.at(x, y)) {
                ++x;
                continue;
            }
            int run = 1;
            while (x + run < m.size && m.at(x + run, y)) ++run;
            svg += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h" + std::to_string(run) + "v1h-" +
                   std::to_string(run) + "z";
            x += run;
        }
    }
    return svg + "\"/></svg>";
}

std::string render_badge_sheet(const std::string& hub_name, const std::vector<PrintableBadge>& badges) {
    std::string html = R"(<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Badges: )" + html_escape(hub_name) + R"(</title>
<style>
@page { size: A4; margin: 10mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 0; }
.sheet { display: grid; grid-template-columns: 90mm 90mm; grid-auto-rows: 66mm; gap: 4mm; page-break-after: always; }
.badge { border: 0.3mm dashed #999; padding: 4mm; display: flex; gap: 4mm; align-items: center; box-sizing: border-box; }
.badge .qr { width: 40mm; height: 40mm; flex: none; }
.who .name { font-size: 16pt; font-weight: bold; }
.who .role { font-size: 11pt; margin-top: 2mm; }
.who .school { font-size: 9pt; color: #333; margin-top: 1mm; }
.who .hub { font-size: 8pt; color: #555; margin-top: 3mm; }
</style></head><body>
)";
    for (std::size_t i = 0; i < badges.size(); ++i) {
        if (i % 8 == 0) html += i ? "</div>\n<div class=\"sheet\">\n" : "<div class=\"sheet\">\n";
        const auto& b = badges[i];
        const auto& p = b.participant;
        std::string shown = badge_first_name(p) + " " + p.last_name;
        html += "<div class=\"badge\">" + qr_svg(b.token) + "<div class=\"who\"><div class=\"name\">" + html_escape(shown) +
                "</div><div class=\"role\">" + html_escape(label(p.role)) + "</div><div class=\"school\">" +
                html_escape(p.school_name.value_or("")) + "</div><div class=\"hub\">" + html_escape(hub_name) +
                "</div></div></div>\n";
    }
    if (!badges.empty()) html += "</div>\n";
    return html + "</body></html>\n";
}

}  // namespace muster::badge
