#include "screen_style.hpp"

namespace muster::kiosk::style {

ImVec4 colour(Tone tone) {
    switch (tone) {
        case Tone::welcome: return welcome;
        case Tone::attention: return attention;
        case Tone::refused: return refused;
    }
    return refused;
}

ImVec4 text_on(Tone tone) { return tone == Tone::attention ? dark_text : text; }

void icon(ImDrawList* draw, ImVec2 c, float r, Tone tone, ImU32 col) {
    float w = r * 0.16f;
    draw->AddCircle(c, r, col, 64, w);
    switch (tone) {
        case Tone::welcome: {
            ImVec2 pts[3] = {{c.x - r * 0.45f, c.y + r * 0.02f}, {c.x - r * 0.12f, c.y + r * 0.38f}, {c.x + r * 0.5f, c.y - r * 0.35f}};
            draw->AddPolyline(pts, 3, col, 0, w);
            break;
        }
        case Tone::attention:
            draw->AddLine({c.x, c.y - r * 0.5f}, {c.x, c.y + r * 0.15f}, col, w);
            draw->AddCircleFilled({c.x, c.y + r * 0.42f}, w * 0.75f, col);
            break;
        case Tone::refused:
            draw->AddLine({c.x - r * 0.4f, c.y - r * 0.4f}, {c.x + r * 0.4f, c.y + r * 0.4f}, col, w);
            draw->AddLine({c.x + r * 0.4f, c.y - r * 0.4f}, {c.x - r * 0.4f, c.y + r * 0.4f}, col, w);
            break;
    }
}

void centred(const std::string& s, ImFont* font, ImVec4 col) {
    ImGui::PushFont(font);
    float width = ImGui::CalcTextSize(s.c_str()).x;
    float avail = ImGui::GetWindowWidth();
    if (width > avail * 0.94f) {  // too long for one line: wrap, left-aligned with margins
        ImGui::SetCursorPosX(avail * 0.03f);
        ImGui::PushTextWrapPos(avail * 0.97f);
        ImGui::TextColored(col, "%s", s.c_str());
        ImGui::PopTextWrapPos();
    } else {
        ImGui::SetCursorPosX((avail - width) * 0.5f);
        ImGui::TextColored(col, "%s", s.c_str());
    }
    ImGui::PopFont();
}

}  // namespace muster::kiosk::style
