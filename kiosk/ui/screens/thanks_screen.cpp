// The brief thank-you after a satisfaction answer; back to ready by itself (KioskModel).
#include "screen_style.hpp"
#include "screens.hpp"

namespace muster::kiosk {

void ThanksScreen::draw() {
    const ImVec2 size = ImGui::GetWindowSize();
    ImGui::SetCursorPosY(size.y * 0.38f);
    style::centred("Thank you", fonts_.huge, style::text);
    ImGui::Dummy({0, size.y * 0.03f});
    style::centred("Your answer is kept without your name.", fonts_.large, style::muted);
}

}  // namespace muster::kiosk
