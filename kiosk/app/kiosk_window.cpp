#include "kiosk_window.hpp"

#include "camera_source.hpp"
#include "kiosk_model.hpp"
#include "screen_style.hpp"
#include "screens.hpp"
#include "scripted_source.hpp"
#include "v4l2_camera.hpp"
#ifdef MUSTER_HAVE_NFC
#include "nfc_source.hpp"
#endif

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb/stb_image_write.h>

#include <cstdio>
#include <memory>

namespace muster::kiosk {
namespace {

constexpr const char* font_regular = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* font_bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

KioskModel* g_model = nullptr;  // GLFW callbacks are plain functions

void on_char(GLFWwindow*, unsigned int codepoint) {
    if (!g_model || g_model->screen() == Screen::staff || g_model->screen() == Screen::staff_pin) return;
    char utf8[5] = {};
    if (codepoint < 0x80) utf8[0] = static_cast<char>(codepoint);
    else if (codepoint < 0x800) {
        utf8[0] = static_cast<char>(0xC0 | (codepoint >> 6));
        utf8[1] = static_cast<char>(0x80 | (codepoint & 0x3F));
    } else {
        utf8[0] = static_cast<char>(0xE0 | (codepoint >> 12));
        utf8[1] = static_cast<char>(0x80 | ((codepoint >> 6) & 0x3F));
        utf8[2] = static_cast<char>(0x80 | (codepoint & 0x3F));
    }
    g_model->on_char(utf8, std::chrono::steady_clock::now());
}

void on_key(GLFWwindow*, int key, int, int action, int) {
    if (!g_model || action != GLFW_PRESS) return;
    if ((key == GLFW_KEY_ENTER || key == GLFW_KEY_KP_ENTER) && g_model->screen() != Screen::staff &&
        g_model->screen() != Screen::staff_pin)
        g_model->on_enter(std::chrono::steady_clock::now());
}

Fonts load_fonts(float height) {
    ImGuiIO& io = ImGui::GetIO();
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(io.Fonts->GetGlyphRangesDefault());
    static const ImWchar latin_extended[] = {0x0100, 0x017F, 0x2013, 0x2014, 0x00B7, 0x00B7, 0};
    builder.AddRanges(latin_extended);
    static ImVector<ImWchar> ranges;
    builder.BuildRanges(&ranges);
    Fonts f;
    f.body = io.Fonts->AddFontFromFileTTF(font_regular, height * 0.035f, nullptr, ranges.Data);
    f.large = io.Fonts->AddFontFromFileTTF(font_bold, height * 0.06f, nullptr, ranges.Data);
    f.huge = io.Fonts->AddFontFromFileTTF(font_bold, height * 0.10f, nullptr, ranges.Data);
    if (!f.body || !f.large || !f.huge) throw ConfigError(std::string("cannot load the font ") + font_regular +
                                                          " (Debian package fonts-dejavu-core)");
    return f;
}

bool write_screenshot(const std::filesystem::path& path, int w, int h) {
    std::vector<unsigned char> pixels(static_cast<std::size_t>(w * h * 3));
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    std::vector<unsigned char> flipped(pixels.size());
    for (int y = 0; y < h; ++y)
        std::copy_n(&pixels[static_cast<std::size_t>((h - 1 - y) * w * 3)], w * 3, &flipped[static_cast<std::size_t>(y * w * 3)]);
    return stbi_write_png(path.c_str(), w, h, 3, flipped.data(), w * 3) != 0;
}

}  // namespace

int run_window(const WindowOptions& options) {
    DeviceConfig config;
    ScanQueue queue;
    std::unique_ptr<KioskModel> model;
    try {
        config = load_device_config(options.config);
        model = std::make_unique<KioskModel>(config, queue);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "muster-kiosk: %s\n", e.what());
        return 2;
    }
    if (!glfwInit()) {
        std::fprintf(stderr, "muster-kiosk: no display (is DISPLAY set?); use --headless\n");
        return 2;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    GLFWmonitor* monitor = config.fullscreen ? glfwGetPrimaryMonitor() : nullptr;
    int width = config.width, height = config.height;
    if (monitor) {
        const GLFWvidmode* mode = glfwGetVideoMode(monitor);
        width = mode->width;
        height = mode->height;
    }
    GLFWwindow* window = glfwCreateWindow(width, height, "Muster kiosk", monitor, nullptr);
    if (!window) {
        std::fprintf(stderr, "muster-kiosk: cannot open an OpenGL 3 window\n");
        glfwTerminate();
        return 2;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    g_model = model.get();
    glfwSetCharCallback(window, on_char);  // ImGui's backend chains to these
    glfwSetKeyCallback(window, on_key);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // a kiosk keeps no window layout file
    ImGui::StyleColorsDark();
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 130");
    Fonts fonts = load_fonts(static_cast<float>(height));

    std::vector<std::unique_ptr<ScanSource>> sources;
    if (options.scripted_stdin) sources.push_back(std::make_unique<ScriptedSource>(0));
    if (config.camera)
        sources.push_back(std::make_unique<camera::CameraSource>(std::make_unique<camera::V4l2Camera>(config.camera_device)));
#ifdef MUSTER_HAVE_NFC
    if (config.nfc) {
        nfc::NfcSource::Options nfc_options;
        nfc_options.connstring = config.nfc_connstring;
        sources.push_back(std::make_unique<nfc::NfcSource>(nfc_options));
    }
#endif
    for (auto& s : sources) s->start(queue);

    StaffForm form;
    auto started = std::chrono::steady_clock::now();
    int exit_code = 0;
    std::fprintf(stderr, "muster-kiosk: window ready (%dx%d)\n", width, height);
    while (!glfwWindowShouldClose(window) && !model->quit_requested()) {
        glfwWaitEventsTimeout(0.05);  // ~20 frames a second at most: a kiosk idles cheaply
        try {
            model->tick(std::chrono::steady_clock::now());
        } catch (const std::exception& e) {
            // The scan was not recorded, so nothing was shown for it: stop loudly.
            std::fprintf(stderr, "muster-kiosk: scan not recorded: %s\n", e.what());
            exit_code = 3;
            break;
        }
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        ImGui::SetNextWindowPos({0, 0});
        ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
        ImGui::PushStyleColor(ImGuiCol_WindowBg, style::background);
        ImGui::Begin("kiosk", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoBringToFrontOnFocus);
        switch (model->screen()) {
            case Screen::ready: draw_ready(*model, fonts); break;
            case Screen::result: draw_result(*model, fonts); break;
            case Screen::staff_pin: draw_staff_pin(*model, fonts, form); break;
            case Screen::staff: draw_staff(*model, fonts, form); break;
        }
        ImGui::End();
        ImGui::PopStyleColor();
        ImGui::Render();
        int fb_w = 0, fb_h = 0;
        glfwGetFramebufferSize(window, &fb_w, &fb_h);
        glViewport(0, 0, fb_w, fb_h);
        glClearColor(style::background.x, style::background.y, style::background.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        if (!options.screenshot.empty() &&
            std::chrono::steady_clock::now() - started > std::chrono::milliseconds(options.screenshot_after_ms)) {
            if (!write_screenshot(options.screenshot, fb_w, fb_h)) exit_code = 1;
            break;
        }
        glfwSwapBuffers(window);
    }
    for (auto& s : sources) s->stop();
    g_model = nullptr;
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exit_code;
}

}  // namespace muster::kiosk
