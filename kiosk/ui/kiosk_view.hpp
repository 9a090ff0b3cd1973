#pragma once
// The whole screen, drawn with ImGui from a KioskModel: owns the fonts (sized for the
// display) and one object per screen, and draws the one the model is on. Needs a live
// ImGui context (GlfwBackend); never includes GLFW.
#include "kiosk_model.hpp"
#include "screens.hpp"

#include <imgui.h>

namespace muster::kiosk {

class KioskView {
public:
    // Loads the device file's TTF fonts at sizes scaled to the screen's height; throws
    // ConfigError naming the font file if it is missing.
    KioskView(KioskModel& model, float screen_height);

    // One frame's widgets (between GlfwBackend::begin_frame and end_frame).
    void draw();
    // The colour behind everything (the backend clears to it).
    static ImVec4 background();
private:
    KioskModel& model_;
    Fonts fonts_;
    ReadyScreen ready_{model_, fonts_};
    ResultScreen result_{model_, fonts_};
    QuestionScreen question_{model_, fonts_};
    ThanksScreen thanks_{fonts_};
    StaffPinScreen staff_pin_{model_, fonts_};
    StaffScreen staff_{model_, fonts_};
};

}  // namespace muster::kiosk
