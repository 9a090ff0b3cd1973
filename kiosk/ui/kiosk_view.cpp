#include "kiosk_view.hpp"

#include "screen_style.hpp"

namespace muster::kiosk {
namespace {

// DejaVu (fonts-dejavu-core): clear at large sizes, and it has the accented letters of
// Welsh, Irish and other names on a roster (Siân, Zoë, Ó Súilleabháin).
constexpr const char* font_regular = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* font_bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

Fonts load_fonts(float height) {
    ImGuiIO& io = ImGui::GetIO();
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(io.Fonts->GetGlyphRangesDefault());        // Latin-1
    static const ImWchar extra[] = {0x0100, 0x017F,              // Latin Extended-A (ŵ, ŷ, ł)
                                    0x2013, 0x2014, 0x00B7, 0x00B7, 0};
    builder.AddRanges(extra);
    static ImVector<ImWchar> ranges;  // ImGui keeps a pointer until the atlas is built
    ranges.clear();
    builder.BuildRanges(&ranges);
    Fonts f;
    f.body = io.Fonts->AddFontFromFileTTF(font_regular, height * 0.035f, nullptr, ranges.Data);
    f.large = io.Fonts->AddFontFromFileTTF(font_bold, height * 0.06f, nullptr, ranges.Data);
    f.huge = io.Fonts->AddFontFromFileTTF(font_bold, height * 0.10f, nullptr, ranges.Data);
    if (!f.body || !f.large || !f.huge)
        throw ConfigError(std::string("cannot load the font ") + font_regular + " (Debian package fonts-dejavu-core)");
    return f;
}

}  // namespace

KioskView::KioskView(KioskModel& model, float screen_height) : model_(model), fonts_(load_fonts(screen_height)) {}

ImVec4 KioskView::background() { return style::background; }

void KioskView::draw() {
    ImGui::SetNextWindowPos({0, 0});
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, style::background);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);  // edge to edge: no frame line
    ImGui::Begin("kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    switch (model_.screen()) {
        case Screen::ready: ready_.draw(); break;
        case Screen::result: result_.draw(); break;
        case Screen::staff_pin: staff_pin_.draw(); break;
        case Screen::staff: staff_.draw(); break;
    }
    ImGui::End();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

}  // namespace muster::kiosk
