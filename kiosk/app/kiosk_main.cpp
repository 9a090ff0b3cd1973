// muster-kiosk: the kiosk and room-device program. See the README ("The kiosk").
// Usage errors go to the person at the terminal as plain text; everything the running kiosk
// reports goes through the one logger (JSON lines on stderr).
#include "headless_kiosk.hpp"
#ifdef MUSTER_HAVE_GUI
#include "kiosk_window.hpp"
#endif

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

void usage(std::FILE* to) {
    std::fprintf(to,
                 "Usage: muster-kiosk --config DEVICE.toml [--headless [--scan-image PATH]... [--keep-running]]\n\n"
                 "  (no --headless)    the full-screen kiosk window; staff screens behind the PIN\n"
                 "  --scripted-stdin   window mode: stdin lines are scans too (automation)\n"
                 "  --screenshot PNG --screenshot-when WHEN   window mode: save the screen and exit at the first\n"
                 "                     frame showing WHEN: ready, result, question or thanks, each\n"
                 "                     optionally :N (after N scans)\n"
                 "  --config FILE      the device file written by `muster device add`\n"
                 "  --headless         no window: badge payloads are read as lines on stdin (as a\n"
                 "                     wedge scanner types them); one JSON object per scan on stdout\n"
                 "  --scan-image PATH  decode a QR code from a PNG/JPEG/PGM file and check it in\n"
                 "  --keep-running     after stdin ends, keep serving the NFC reader / camera until\n"
                 "                     SIGTERM or Ctrl-C\n");
}

}  // namespace

int main(int argc, char** argv) {
    // A device folder holds the roster and the device's secret: the database's -wal and -shm
    // files and anything else the kiosk writes are its owner's alone (the database wrapper
    // sets those modes explicitly too).
    ::umask(077);
    muster::kiosk::HeadlessOptions options;
    bool headless = false;
    bool scripted_stdin = false;
    std::string screenshot;
    std::string screenshot_when = "ready";
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
        else if (a == "--scripted-stdin") scripted_stdin = true;
        else if (a == "--screenshot") screenshot = value("--screenshot");
        else if (a == "--screenshot-when") screenshot_when = value("--screenshot-when");
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
    muster::log::Logger log;
    if (!headless) {
#ifdef MUSTER_HAVE_GUI
        auto when = muster::kiosk::parse_screenshot_when(screenshot_when);
        if (!when) {
            std::fprintf(stderr, "muster-kiosk: --screenshot-when: expected ready, result, question or thanks, each optionally :N\n");
            return 2;
        }
        return muster::kiosk::run_window({options.config, scripted_stdin, screenshot, *when}, log);
#else
        (void)scripted_stdin;
        (void)screenshot_when;
        log.error("no_window", {{"error", "built without a window (MUSTER_WITH_GUI=OFF); run with --headless"}});
        return 2;
#endif
    }
    return muster::kiosk::run_headless(options, log);
}
