#pragma once
// The kiosk's screens: one class each, one .cpp each, drawing a KioskModel with ImGui and
// posting intents to it. They never touch SQLite, sockets or GLFW. What only a screen needs
// (the staff form's text buffers) lives in that screen's class.
#include "kiosk_model.hpp"

struct ImFont;

namespace muster::kiosk {

struct Fonts {
    ImFont* body = nullptr;     // ~3.5% of the screen height
    ImFont* large = nullptr;    // ~6%
    ImFont* huge = nullptr;     // ~10%: readable at 2 m
};

// The result screen's words: a headline and a line under it, neither repeating the other.
struct ResultWords {
    std::string headline, detail;
};
ResultWords result_words(const checkin::ScanResult& result);

// A room device's register for the facilitator (drawn inside the ready screen).
class RoomRegisterPanel {
public:
    RoomRegisterPanel(KioskModel& model, const Fonts& fonts) : model_(model), fonts_(fonts) {}
    void draw();

private:
    KioskModel& model_;
    const Fonts& fonts_;
};

class ReadyScreen {
public:
    ReadyScreen(KioskModel& model, const Fonts& fonts) : model_(model), fonts_(fonts), register_(model, fonts) {}
    void draw();

private:
    void draw_inputs();

    KioskModel& model_;
    const Fonts& fonts_;
    RoomRegisterPanel register_;
};

class ResultScreen {
public:
    ResultScreen(KioskModel& model, const Fonts& fonts) : model_(model), fonts_(fonts) {}
    void draw();

private:
    KioskModel& model_;
    const Fonts& fonts_;
};

// The satisfaction question after a check-out: three large answers and Skip.
class QuestionScreen {
public:
    QuestionScreen(KioskModel& model, const Fonts& fonts) : model_(model), fonts_(fonts) {}
    void draw();

private:
    KioskModel& model_;
    const Fonts& fonts_;
};

// The brief thank-you after an answer.
class ThanksScreen {
public:
    explicit ThanksScreen(const Fonts& fonts) : fonts_(fonts) {}
    void draw();

private:
    const Fonts& fonts_;
};

class StaffPinScreen {
public:
    StaffPinScreen(KioskModel& model, const Fonts& fonts) : model_(model), fonts_(fonts) {}
    void draw();

private:
    KioskModel& model_;
    const Fonts& fonts_;
    char pin_[16] = {};
};

class StaffScreen {
public:
    StaffScreen(KioskModel& model, const Fonts& fonts) : model_(model), fonts_(fonts) {}
    void draw();

private:
    void draw_sessions();
    void draw_manual_check_in();
    void draw_outbox();

    KioskModel& model_;
    const Fonts& fonts_;
    char search_[64] = {};
    char reason_[128] = {};
    char staff_name_[64] = {};
};

}  // namespace muster::kiosk
