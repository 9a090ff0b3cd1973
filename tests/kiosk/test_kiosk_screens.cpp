// Every screen state of the kiosk window, drawn in process on a real OpenGL 3 window under
// a private Xvfb and read back with glReadPixels: the result colours, that text is there,
// that staff screens show their controls, that a missing camera is said in words.
// With MUSTER_SCREENSHOT_DIR set, the frames are also written there as PNGs (docs/screenshots).
#include "gl_under_test.hpp"
#include "glfw_backend.hpp"
#include "kiosk_fixture.hpp"
#include "kiosk_model.hpp"
#include "kiosk_view.hpp"
#include "kiosk_window.hpp"
#include "xvfb.hpp"

#include "muster/store/satisfaction_store.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace std::chrono_literals;
using namespace muster;
using namespace muster::kiosk;

namespace {

struct Colour {
    int r, g, b;
};
// The screens' palette as it lands in the framebuffer (screen_style.hpp, 8 bits).
constexpr Colour navy{10, 31, 51}, white{255, 255, 255}, green{26, 122, 51}, amber{250, 176, 13}, red{179, 38, 31},
    dark_ink{20, 20, 20}, muted{191, 209, 224};
// ImGui's dark-style button (66, 150, 250) at 40% over the navy.
constexpr Colour button{32, 79, 131};
// The satisfaction question's answer buttons (style::choice).
constexpr Colour choice{41, 92, 148};

struct Region {
    double x0 = 0, y0 = 0, x1 = 1, y1 = 1;  // fractions of the screen
};

double share(const Screenshot& s, Colour c, Region r = {}, int tolerance = 30) {
    int x0 = static_cast<int>(r.x0 * s.width), x1 = static_cast<int>(r.x1 * s.width);
    int y0 = static_cast<int>(r.y0 * s.height), y1 = static_cast<int>(r.y1 * s.height);
    std::size_t n = 0, all = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x, ++all) {
            const unsigned char* p = &s.rgb[(static_cast<std::size_t>(y) * static_cast<std::size_t>(s.width) + static_cast<std::size_t>(x)) * 3];
            n += std::abs(p[0] - c.r) < tolerance && std::abs(p[1] - c.g) < tolerance && std::abs(p[2] - c.b) < tolerance;
        }
    return all ? static_cast<double>(n) / static_cast<double>(all) : 0;
}

// Half size (2x2 averages) for the reference screenshots in docs/: small files, still legible.
Screenshot half(const Screenshot& s) {
    Screenshot out{s.width / 2, s.height / 2, {}};
    out.rgb.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height) * 3);
    auto at = [&](int x, int y, int c) { return s.rgb[(static_cast<std::size_t>(y) * static_cast<std::size_t>(s.width) + static_cast<std::size_t>(x)) * 3 + static_cast<std::size_t>(c)]; };
    for (int y = 0; y < out.height; ++y)
        for (int x = 0; x < out.width; ++x)
            for (int c = 0; c < 3; ++c)
                out.rgb[(static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width) + static_cast<std::size_t>(x)) * 3 + static_cast<std::size_t>(c)] =
                    static_cast<unsigned char>((at(2 * x, 2 * y, c) + at(2 * x + 1, 2 * y, c) + at(2 * x, 2 * y + 1, c) + at(2 * x + 1, 2 * y + 1, c) + 2) / 4);
    return out;
}

// One kiosk (model, window, view) on its own X server.
struct Kiosk {
    test::Xvfb x;
    test::DemoHub hub;
    ScanQueue queue;
    std::unique_ptr<KioskModel> model;
    std::unique_ptr<GlfwBackend> backend;
    std::unique_ptr<KioskView> view;

    explicit Kiosk(bool room = false) {
        ::setenv("DISPLAY", x.display().c_str(), 1);
        ::setenv("LIBGL_ALWAYS_SOFTWARE", "1", 1);
        test::keep_mesa_driver_loaded();
        model = std::make_unique<KioskModel>(load_device_config(room ? hub.room() : hub.entrance()), queue);
        backend = std::make_unique<GlfwBackend>(WindowSetup{1280, 800, false});
        view = std::make_unique<KioskView>(*model, static_cast<float>(backend->height()));
    }
    ~Kiosk() {
        view.reset();
        backend.reset();
    }

    // Draws a few frames (ImGui lays out over two) and reads back the last one.
    Screenshot frame(const std::string& name) {
        Screenshot shot;
        for (int i = 0; i < 3; ++i) {
            backend->wait_events(0ms);
            model->tick(KioskModel::Clock::now());
            backend->begin_frame();
            view->draw();
            auto bg = KioskView::background();
            backend->end_frame(bg.x, bg.y, bg.z);
            if (i == 2) shot = backend->read_pixels();
            backend->present();
        }
        if (const char* dir = std::getenv("MUSTER_SCREENSHOT_DIR")) write_png(std::string(dir) + "/" + name + ".png", half(shot));
        REQUIRE(shot.width == 1280);
        REQUIRE(shot.height == 800);
        return shot;
    }
    Screenshot after_scans(const std::vector<std::string>& payloads, const std::string& name) {
        for (const auto& p : payloads) {
            queue.on_scan(RawScan{InputKind::wedge, p, "", KioskModel::Clock::now()});
            model->tick(KioskModel::Clock::now());
        }
        return frame(name);
    }
};

