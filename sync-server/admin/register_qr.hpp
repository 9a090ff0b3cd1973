#pragma once
// A register link's QR code as a file to print for a room's pack: SVG (the module grid
// from ZXing-cpp's writer, drawn as squares, with a caption under it) or PNG (the same grid,
// 10 pixels a module, written by stb_image_write). Both keep a quiet zone of 4 modules.
#include <filesystem>
#include <optional>
#include <string>

namespace muster::admin {

enum class QrFileFormat { svg, png };
// By the file's extension (.svg or .png, any case); nullopt for anything else.
std::optional<QrFileFormat> qr_file_format(const std::filesystem::path& file);
// The file's bytes. `caption` (UTF-8, shown under an SVG's code; a PNG has none) is escaped.
std::string qr_file_bytes(const std::string& text, QrFileFormat format, const std::string& caption);

}  // namespace muster::admin
