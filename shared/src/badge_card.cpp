#include "muster/badge/badge_card.hpp"

#include "muster/badge/badge_qr.hpp"

// Text and PNG through stb (libstb-dev, already used by the kiosk; Debian's libstb.so has the
// implementations compiled in): stb_truetype rasterises DejaVu's glyphs with antialiasing and
// stb_image_write encodes the PNG. That is all a card needs: one line of text at a time, no
// shaping beyond kerning. FreeType + HarfBuzz or cairo would be a new dependency for no gain
// on Latin names, and an SVG or HTML card would need a browser to become an image.
#include <stb_image_write.h>
#include <stb_truetype.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace muster::badge {
namespace {

// An 8-bit grey image: 0 black, 255 white.
struct Canvas {
    int width, height;
    std::vector<std::uint8_t> pixels;

    Canvas(int w, int h) : width(w), height(h), pixels(static_cast<std::size_t>(w * h), 255) {}

    void fill(int x0, int y0, int x1, int y1, std::uint8_t grey) {
        for (int y = std::max(0, y0); y < std::min(height, y1); ++y)
            for (int x = std::max(0, x0); x < std::min(width, x1); ++x) pixels[static_cast<std::size_t>(y * width + x)] = grey;
    }
    // Ink over what is there, by the glyph's coverage (0–255).
    void blend(int x, int y, std::uint8_t coverage, std::uint8_t ink) {
        if (x < 0 || y < 0 || x >= width || y >= height || coverage == 0) return;
        auto& p = pixels[static_cast<std::size_t>(y * width + x)];
        p = static_cast<std::uint8_t>((p * (255 - coverage) + ink * coverage + 127) / 255);
    }
};

// UTF-8 to code points; a malformed byte becomes U+FFFD (the roster import already refuses
// invalid UTF-8, so this is only a safety net).
std::u32string code_points(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xe ? 2 : (c >> 3) == 0x1e ? 3 : -1;
        if (extra < 0 || i + static_cast<std::size_t>(extra) >= s.size()) {
            out.push_back(0xfffd);
            ++i;
            continue;
        }
        char32_t cp = extra == 0 ? c : c & (0x3f >> extra);
        bool ok = true;
        for (int k = 1; k <= extra; ++k) {
            auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
            if ((cc & 0xc0) != 0x80) ok = false;
            cp = (cp << 6) | (cc & 0x3f);
        }
        out.push_back(ok ? cp : 0xfffd);
        i += ok ? static_cast<std::size_t>(extra) + 1 : 1;
    }
    return out;
}

class Face {
public:
    explicit Face(const std::string& ttf) {
        auto data = reinterpret_cast<const unsigned char*>(ttf.data());
        int offset = stbtt_GetFontOffsetForIndex(data, 0);
        if (ttf.size() < 12 || offset < 0 || !stbtt_InitFont(&info_, data, offset))
            throw std::runtime_error("the badge font is not a TrueType font");
        stbtt_GetFontVMetrics(&info_, &ascent_, &descent_, &gap_);
    }

    float scale(float px) const { return stbtt_ScaleForPixelHeight(&info_, px); }
    float ascent(float px) const { return static_cast<float>(ascent_) * scale(px); }

    float width(const std::u32string& text, float px) const {
        float s = scale(px), w = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            int advance = 0, bearing = 0;
            stbtt_GetCodepointHMetrics(&info_, static_cast<int>(text[i]), &advance, &bearing);
            w += static_cast<float>(advance) * s;
            if (i + 1 < text.size())
                w += static_cast<float>(stbtt_GetCodepointKernAdvance(&info_, static_cast<int>(text[i]),
                                                                      static_cast<int>(text[i + 1]))) * s;
        }
        return w;
    }

    // Draws `text` with its baseline at `baseline`, starting at `x`.
    void draw(Canvas& canvas, const std::u32string& text, float px, float x, int baseline, std::uint8_t ink) const {
        float s = scale(px);
        std::vector<unsigned char> glyph;
        for (std::size_t i = 0; i < text.size(); ++i) {
            int cp = static_cast<int>(text[i]);
            float ix = std::floor(x), shift = x - ix;
            int x0, y0, x1, y1;
            stbtt_GetCodepointBitmapBoxSubpixel(&info_, cp, s, s, shift, 0, &x0, &y0, &x1, &y1);
            int w = x1 - x0, h = y1 - y0;
            if (w > 0 && h > 0) {
                glyph.assign(static_cast<std::size_t>(w * h), 0);
                stbtt_MakeCodepointBitmapSubpixel(&info_, glyph.data(), w, h, w, s, s, shift, 0, cp);
                for (int gy = 0; gy < h; ++gy)
                    for (int gx = 0; gx < w; ++gx)
                        canvas.blend(static_cast<int>(ix) + x0 + gx, baseline + y0 + gy,
                                     glyph[static_cast<std::size_t>(gy * w + gx)], ink);
            }
            int advance = 0, bearing = 0;
            stbtt_GetCodepointHMetrics(&info_, cp, &advance, &bearing);
            x += static_cast<float>(advance) * s;
            if (i + 1 < text.size())
                x += static_cast<float>(stbtt_GetCodepointKernAdvance(&info_, cp, static_cast<int>(text[i + 1]))) * s;
        }
    }

