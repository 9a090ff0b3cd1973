// The kiosk's real window under Xvfb (Mesa llvmpipe): screenshots read back with
// glReadPixels and checked for what a person would see. Reference screenshots are in
// docs/screenshots/.
#include "gl_under_test.hpp"
#include "kiosk_fixture.hpp"
#include "kiosk_process.hpp"
#include "log_lines.hpp"
#include "xvfb.hpp"

#include <stb/stb_image.h>

#include <catch2/catch.hpp>

#include <fstream>

using namespace std::chrono_literals;
using namespace muster;

namespace {

struct Picture {
    int w = 0, h = 0;
    std::vector<unsigned char> rgb;
    // Share of pixels within `tolerance` of a colour, in the rows from `top` (a fraction of
    // the height) down.
    double share(int r, int g, int b, int tolerance = 40, double top = 0) const {
        std::size_t n = 0, first = static_cast<std::size_t>(top * h) * static_cast<std::size_t>(w) * 3;
        for (std::size_t i = first; i + 2 < rgb.size(); i += 3)
            n += std::abs(rgb[i] - r) < tolerance && std::abs(rgb[i + 1] - g) < tolerance && std::abs(rgb[i + 2] - b) < tolerance;
        return static_cast<double>(n) / static_cast<double>(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    }
};

Picture load(const std::string& path) {
    Picture p;
    int channels = 0;
    unsigned char* data = stbi_load(path.c_str(), &p.w, &p.h, &channels, 3);
    REQUIRE(data);
    p.rgb.assign(data, data + static_cast<std::size_t>(p.w * p.h * 3));
    stbi_image_free(data);
    return p;
}

// Runs the windowed kiosk, feeds it `scans`, and returns its screenshot of the first frame
// that shows `when` (by default the result of the last scan, or the ready screen).
Picture screen_after(test::DemoHub& hub, const std::vector<std::string>& scans, const std::string& name,
                     const std::string& config = "", std::string when = "") {
    if (when.empty()) when = scans.empty() ? "ready" : "result:" + std::to_string(scans.size());
    test::Xvfb x;
    auto png = hub.dir.file(name + ".png");
    std::string device = config.empty() ? hub.entrance() : config;
    {
        std::ifstream in(device);
        std::string text((std::istreambuf_iterator<char>(in)), {});
        if (auto at = text.find("fullscreen = true"); at != std::string::npos) text.replace(at, 17, "fullscreen = false");
        std::ofstream(device, std::ios::trunc) << text;
    }
    test::KioskProcess kiosk(device, hub.dir.file(name + ".log"),
                             {"--scripted-stdin", "--screenshot", png, "--screenshot-when", when},
                             test::window_env(x.display()),
                             test::KioskProcess::Mode::window);
    for (const auto& s : scans) kiosk.send(s);
    int code = kiosk.wait(60s);
    INFO(std::ifstream(hub.dir.file(name + ".log")).rdbuf());
    REQUIRE(code == 0);
    // The first frame was on screen (the bench measures how soon).
    auto ready = test::find_log(hub.dir.file(name + ".log"), "ready");
    REQUIRE(ready);
    CHECK(test::text_of(*ready, "mode") == "window");
    CHECK(ready->at("ms").is_int64());
    return load(png);
}

}  // namespace

TEST_CASE("window: the ready screen is drawn, navy with large white text", "[kiosk][gui]") {
    test::DemoHub hub;
    auto p = screen_after(hub, {}, "ready");
    CHECK(p.w == 1280);
    CHECK(p.h == 800);
    CHECK(p.share(10, 31, 51) > 0.7);   // the navy background
    CHECK(p.share(255, 255, 255) > 0.01);  // and text on it: not a blank screen
}

TEST_CASE("window: a good badge turns the screen green with a welcome", "[kiosk][gui]") {
    test::DemoHub hub;
    auto p = screen_after(hub, {hub.token(1)}, "welcome");
    CHECK(p.share(26, 122, 51) > 0.6);     // green
    CHECK(p.share(255, 255, 255) > 0.02);  // the tick and the words
}

TEST_CASE("window: a repeat scan is amber, a torn badge red", "[kiosk][gui]") {
    test::DemoHub hub;
    auto amber = screen_after(hub, {hub.token(4), hub.token(4)}, "already");
    CHECK(amber.share(250, 176, 13) > 0.6);
    auto red = screen_after(hub, {hub.token(5).substr(0, 60)}, "refused");
    CHECK(red.share(179, 38, 31) > 0.6);
}

TEST_CASE("window: at an exit kiosk a check-out is followed by the satisfaction question", "[kiosk][gui][satisfaction]") {
    test::DemoHub hub;
    {
        std::ifstream in(hub.entrance());
        std::string text((std::istreambuf_iterator<char>(in)), {});
        auto at = text.find("direction = \"entry\"");
        REQUIRE(at != std::string::npos);
        text.replace(at, 19, "direction = \"exit\"");
        std::ofstream(hub.entrance(), std::ios::trunc) << text;
    }
    auto p = screen_after(hub, {hub.token(1)}, "question", "", "question:1");
    CHECK(p.share(41, 92, 148, 12) > 0.1);  // the three answer buttons (style::choice; one may be hovered)
    CHECK(p.share(26, 122, 51) == 0);        // the goodbye has gone
}

TEST_CASE("window: a room device shows the room's register beside the call to scan", "[kiosk][gui][room]") {
    test::DemoHub hub;
    auto p = screen_after(hub, {}, "room", hub.room());
    CHECK(p.share(10, 31, 51) > 0.4);
    CHECK(p.share(255, 255, 255) > 0.01);
}

TEST_CASE("window: camera missing, the kiosk takes scanner input and says so on screen", "[kiosk][gui][camera]") {
    test::DemoHub hub;
    std::ifstream in(hub.entrance());
    std::string text((std::istreambuf_iterator<char>(in)), {});
    text.replace(text.find("camera = false"), 14, "camera = true");
    text.replace(text.find("/dev/video0"), 11, "/dev/video99");
    std::ofstream(hub.entrance(), std::ios::trunc) << text;
    // The scan shows for 4 s; then the screen is back to ready, with the camera's state.
    auto p = screen_after(hub, {hub.token(8)}, "camera-missing", "", "ready:1");
    CHECK(p.share(10, 31, 51) > 0.7);
    CHECK(p.share(250, 176, 13, 40, 0.85) > 0.0005);  // "(!) Camera unavailable ..." in amber, at the bottom
    auto db = store::open_database(hub.device_db());
    auto s = db->prepare("SELECT count(*) FROM check_ins WHERE participant_id = 8 AND outcome = 'checked_in'");
    s.step();
    CHECK(s.int64(0) == 1);  // and it took the scan meanwhile
}