const Region icon_area{0.4, 0.1, 0.6, 0.4};
const Region bottom_line{0.0, 0.86, 0.85, 1.0};

}  // namespace

TEST_CASE("screen: ready is navy, with large white text and the scanner's state", "[kiosk][gui]") {
    Kiosk k;
    auto s = k.frame("ready");
    CHECK(share(s, navy) > 0.8);
    CHECK(share(s, white, {0, 0.35, 1, 0.55}) > 0.05);  // "Scan your badge", large
    CHECK(share(s, white, {0, 0, 0.8, 0.15}) > 0.03);   // the event's title
    CHECK(share(s, amber) == 0);                       // nothing needs attention
}

TEST_CASE("screen: a missing camera is said in words on the ready screen", "[kiosk][gui][camera]") {
    Kiosk k;
    k.queue.on_status({InputKind::camera, SourceState::unavailable, "camera unavailable (no /dev/video99), retrying"});
    auto s = k.frame("camera-missing");
    CHECK(share(s, amber, bottom_line) > 0.01);  // "(!) Camera unavailable ..." in amber words
    CHECK(share(s, amber, {0, 0, 1, 0.85}) == 0);
    k.queue.on_status({InputKind::camera, SourceState::ready, "camera ready (/dev/video99)"});
    CHECK(share(k.frame("camera-back"), amber) == 0);  // plugged back in: the warning goes
}

TEST_CASE("screen: a good badge is green, with a tick and a welcome", "[kiosk][gui]") {
    Kiosk k;
    auto s = k.after_scans({k.hub.token(1)}, "welcome");
    CHECK(k.model->last_result()->decision.outcome == Outcome::checked_in);
    CHECK(share(s, green) > 0.6);
    CHECK(share(s, white, icon_area) > 0.04);      // the tick in its ring
    CHECK(share(s, white, {0, 0.4, 1, 0.8}) > 0.02);  // the words
}

TEST_CASE("screen: already checked in and not on the list are amber with dark words", "[kiosk][gui]") {
    Kiosk k;
    auto again = k.after_scans({k.hub.token(4), k.hub.token(4)}, "already-checked-in");
    CHECK(k.model->last_result()->decision.outcome == Outcome::already_checked_in);
    CHECK(share(again, amber) > 0.6);
    CHECK(share(again, dark_ink, icon_area) > 0.04);  // the "!" in its ring
    auto visitor = k.after_scans({k.hub.token(121)}, "not-expected");
    CHECK(k.model->last_result()->decision.outcome == Outcome::not_expected);
    CHECK(share(visitor, amber) > 0.6);
    CHECK(share(visitor, dark_ink, {0, 0.4, 1, 0.8}) > 0.02);
}

TEST_CASE("screen: a torn badge or a stranger's code is red, then ready again by itself", "[kiosk][gui]") {
    Kiosk k;
    auto s = k.after_scans({k.hub.token(5).substr(0, 60)}, "not-recognised");
    CHECK(share(s, red) > 0.6);
    CHECK(share(s, white, icon_area) > 0.04);  // the cross
    CHECK(share(k.after_scans({"HELLO-WORLD"}, "not-a-badge"), red) > 0.6);
    k.model->tick(KioskModel::Clock::now() + KioskModel::result_time + 1s);
    CHECK(share(k.frame("ready-again"), navy) > 0.8);
}

TEST_CASE("screen: the staff PIN pad, then the staff screen with counts and the outbox", "[kiosk][gui][staff]") {
    Kiosk k;
    k.after_scans({k.hub.token(3)}, "before-staff");
    k.model->open_staff();
    auto pin = k.frame("staff-pin");
    CHECK(share(pin, navy) > 0.5);
    CHECK(share(pin, button, {0.3, 0.3, 0.7, 0.9}) > 0.1);  // the keypad
    CHECK(share(pin, green) == 0);                       // nothing of the last result left
    CHECK(share(pin, amber) == 0);
    k.model->enter_pin("1111");
    CHECK(share(k.frame("staff-pin-wrong"), amber) > 0.0002);  // "Wrong PIN", in words
    REQUIRE(k.model->enter_pin("2468"));
    auto staff = k.frame("staff");
    CHECK(share(staff, white, {0, 0, 1, 0.1}) > 0.03);  // "1 checked in of 80 expected", large
    CHECK(share(staff, button) > 0.01);                  // session, direction, void, quit
    CHECK(share(staff, amber) > 0.001);                  // "not yet sent: 1" stands out
}