private:
    stbtt_fontinfo info_{};
    int ascent_ = 0, descent_ = 0, gap_ = 0;
};

// One line of text laid out for a width: the size it fits at (no smaller than min_px), cut
// with an ellipsis when it does not fit even then.
struct Line {
    std::u32string text;
    float px;
};

Line fit(const Face& face, std::u32string text, float max_px, float min_px, float width) {
    for (float px = max_px; px >= min_px; px -= 2)
        if (face.width(text, px) <= width) return {std::move(text), px};
    while (!text.empty() && face.width(text + U"…", min_px) > width) text.pop_back();
    while (!text.empty() && text.back() == U' ') text.pop_back();
    return {text + U"…", min_px};
}

// A name: one line if it fits at min_px or larger; else two lines, broken after a hyphen or
// at a space where the halves are most even ("Featherstonehaugh-" / "Cholmondeley"), so a
// long name is smaller but whole; cut with "…" only when even that does not fit.
std::vector<Line> fit_name(const Face& face, const std::u32string& name, float max_px, float min_px, float width) {
    for (float px = max_px; px >= min_px; px -= 2)
        if (face.width(name, px) <= width) return {{name, px}};
    auto halves = [&](std::size_t at) {
        std::u32string a = name.substr(0, at), b = name.substr(name[at] == U' ' ? at + 1 : at);
        while (!a.empty() && a.back() == U' ') a.pop_back();
        return std::pair{a, b};
    };
    for (float px = max_px * 0.75f; px >= min_px; px -= 2) {
        std::size_t best = 0;
        float best_width = 0;
        for (std::size_t i = 1; i + 1 < name.size(); ++i) {
            if (name[i] != U' ' && name[i - 1] != U'-') continue;
            auto [a, b] = halves(i);
            float w = std::max(face.width(a, px), face.width(b, px));
            if (w <= width && (best == 0 || w < best_width)) {
                best = i;
                best_width = w;
            }
        }
        if (best) {
            auto [a, b] = halves(best);
            return {{a, px}, {b, px}};
        }
    }
    return {fit(face, name, min_px, min_px, width)};
}

// Words into at most `max_lines` lines of `width` at `px`; the last line is cut with "…" if
// words are left over.
std::vector<std::u32string> wrap(const Face& face, const std::u32string& text, float px, float width, std::size_t max_lines) {
    std::vector<std::u32string> words;
    std::u32string word;
    for (char32_t c : text) {
        if (c == U' ') {
            if (!word.empty()) words.push_back(std::move(word));
            word.clear();
        } else word.push_back(c);
    }
    if (!word.empty()) words.push_back(word);
    std::vector<std::u32string> lines;
    std::size_t i = 0;
    while (i < words.size() && lines.size() < max_lines) {
        std::u32string line = words[i++];
        while (i < words.size() && face.width(line + U" " + words[i], px) <= width) line += U" " + words[i++];
        lines.push_back(std::move(line));
    }
    if (!lines.empty() && (i < words.size() || face.width(lines.back(), px) > width)) {
        std::u32string rest = lines.back();
        for (; i < words.size(); ++i) rest += U" " + words[i];
        lines.back() = fit(face, rest, px, px, width).text;
    }
    return lines;
}

