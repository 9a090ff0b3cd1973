#pragma once
// The windowed kiosk (GLFW + OpenGL 3 + Dear ImGui). kiosk_window.cpp is the only file that
// includes GLFW or the ImGui backends.
#include "glfw_backend.hpp"
#include "kiosk_model.hpp"

#include "muster/log/logger.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

#include <filesystem>

namespace muster::kiosk {

// When a screenshot is taken: on a condition, never after a time, so a slow machine gives
// the same picture as a fast one. "result:2" is the result screen once two scans have been
// answered; "ready:1" the ready screen again after one; "ready" the first ready frame;
// "question:1" / "thanks:1" the satisfaction question (or its thank-you) after one.
struct ScreenshotWhen {
    Screen screen = Screen::ready;
    std::uint64_t results = 0;
};
// Parses "ready", "result", "question", "thanks", each optionally ":N"; nullopt for anything else.
std::optional<ScreenshotWhen> parse_screenshot_when(std::string_view text);

// What a key means to the satisfaction question: 1/2/3 the answers, left/up and right/down
// move the highlight, Enter chooses it, Esc skips.
QuestionKey question_key_of(PressedKey key);

struct WindowOptions {
    std::filesystem::path config;
    bool scripted_stdin = false;              // stdin lines are scans (tests, automation)
    std::filesystem::path screenshot;         // write a PNG of the screen ...
    ScreenshotWhen screenshot_when;           // ... at the first frame that shows this, then exit
};

int run_window(const WindowOptions& options, log::Logger& log);

}  // namespace muster::kiosk
