#pragma once
// The kiosk's screens: ImGui drawing over a KioskModel, one file each. They read the
// model and call its intents; they never touch SQLite, sockets or GLFW.
#include "kiosk_model.hpp"

struct ImFont;

namespace muster::kiosk {

struct Fonts {
    ImFont* body = nullptr;     // ~3.5% of the screen height
    ImFont* large = nullptr;    // ~6%
    ImFont* huge = nullptr;     // ~11%: readable at 2 m
};

// UI-only state of the staff screens (input buffers), a plain struct.
struct StaffForm {
    char pin[16] = {};
    char search[64] = {};
    char reason[128] = {};
    char staff_name[64] = {};
    long long selected = 0;
};

void draw_ready(KioskModel& model, const Fonts& fonts);
void draw_result(KioskModel& model, const Fonts& fonts);
void draw_staff_pin(KioskModel& model, const Fonts& fonts, StaffForm& form);
void draw_staff(KioskModel& model, const Fonts& fonts, StaffForm& form);
void draw_room_register(KioskModel& model, const Fonts& fonts);

}  // namespace muster::kiosk
