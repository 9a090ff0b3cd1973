#pragma once
// The whole screen, drawn with ImGui from a KioskModel: picks the screen the model is on
// and owns what only the view needs (fonts sized for the display, the staff form's text
// buffers). Needs a live ImGui context (GlfwBackend); never includes GLFW.
#include "kiosk_model.hpp"
#include "screens.hpp"

#include <imgui.h>

namespace muster::kiosk {

class KioskView {
public:
    // Loads the TTF fonts at sizes scaled to the screen's height; throws ConfigError
    // naming the font file if it is missing.
    KioskView(KioskModel& model, float screen_height);

    // One frame's widgets (between GlfwBackend::begin_frame and end_frame).
    void draw();
    // The colour behind everything (the backend clears to it).
    static ImVec4 background();
    StaffForm& form() { return form_; }

private:
    KioskModel& model_;
    Fonts fonts_;
    StaffForm form_;
};

}  // namespace muster::kiosk
