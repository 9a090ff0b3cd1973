// muster-kiosk: the kiosk and room-device program. See the README ("The kiosk").
#include "headless_kiosk.hpp"

#include <cstdio>
#include <cstring>
#include <string>

namespace {

void usage(std::FILE* to) {
    std::fprintf(to,
                 "Usage: muster-kiosk --config DEVICE.toml --headless [--scan-image PATH]... [--keep-running]\n\n"
                 "  --config FILE      the device file written by `muster device add`\n"
                 "  --headless         no window: badge payloads are read as lines on stdin (as a\n"
                 "                     wedge scanner types them); one JSON object per scan on stdout\n"
                 "  --scan-image PATH  decode a QR code from a PNG/JPEG/PGM file and check it in\n"
                 "  --keep-running     after stdin ends, keep serving the NFC reader / camera until\n"
                 "                     SIGTERM or Ctrl-C\n");
}

}  // namespace

int main(int argc, char** argv) {
    muster::kiosk::HeadlessOptions options;
    bool headless = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&](const char* name) -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "muster-kiosk: %s needs a value\n", name);
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--config") options.config = value("--config");
        else if (a == "--scan-image") options.scan_images.emplace_back(value("--scan-image"));
        else if (a == "--headless") headless = true;
        else if (a == "--keep-running") options.keep_running = true;
        else if (a == "--help" || a == "-h") return usage(stdout), 0;
        else {
            std::fprintf(stderr, "muster-kiosk: unknown option %s\n", a.c_str());
            usage(stderr);
            return 2;
        }
    }
    if (options.config.empty()) {
        std::fprintf(stderr, "muster-kiosk: --config is required\n");
        usage(stderr);
        return 2;
    }
    if (!headless) {
        std::fprintf(stderr, "muster-kiosk: this build has no kiosk window yet; run with --headless\n");
        return 2;
    }
    return muster::kiosk::run_headless(options);
}
