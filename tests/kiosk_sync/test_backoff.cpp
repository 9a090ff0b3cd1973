#include "backoff.hpp"

#include <catch2/catch.hpp>

using namespace muster::kiosk;
using std::chrono::milliseconds;

TEST_CASE("Backoff doubles from half a second, with jitter in the upper half, capped at a minute", "[sync][backoff]") {
    double r = 0.0;
    Backoff b(milliseconds(500), std::chrono::seconds(60), [&] { return r; });
    CHECK(b.next_delay() == milliseconds(250));   // r = 0: half the base
    r = 0.999999;
    CHECK(b.next_delay().count() == Approx(1000).margin(1));
    r = 0.5;
    CHECK(b.next_delay() == milliseconds(1500));  // base 2 s
    for (int i = 0; i < 20; ++i) b.next_delay();
    r = 1.0;
    CHECK(b.next_delay() == milliseconds(60'000));  // never beyond the cap
    r = 0.0;
    CHECK(b.next_delay() == milliseconds(30'000));
    CHECK(b.failures() == 25);
    b.reset();
    CHECK(b.next_delay() == milliseconds(250));
}

TEST_CASE("Real jitter spreads kiosks apart", "[sync][backoff]") {
    Backoff a, b;
    bool differ = false;
    for (int i = 0; i < 5; ++i) differ = differ || a.next_delay() != b.next_delay();
    CHECK(differ);
}
