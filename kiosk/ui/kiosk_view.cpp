#include "kiosk_view.hpp"

#include "screen_style.hpp"

#include <filesystem>
#include <utility>

namespace muster::kiosk {
namespace {

// The fonts the device file names ([screen] font, font_bold; Debian's DejaVu by default).
Fonts load_fonts(const DeviceConfig& config, float height) {
    // ImGui stops the program on a font file it cannot open: look first, and say which.
    for (const auto& [file, key] : {std::pair{config.font, "screen.font"}, std::pair{config.font_bold, "screen.font_bold"}})
        if (!std::filesystem::is_regular_file(file))
            throw ConfigError(std::string(key) + ": cannot load the font " + file.string() +
                              (file == DeviceConfig::default_font || file == DeviceConfig::default_font_bold
                                   ? " (Debian package fonts-dejavu-core)"
                                   : ""));
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
    f.body = io.Fonts->AddFontFromFileTTF(config.font.c_str(), height * 0.035f, nullptr, ranges.Data);
    f.large = io.Fonts->AddFontFromFileTTF(config.font_bold.c_str(), height * 0.06f, nullptr, ranges.Data);
    f.huge = io.Fonts->AddFontFromFileTTF(config.font_bold.c_str(), height * 0.10f, nullptr, ranges.Data);
    if (!f.body || !f.large || !f.huge) throw ConfigError("screen.font: cannot load the font " + config.font.string());
    return f;
}

}  // namespace

KioskView::KioskView(KioskModel& model, float screen_height)
    : model_(model), fonts_(load_fonts(model.config(), screen_height)) {}

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
        case Screen::question: question_.draw(); break;
        case Screen::thanks: thanks_.draw(); break;
        case Screen::staff_pin: staff_pin_.draw(); break;
        case Screen::staff: staff_.draw(); break;
    }
    ImGui::End();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

}  // namespace muster::kiosk
