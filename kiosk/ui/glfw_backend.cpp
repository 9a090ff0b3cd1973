#include "glfw_backend.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb/stb_image_write.h>

#include <algorithm>

namespace muster::kiosk {
namespace {

std::string utf8_of(unsigned int codepoint) {
    std::string out;
    if (codepoint < 0x80) {
        out += static_cast<char>(codepoint);
    } else if (codepoint < 0x800) {
        out += static_cast<char>(0xC0 | (codepoint >> 6));
        out += static_cast<char>(0x80 | (codepoint & 0x3F));
    } else if (codepoint < 0x10000) {
        out += static_cast<char>(0xE0 | (codepoint >> 12));
        out += static_cast<char>(0x80 | ((codepoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codepoint & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (codepoint >> 18));
        out += static_cast<char>(0x80 | ((codepoint >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((codepoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codepoint & 0x3F));
    }
    return out;
}

PressedKey pressed_key(int key) {
    switch (key) {
        case GLFW_KEY_1: case GLFW_KEY_KP_1: return PressedKey::one;
        case GLFW_KEY_2: case GLFW_KEY_KP_2: return PressedKey::two;
        case GLFW_KEY_3: case GLFW_KEY_KP_3: return PressedKey::three;
        case GLFW_KEY_LEFT: return PressedKey::left;
        case GLFW_KEY_RIGHT: return PressedKey::right;
        case GLFW_KEY_UP: return PressedKey::up;
        case GLFW_KEY_DOWN: return PressedKey::down;
        case GLFW_KEY_ENTER: case GLFW_KEY_KP_ENTER: return PressedKey::enter;
        case GLFW_KEY_ESCAPE: return PressedKey::escape;
        default: return PressedKey::other;
    }
}

GlfwBackend& backend_of(GLFWwindow* window) { return *static_cast<GlfwBackend*>(glfwGetWindowUserPointer(window)); }

}  // namespace

GlfwBackend::GlfwBackend(const WindowSetup& setup) {
    if (!glfwInit()) throw BackendError("no display (is DISPLAY set?); use --headless");
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    GLFWmonitor* monitor = setup.fullscreen ? glfwGetPrimaryMonitor() : nullptr;
    width_ = setup.width;
    height_ = setup.height;
    if (monitor) {
        const GLFWvidmode* mode = glfwGetVideoMode(monitor);
        width_ = mode->width;
        height_ = mode->height;
    }
    window_ = glfwCreateWindow(width_, height_, "Muster kiosk", monitor, nullptr);
    if (!window_) {
        glfwTerminate();
        throw BackendError("cannot open an OpenGL 3 window");
    }
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(1);
    glfwSetWindowUserPointer(window_, this);
    // Ours first: ImGui's backend chains to callbacks installed before it.
    glfwSetCharCallback(window_, on_char);
    glfwSetKeyCallback(window_, on_key);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // a kiosk keeps no window layout file
    ImGui::StyleColorsDark();
    ImGui_ImplGlfw_InitForOpenGL(window_, true);
    ImGui_ImplOpenGL3_Init("#version 130");
}

GlfwBackend::~GlfwBackend() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window_);
    glfwTerminate();
}

void GlfwBackend::on_char(GLFWwindow* window, unsigned int codepoint) {
    auto& self = backend_of(window);
    if (self.keys_.character) self.keys_.character(utf8_of(codepoint), Clock::now());
}

void GlfwBackend::on_key(GLFWwindow* window, int key, int, int action, int) {
    auto& self = backend_of(window);
    if (action == GLFW_PRESS && self.keys_.pressed) self.keys_.pressed(pressed_key(key), Clock::now());
    if (action == GLFW_PRESS && (key == GLFW_KEY_ENTER || key == GLFW_KEY_KP_ENTER) && self.keys_.enter)
        self.keys_.enter(Clock::now());
}

bool GlfwBackend::close_requested() const { return glfwWindowShouldClose(window_); }

void GlfwBackend::wait_events(std::chrono::milliseconds timeout) {
    glfwWaitEventsTimeout(std::chrono::duration<double>(timeout).count());
}

void GlfwBackend::wake() { glfwPostEmptyEvent(); }

void GlfwBackend::begin_frame() {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
}

void GlfwBackend::end_frame(float r, float g, float b) {
    ImGui::Render();
    glfwGetFramebufferSize(window_, &width_, &height_);
    glViewport(0, 0, width_, height_);
    glClearColor(r, g, b, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    // The first frame uploaded the font atlas to a texture; the CPU copies (an 8-bit and a
    // 32-bit image of three large fonts, ~20 MB) are never read again.
    if (ImGui::GetIO().Fonts->TexPixelsAlpha8 || ImGui::GetIO().Fonts->TexPixelsRGBA32) ImGui::GetIO().Fonts->ClearTexData();
}

void GlfwBackend::present() { glfwSwapBuffers(window_); }

Screenshot GlfwBackend::read_pixels() const {
    Screenshot shot{width_, height_, {}};
    auto row = static_cast<std::size_t>(width_) * 3;
    std::vector<unsigned char> bottom_up(row * static_cast<std::size_t>(height_));
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width_, height_, GL_RGB, GL_UNSIGNED_BYTE, bottom_up.data());
    shot.rgb.resize(bottom_up.size());
    for (int y = 0; y < height_; ++y)  // OpenGL's first row is the bottom one
        std::copy_n(&bottom_up[row * static_cast<std::size_t>(height_ - 1 - y)], row, &shot.rgb[row * static_cast<std::size_t>(y)]);
    return shot;
}

bool write_png(const std::string& path, const Screenshot& shot) {
    return stbi_write_png(path.c_str(), shot.width, shot.height, 3, shot.rgb.data(), shot.width * 3) != 0;
}

}  // namespace muster::kiosk
