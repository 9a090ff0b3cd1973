#pragma once
// The window, its OpenGL 3 context and Dear ImGui's GLFW/OpenGL backends. glfw_backend.cpp
// is the only file that includes GLFW or the imgui_impl_* headers (STYLE.md); screens draw
// with plain ImGui between begin_frame() and end_frame().
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct GLFWwindow;

namespace muster::kiosk {

class BackendError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct WindowSetup {
    int width = 1280;
    int height = 800;
    bool fullscreen = true;  // on the primary monitor at its own resolution
};

// RGB pixels, top row first, as a person sees the screen.
struct Screenshot {
    int width = 0;
    int height = 0;
    std::vector<unsigned char> rgb;
};

// Keys pressed, as the satisfaction question reads them (kiosk_window.cpp maps them): the
// digits 1-3 (top row or keypad), the arrows, Enter, Esc; any other key is `other`.
enum class PressedKey { one, two, three, left, right, up, down, enter, escape, other };

class GlfwBackend {
public:
    using Clock = std::chrono::steady_clock;
    // The keyboard as the wedge scanner sees it: characters (UTF-8) and Enter, with the
    // time they arrived. Called on the UI thread from inside wait_events().
    struct Keys {
        std::function<void(std::string_view, Clock::time_point)> character;
        std::function<void(Clock::time_point)> enter;
        std::function<void(PressedKey, Clock::time_point)> pressed;  // every key press
    };

    // Opens the window and creates the ImGui context; throws BackendError.
    explicit GlfwBackend(const WindowSetup& setup);
    ~GlfwBackend();
    GlfwBackend(const GlfwBackend&) = delete;
    GlfwBackend& operator=(const GlfwBackend&) = delete;

    void set_keys(Keys keys) { keys_ = std::move(keys); }
    bool close_requested() const;
    void wait_events(std::chrono::milliseconds timeout);
    // Ends a wait_events() early; safe from any thread (an input thread with a new scan).
    static void wake();

    void begin_frame();
    // Renders the ImGui frame over `clear` (RGB 0..1) into the back buffer.
    void end_frame(float r, float g, float b);
    void present();
    // The back buffer just rendered (call between end_frame() and present()).
    Screenshot read_pixels() const;
    int width() const { return width_; }
    int height() const { return height_; }

private:
    static void on_char(GLFWwindow* window, unsigned int codepoint);
    static void on_key(GLFWwindow* window, int key, int scancode, int action, int mods);

    GLFWwindow* window_ = nullptr;
    int width_ = 0;
    int height_ = 0;
    Keys keys_;
};

bool write_png(const std::string& path, const Screenshot& shot);

}  // namespace muster::kiosk
