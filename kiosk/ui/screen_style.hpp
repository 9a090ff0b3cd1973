#pragma once
// Colours and icons shared by the screens: high contrast, and never colour alone.
#include "kiosk_model.hpp"

#include <imgui.h>

#include <string>

namespace muster::kiosk::style {

inline const ImVec4 background{0.04f, 0.12f, 0.20f, 1.0f};   // deep navy
inline const ImVec4 text{1.0f, 1.0f, 1.0f, 1.0f};
inline const ImVec4 muted{0.75f, 0.82f, 0.88f, 1.0f};
inline const ImVec4 welcome{0.10f, 0.48f, 0.20f, 1.0f};      // green, white text
inline const ImVec4 attention{0.98f, 0.69f, 0.05f, 1.0f};    // amber, dark text
inline const ImVec4 refused{0.70f, 0.15f, 0.12f, 1.0f};      // red, white text
inline const ImVec4 dark_text{0.08f, 0.08f, 0.08f, 1.0f};
// The satisfaction question's three answers: one neutral colour for all, so no answer looks
// like the right one (green "Agree" would steer the figure).
inline const ImVec4 choice{0.16f, 0.36f, 0.58f, 1.0f};
inline const ImVec4 choice_hovered{0.22f, 0.44f, 0.68f, 1.0f};

ImVec4 colour(Tone tone);
ImVec4 text_on(Tone tone);
// A tick, an exclamation mark or a cross in a ring, centred at `centre`.
void icon(ImDrawList* draw, ImVec2 centre, float radius, Tone tone, ImU32 colour);
// Text centred horizontally in the window at the current cursor height.
void centred(const std::string& text, ImFont* font, ImVec4 colour);

}  // namespace muster::kiosk::style