TEST_CASE("screen: a room device shows its register beside the call to scan", "[kiosk][gui][room]") {
    Kiosk k(true);
    const Region register_panel{0.62, 0.18, 0.97, 0.8};
    auto empty = k.frame("room-device");
    CHECK(share(empty, white, {0, 0.35, 0.6, 0.55}) > 0.05);  // "Scan your badge" on the left
    CHECK(share(empty, muted, register_panel) > 0.01);  // the expected list
    CHECK(share(empty, amber, register_panel) == 0);
    // Someone from elsewhere walks in: they appear in amber, under "not on this room's list".
    k.model->station().desk().scan({Method::qr, k.hub.token(121), ""}, uk_time::now_ms());  // another event's person
    CHECK(share(k.frame("room-device-visitor"), amber, register_panel) > 0.002);
}

TEST_CASE("screen: the satisfaction question draws three answers and Skip, and answers by key", "[kiosk][gui][satisfaction]") {
    Kiosk k;
    k.model->toggle_direction();  // staff made this kiosk a check-out desk
    auto goodbye = k.after_scans({k.hub.token(1)}, "goodbye");
    CHECK(k.model->last_result()->decision.outcome == Outcome::checked_out);
    CHECK(share(goodbye, green) > 0.6);
    // The goodbye stays a moment, then the question (the model's clock: no sleeping).
    auto asked = KioskModel::Clock::now() + KioskModel::goodbye_time + 10ms;
    k.model->tick(asked);
    REQUIRE(k.model->screen() == Screen::question);
    auto q = k.frame("satisfaction-question");
    CHECK(share(q, navy) > 0.4);
    CHECK(share(q, white, {0, 0.1, 1, 0.38}) > 0.04);  // the question, in large words
    // Three large buttons side by side, each with its word and key in white.
    const double left = (1 - 3 * 0.26 - 2 * 0.04) / 2;
    for (int i = 0; i < 3; ++i) {
        Region b{left + i * 0.30 + 0.01, 0.43, left + i * 0.30 + 0.25, 0.67};
        CHECK(share(q, choice, b) > 0.6);
        CHECK(share(q, white, b) > 0.01);
    }
    CHECK(share(q, choice, {0, 0.72, 0.75, 1}) == 0);  // nothing else in the answers' colour
    CHECK(share(q, button, {0.78, 0.86, 1, 1}) > 0.3);  // Skip
    CHECK(share(q, green) == 0);                       // no answer looks like the right one
    CHECK(share(q, red) == 0);

    // The arrow highlights an answer with a white frame; the keys go the window's way.
    k.model->question_key(question_key_of(PressedKey::right), asked + 1s);
    auto highlighted = k.frame("satisfaction-question-highlighted");
    CHECK(k.model->question_highlight() == SatisfactionAnswerKind::agree);
    CHECK(share(highlighted, white, {left - 0.02, 0.40, left + 0.28, 0.425}) > 0.2);  // the frame's top edge
    CHECK(share(q, white, {left - 0.02, 0.40, left + 0.28, 0.425}) < 0.05);

    auto pressed = asked + 3s;  // after the arrow, on the model's clock
    k.model->question_key(question_key_of(PressedKey::two), pressed);
    k.model->tick(pressed + 50ms);  // past the scanner's gap: a person's key
    REQUIRE(k.model->screen() == Screen::thanks);
    auto thanks = k.frame("satisfaction-thanks");
    CHECK(share(thanks, navy) > 0.8);
    CHECK(share(thanks, white, {0, 0.35, 1, 0.5}) > 0.04);  // "Thank you"
    CHECK(share(thanks, choice) == 0);
    auto answers = store::pending_satisfaction_answers(k.model->station().database(), 10);
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].answer == SatisfactionAnswerKind::not_sure);
    k.model->tick(pressed + 50ms + KioskModel::thanks_time + 10ms);
    CHECK(k.model->screen() == Screen::ready);

    // The window's keys: 1 2 3, arrows, Enter and Esc mean what the screen says.
    CHECK(question_key_of(PressedKey::one) == QuestionKey::agree);
    CHECK(question_key_of(PressedKey::three) == QuestionKey::disagree);
    CHECK(question_key_of(PressedKey::left) == QuestionKey::previous);
    CHECK(question_key_of(PressedKey::down) == QuestionKey::next);
    CHECK(question_key_of(PressedKey::enter) == QuestionKey::choose);
    CHECK(question_key_of(PressedKey::escape) == QuestionKey::skip);
    CHECK(question_key_of(PressedKey::other) == QuestionKey::other);
}

TEST_CASE("screen words: the line under a headline does not say the headline again", "[kiosk]") {
    checkin::ScanResult r;
    Participant p;
    p.first_name = "Jack";
    p.last_name = "Smith";
    r.participant = p;
    r.decision = {Outcome::already_checked_in, "Already checked in at 09:02", uk_time::from_local({2026, 1, 14, 9, 2, 0})};
    auto again = result_words(r);
    CHECK(again.headline == "Jack S.: already checked in");
    CHECK(again.detail == "Since 09:02");
    r.decision = {Outcome::outside_window, "Check-in for Clinic opens on Wed 14 Oct at 15:00", std::nullopt};
    CHECK(result_words(r).headline == "Check-in is not open");
    CHECK(result_words(r).detail == "Check-in for Clinic opens on Wed 14 Oct at 15:00");
}
