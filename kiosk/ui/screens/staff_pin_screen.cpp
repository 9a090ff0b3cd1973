// The staff PIN: a field and an on-screen keypad (kiosks are often touch screens). The PIN
// is checked against the device file's hash by the model; five wrong ones lock it.
#include "screen_style.hpp"
#include "screens.hpp"

#include <cstring>

namespace muster::kiosk {

void StaffPinScreen::draw() {
    const ImVec2 size = ImGui::GetWindowSize();
    ImGui::SetCursorPosY(size.y * 0.2f);
    style::centred("Staff PIN", fonts_.large, style::text);
    ImGui::PushFont(fonts_.large);
    ImGui::SetCursorPosX(size.x * 0.35f);
    ImGui::SetNextItemWidth(size.x * 0.3f);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    bool submit = ImGui::InputText("##pin", pin_, sizeof pin_,
                                   ImGuiInputTextFlags_Password | ImGuiInputTextFlags_CharsDecimal |
                                       ImGuiInputTextFlags_EnterReturnsTrue);
    const char* keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "Clear", "0", "OK"};
    float key = size.y * 0.09f;
    for (int i = 0; i < 12; ++i) {
        if (i % 3 == 0) ImGui::SetCursorPosX(size.x * 0.5f - key * 1.6f);
        else ImGui::SameLine();
        if (ImGui::Button(keys[i], {key, key})) {
            std::string k = keys[i];
            if (k == "Clear") pin_[0] = 0;
            else if (k == "OK") submit = true;
            else if (std::strlen(pin_) + 1 < sizeof pin_) std::strcat(pin_, keys[i]);
        }
    }
    ImGui::PopFont();
    if (submit) {
        model_.enter_pin(pin_);
        std::memset(pin_, 0, sizeof pin_);  // the PIN does not stay in memory longer than needed
    }
    ImGui::PushFont(fonts_.body);
    if (!model_.staff_message().empty()) style::centred("(!) " + model_.staff_message(), fonts_.body, style::attention);
    ImGui::SetCursorPos({size.x * 0.03f, size.y * 0.9f});
    if (ImGui::Button("Cancel", {size.x * 0.12f, size.y * 0.07f})) {
        std::memset(pin_, 0, sizeof pin_);
        model_.close_staff();
    }
    ImGui::PopFont();
}

}  // namespace muster::kiosk
