#include "request_rate.hpp"

#include <thread>

namespace muster::central {

RequestRate::Clock::time_point RequestRate::reserve(Clock::time_point now) {
    if (per_second_ <= 0) return now;
    const auto at = next_ > now ? next_ : now;
    next_ = at + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / per_second_));
    return at;
}

void RequestRate::wait() {
    const auto at = reserve(Clock::now());
    // The worker's stop waits for this too: at most one interval (1 s at the default 5/s... 0.2 s).
    std::this_thread::sleep_until(at);
}

}  // namespace muster::central
