#pragma once
// Headless mode: badge payloads as lines on stdin (exactly what a wedge scanner types),
// image files from --scan-image, and the NFC reader / camera when the device file turns
// them on; one JSON object per scan on stdout (scan_report.hpp), status as JSON log lines
// on stderr (muster::log).
#include "device_config.hpp"

#include "muster/log/logger.hpp"

#include <filesystem>
#include <vector>

namespace muster::kiosk {

struct HeadlessOptions {
    std::filesystem::path config;
    std::vector<std::filesystem::path> scan_images;
    bool keep_running = false;  // after stdin ends, keep serving NFC / camera until SIGTERM
};

// Returns the process exit code.
int run_headless(const HeadlessOptions& options, log::Logger& log);

}  // namespace muster::kiosk
