#include "backoff.hpp"

#include <catch2/catch.hpp>

using namespace muster::kiosk;
using std::chrono::milliseconds;

TEST_CASE("Backoff doubles from half a second with full jitter, capped at a minute", "[sync][backoff]") {
    double r = 1.0;
    Backoff b(milliseconds(500), std::chrono::seconds(60), [&] { return r; });
    CHECK(b.next_delay() == milliseconds(500));   // r = 1: the whole base
    CHECK(b.next_delay() == milliseconds(1000));
    r = 0.5;
    CHECK(b.next_delay() == milliseconds(1000));  // base 2 s, half of it
    r = 0.0;
    CHECK(b.next_delay() == milliseconds(0));     // full jitter goes down to zero
    for (int i = 0; i < 20; ++i) b.next_delay();
    r = 1.0;
    CHECK(b.next_delay() == milliseconds(60'000));  // never beyond the cap
    r = 0.25;
    CHECK(b.next_delay() == milliseconds(15'000));
    CHECK(b.failures() == 26);
    b.reset();
    CHECK(b.failures() == 0);
    r = 1.0;
    CHECK(b.next_delay() == milliseconds(500));
}

TEST_CASE("A random source out of range is clamped to the window", "[sync][backoff]") {
    double r = 7.0;
    Backoff b(milliseconds(500), std::chrono::seconds(60), [&] { return r; });
    CHECK(b.next_delay() == milliseconds(500));
    r = -3.0;
    CHECK(b.next_delay() == milliseconds(0));
}

TEST_CASE("Real jitter spreads kiosks apart and stays within the window", "[sync][backoff]") {
    Backoff a, b;
    bool differ = false;
    for (int i = 0; i < 12; ++i) {
        auto da = a.next_delay(), db = b.next_delay();
        differ = differ || da != db;
        CHECK(da >= milliseconds(0));
        CHECK(da <= milliseconds(60'000));
    }
    CHECK(differ);
}
