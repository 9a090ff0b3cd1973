#pragma once
// The windowed kiosk (GLFW + OpenGL 3 + Dear ImGui). kiosk_window.cpp is the only file that
// includes GLFW or the ImGui backends.
#include "muster/log/logger.hpp"

#include <filesystem>

namespace muster::kiosk {

struct WindowOptions {
    std::filesystem::path config;
    bool scripted_stdin = false;              // stdin lines are scans (tests, automation)
    std::filesystem::path screenshot;         // write a PNG of the screen ...
    int screenshot_after_ms = 0;              // ... this long after start, then exit
};

int run_window(const WindowOptions& options, log::Logger& log);

}  // namespace muster::kiosk
