#pragma once
// A target's request rate limit (requests_per_s): requests are spaced at least 1/rate apart,
// so a backlog of thousands of records reaches the CRM at the pace it allows. One target's
// worker thread uses it; not shared.
#include <chrono>

namespace muster::central {

class RequestRate {
public:
    using Clock = std::chrono::steady_clock;
    explicit RequestRate(double per_second) : per_second_(per_second) {}
    // When the next request may start (now or later), and counts it as made then.
    Clock::time_point reserve(Clock::time_point now);
    // Blocks until a request may start (returns at once with no limit).
    void wait();

private:
    double per_second_;  // 0: no limit
    Clock::time_point next_{};
};

}  // namespace muster::central
