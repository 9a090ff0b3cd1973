// The re-arm rule on its own, frame by frame on a simulated 30 frames/s clock.
#include "repeat_guard.hpp"

#include <catch2/catch.hpp>

using namespace muster::kiosk::camera;
using namespace std::chrono_literals;

namespace {

struct Feed {
    RepeatGuard guard;
    std::chrono::steady_clock::time_point now{};
    int reported = 0;
    // `n` frames 33 ms apart showing `code` (nullopt: nothing in view).
    void frames(int n, std::optional<std::string_view> code, std::chrono::milliseconds step = 33ms) {
        for (int i = 0; i < n; ++i) {
            now += step;
            if (guard.admit(code, now)) ++reported;
        }
    }
};

}  // namespace

TEST_CASE("A code in view is reported once", "[camera]") {
    Feed f;
    f.frames(300, "A");  // ten seconds in front of the camera
    CHECK(f.reported == 1);
}

TEST_CASE("A code is re-armed after 1.5 s and 10 frames out of view", "[camera]") {
    Feed f;
    f.frames(5, "A");
    f.frames(44, std::nullopt);  // 1.45 s: not yet
    f.frames(1, "A");
    CHECK(f.reported == 1);
    f.frames(46, std::nullopt);  // 1.52 s
    f.frames(1, "A");
    CHECK(f.reported == 2);
}

TEST_CASE("A few missed frames while the badge stays in view do not re-trigger", "[camera]") {
    Feed f;
    for (int i = 0; i < 20; ++i) {
        f.frames(3, "A");
        f.frames(4, std::nullopt);  // motion blur
    }
    CHECK(f.reported == 1);
}

TEST_CASE("A stalled camera does not re-trigger: time alone does not re-arm", "[camera]") {
    Feed f;
    f.frames(1, "A");
    f.frames(1, "A", 3000ms);  // the next frame came 3 s later, badge still there
    f.frames(3, std::nullopt, 1000ms);
    f.frames(1, "A");  // 3 s but only 3 frames absent
    CHECK(f.reported == 1);
}

TEST_CASE("Different codes do not block each other", "[camera]") {
    Feed f;
    f.frames(10, "A");
    f.frames(10, "B");
    f.frames(10, "A");  // A back after 0.33 s: still blocked
    CHECK(f.reported == 2);
    f.frames(60, "B");  // A away for 2 s
    f.frames(1, "A");
    CHECK(f.reported == 3);
}
