#pragma once
// OpenGL under test: Mesa's software renderer (llvmpipe) on a private Xvfb, and
// LeakSanitizer kept honest. glfwTerminate() unloads Mesa's driver (swrast_dri.so); the
// blocks that driver still pointed to then look leaked, because LeakSanitizer can no
// longer scan the unloaded module's globals. Keeping the driver loaded (RTLD_NODELETE in
// process, LD_PRELOAD for a child kiosk) lets it see those pointers, so leak checking stays
// on for the window too; lsan.supp covers what Mesa, libGL and fontconfig really keep.
#include <dlfcn.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace muster::test {

inline std::string mesa_software_driver() {
    for (const char* dir : {"/usr/lib/x86_64-linux-gnu/dri", "/usr/lib/aarch64-linux-gnu/dri", "/usr/lib/dri", "/usr/lib64/dri"})
        if (std::filesystem::exists(std::string(dir) + "/swrast_dri.so")) return std::string(dir) + "/swrast_dri.so";
    return "";
}

inline constexpr bool under_asan() {
#ifdef __SANITIZE_ADDRESS__
    return true;
#else
    return false;
#endif
}

// For a window opened inside the test process.
inline void keep_mesa_driver_loaded() {
    if (auto driver = mesa_software_driver(); !driver.empty()) ::dlopen(driver.c_str(), RTLD_NOW | RTLD_NODELETE);
}

// The environment of a child muster-kiosk that opens its window on `display`.
inline std::vector<std::pair<std::string, std::string>> window_env(const std::string& display) {
    std::vector<std::pair<std::string, std::string>> env = {{"DISPLAY", display}, {"LIBGL_ALWAYS_SOFTWARE", "1"}};
    if (under_asan()) {
        if (auto driver = mesa_software_driver(); !driver.empty()) {
            env.emplace_back("LD_PRELOAD", driver);
            // The driver is preloaded ahead of the ASan runtime; that order is harmless here.
            env.emplace_back("ASAN_OPTIONS", "verify_asan_link_order=0");
        }
        env.emplace_back("LSAN_OPTIONS", std::string("suppressions=") + MUSTER_SOURCE_DIR + "/tests/kiosk/lsan.supp");
    }
    return env;
}

}  // namespace muster::test
