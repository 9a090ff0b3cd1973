// The satisfaction question after a check-out (docs/satisfaction.md): "Will this activity
// help you improve your practice?" with Agree / Not sure / Disagree as three large buttons
// (also keys 1, 2, 3; the arrows and Enter), and Skip (Esc). It shows no name: the person
// has just read theirs on the goodbye, and the answer is kept without it.
#include "screen_style.hpp"
#include "screens.hpp"

#include <array>

namespace muster::kiosk {

void QuestionScreen::draw() {
    const ImVec2 size = ImGui::GetWindowSize();
    ImGui::SetCursorPosY(size.y * 0.12f);
    style::centred("Will this activity help you", fonts_.huge, style::text);
    style::centred("improve your practice?", fonts_.huge, style::text);

    constexpr std::array answers{SatisfactionAnswerKind::agree, SatisfactionAnswerKind::not_sure, SatisfactionAnswerKind::disagree};
    const float width = size.x * 0.26f, height = size.y * 0.26f, gap = size.x * 0.04f;
    const float left = (size.x - 3 * width - 2 * gap) * 0.5f;
    auto* draw = ImGui::GetWindowDrawList();
    ImGui::PushFont(fonts_.large);
    ImGui::PushStyleColor(ImGuiCol_Button, style::choice);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, style::choice_hovered);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, style::choice_hovered);
    ImGui::PushStyleColor(ImGuiCol_Text, style::text);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, size.y * 0.015f);
    for (std::size_t i = 0; i < answers.size(); ++i) {
        ImVec2 at{left + static_cast<float>(i) * (width + gap), size.y * 0.42f};
        ImGui::SetCursorPos(at);
        // The key beside the word, so a keyboard user knows 1, 2 and 3 without being told.
        std::string text = std::string(label(answers[i])) + "\n\n" + std::to_string(i + 1);
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::Button(text.c_str(), {width, height})) model_.answer_question(answers[i]);
        ImGui::PopID();
        if (model_.question_highlight() == answers[i]) {
            float pad = size.y * 0.012f;
            draw->AddRect({at.x - pad, at.y - pad}, {at.x + width + pad, at.y + height + pad},
                          ImGui::ColorConvertFloat4ToU32(style::text), size.y * 0.02f, 0, size.y * 0.008f);
        }
    }
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(4);
    ImGui::PopFont();

    ImGui::PushFont(fonts_.body);
    ImGui::SetCursorPos({size.x * 0.03f, size.y * 0.91f});
    ImGui::TextColored(style::muted, "Anonymous: your answer is kept without your name.");
    ImGui::SetCursorPos({size.x * 0.80f, size.y * 0.88f});
    if (ImGui::Button("Skip (Esc)", {size.x * 0.17f, size.y * 0.08f})) model_.skip_question();
    ImGui::PopFont();
}

}  // namespace muster::kiosk
