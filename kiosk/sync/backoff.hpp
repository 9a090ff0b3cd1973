#pragma once
// Retry delays for an unreachable server: exponential from `first`, doubling per failure,
// capped at `cap` (one minute), with "full jitter": each delay is drawn uniformly from
// [0, base], base = min(cap, first * 2^failures). A room full of kiosks coming back after
// a Wi-Fi outage then spreads over the whole window instead of knocking in step, and on
// average a kiosk retries sooner than with a floor (an early retry costs one refused
// connection).
#include <chrono>
#include <functional>

namespace muster::kiosk {

class Backoff {
public:
    using Random = std::function<double()>;  // uniform in [0, 1)
    explicit Backoff(std::chrono::milliseconds first = std::chrono::milliseconds(500),
                     std::chrono::milliseconds cap = std::chrono::seconds(60), Random random = {});

    // The wait before the next attempt, after one more failure.
    std::chrono::milliseconds next_delay();
    void reset() { failures_ = 0; }
    int failures() const { return failures_; }

private:
    std::chrono::milliseconds first_, cap_;
    Random random_;
    int failures_ = 0;
};

}  // namespace muster::kiosk