std::uint32_t crc32(const unsigned char* data, std::size_t size) {
    std::uint32_t crc = 0xffffffffu;
    for (std::size_t i = 0; i < size; ++i) {
        crc ^= data[i];
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

void put_u32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// stb_image_write writes no resolution; without a pHYs chunk a viewer prints the card at
// 72 or 96 dpi, three or four times too big. Inserted after IHDR (8-byte signature + 25).
std::string with_resolution(std::string png, int dpi) {
    auto per_metre = static_cast<std::uint32_t>(std::lround(dpi / 0.0254));
    std::string body = "pHYs";
    put_u32(body, per_metre);
    put_u32(body, per_metre);
    body.push_back(1);  // unit: metre
    std::string chunk;
    put_u32(chunk, 9);
    chunk += body;
    put_u32(chunk, crc32(reinterpret_cast<const unsigned char*>(body.data()), body.size()));
    png.insert(33, chunk);
    return png;
}

std::string read_font(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read the badge font " + path.string() +
                                 " (Debian: apt-get install fonts-dejavu-core)");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

}  // namespace

CardFonts load_card_fonts(const std::filesystem::path& regular, const std::filesystem::path& bold) {
    return {read_font(regular), read_font(bold)};
}

std::string badge_first_name(const Participant& p) {
    return p.preferred_name && !p.preferred_name->empty() ? *p.preferred_name : p.first_name;
}

std::string render_badge_card_png(const std::string& hub_name, const Participant& p, const std::string& token,
                                  const CardFonts& fonts) {
    const Face regular(fonts.regular), bold(fonts.bold);
    Canvas card(card_width_px, card_height_px);

    // A light cut line round the edge, and the hub's name white on a dark band.
    constexpr int band = 96, margin = 30;
    card.fill(0, 0, card.width, card.height, 0xbb);
    card.fill(2, 2, card.width - 2, card.height - 2, 0xff);
    card.fill(0, 0, card.width, band, 0x22);
    Line hub = fit(bold, code_points(hub_name), 46, 28, static_cast<float>(card.width - 2 * margin));
    bold.draw(card, hub.text, hub.px, margin, static_cast<int>((band + bold.ascent(hub.px) * 0.72f) / 2), 0xff);

    // The QR code with its quiet zone, whole modules of 10 px, centred in the space below.
    QrModules qr = badge_qr(token);
    const int qr_px = (qr.size + 2 * qr_quiet_modules) * card_qr_module_px;
    const int qr_x = 20, qr_y = band + (card.height - band - qr_px) / 2;
    for (int y = 0; y < qr.size; ++y)
        for (int x = 0; x < qr.size; ++x)
            if (qr.at(x, y)) {
                int px = qr_x + (x + qr_quiet_modules) * card_qr_module_px;
                int py = qr_y + (y + qr_quiet_modules) * card_qr_module_px;
                card.fill(px, py, px + card_qr_module_px, py + card_qr_module_px, 0x00);
            }

    // The words, in a column right of the code (its quiet zone is the gap), centred in height.
    const float left = static_cast<float>(qr_x + qr_px + 12), width = static_cast<float>(card.width - margin) - left;
    struct Placed {
        const Face* face;
        Line line;
        std::uint8_t ink;
        float space_before;
    };
    std::vector<Placed> lines;
    float space = 0;
    for (auto& l : fit_name(bold, code_points(badge_first_name(p)), 84, 36, width)) {
        lines.push_back({&bold, std::move(l), 0x00, space});
        space = 0;
    }
    space = 4;
    for (auto& l : fit_name(bold, code_points(p.last_name), 64, 30, width)) {
        lines.push_back({&bold, std::move(l), 0x00, space});
        space = 0;
    }
    lines.push_back({&regular, fit(regular, code_points(std::string(label(p.role))), 40, 30, width), 0x22, 22});
    if (p.school_name && !p.school_name->empty()) {
        bool first = true;
        for (auto& l : wrap(regular, code_points(*p.school_name), 32, width, 2)) {
            lines.push_back({&regular, {std::move(l), 32}, 0x44, first ? 14.0f : 2.0f});
            first = false;
        }
    }
    float total = 0;
    for (const auto& l : lines) total += l.space_before + l.line.px * 1.15f;
    float y = static_cast<float>(band) + (static_cast<float>(card.height - band) - total) / 2;
    for (const auto& l : lines) {
        y += l.space_before;
        l.face->draw(card, l.line.text, l.line.px, left, static_cast<int>(y + l.face->ascent(l.line.px)), l.ink);
        y += l.line.px * 1.15f;
    }

    std::string png;
    auto append = [](void* context, void* data, int size) {
        static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
    };
    if (!stbi_write_png_to_func(append, &png, card.width, card.height, 1, card.pixels.data(), card.width))
        throw std::runtime_error("encoding a badge card as PNG failed");
    return with_resolution(std::move(png), card_dpi);
}

}  // namespace muster::badge
