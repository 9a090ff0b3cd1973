#include "register_qr.hpp"

#include "muster/badge/badge_sheet.hpp"  // html_escape: XML text needs the same five escapes

#define ZX_USE_UTF8 1
#include <ZXing/BarcodeFormat.h>
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <stb_image_write.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <vector>

namespace muster::admin {
namespace {

constexpr int quiet_modules = 4;  // the quiet zone ISO/IEC 18004 asks for
constexpr int png_module_pixels = 10;

ZXing::BitMatrix modules_of(const std::string& text) {
    ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
    writer.setMargin(0);
    writer.setEccLevel(1);  // M: a printed card that gets scuffed still reads
    return writer.encode(text, 0, 0);  // 0 x 0: one cell per module
}

std::string svg_of(const ZXing::BitMatrix& m, const std::string& caption) {
    const int side = m.width() + 2 * quiet_modules;
    const int caption_rows = caption.empty() ? 0 : 4;
    const int height = side + caption_rows;
    // 1.5 mm a module: a 37-module code (a link of about 90 characters) prints about 67 mm wide.
    std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                      std::to_string(side * 3 / 2) + "mm\" height=\"" + std::to_string(height * 3 / 2) +
                      "mm\" viewBox=\"0 0 " + std::to_string(side) + " " + std::to_string(height) +
                      "\" shape-rendering=\"crispEdges\">\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
                      "<path fill=\"#000\" d=\"";
    for (int y = 0; y < m.height(); ++y)
        for (int x = 0; x < m.width();) {
            if (!m.get(x, y)) {
                ++x;
                continue;
            }
            int run = 1;
            while (x + run < m.width() && m.get(x + run, y)) ++run;
            svg += "M" + std::to_string(x + quiet_modules) + " " + std::to_string(y + quiet_modules) + "h" +
                   std::to_string(run) + "v1h-" + std::to_string(run) + "z";
            x += run;
        }
    svg += "\"/>\n";
    if (!caption.empty())
        svg += "<text x=\"" + std::to_string(side / 2) + "\" y=\"" + std::to_string(side + 2) + ".5" +
               "\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"1.6\" text-anchor=\"middle\">" +
               badge::html_escape(caption) + "</text>\n";
    return svg + "</svg>\n";
}

void append_bytes(void* context, void* data, int size) {
    auto* out = static_cast<std::string*>(context);
    out->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::string png_of(const ZXing::BitMatrix& m) {
    const int side = (m.width() + 2 * quiet_modules) * png_module_pixels;
    std::vector<unsigned char> grey(static_cast<std::size_t>(side) * side, 255);
    for (int y = 0; y < m.height(); ++y)
        for (int x = 0; x < m.width(); ++x) {
            if (!m.get(x, y)) continue;
            for (int dy = 0; dy < png_module_pixels; ++dy) {
                auto row = static_cast<std::size_t>((y + quiet_modules) * png_module_pixels + dy) * side;
                auto col = static_cast<std::size_t>((x + quiet_modules) * png_module_pixels);
                std::fill_n(grey.begin() + static_cast<long>(row + col), png_module_pixels, 0);
            }
        }
    std::string png;
    if (!stbi_write_png_to_func(append_bytes, &png, side, side, 1, grey.data(), side))
        throw std::runtime_error("could not encode the QR code as PNG");
    return png;
}

}  // namespace

std::optional<QrFileFormat> qr_file_format(const std::filesystem::path& file) {
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".svg") return QrFileFormat::svg;
    if (ext == ".png") return QrFileFormat::png;
    return std::nullopt;
}

std::string qr_file_bytes(const std::string& text, QrFileFormat format, const std::string& caption) {
    auto modules = modules_of(text);
    return format == QrFileFormat::svg ? svg_of(modules, caption) : png_of(modules);
}

}  // namespace muster::admin
