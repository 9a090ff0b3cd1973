#include "request_rate.hpp"

#include <thread>

namespace muster::central {

RequestRate::Clock::time_point RequestRate::reserve(Clock::time_point now) {
    if (per_second_ <= 0) return now;
    const auto at = next_ > now ? next_ : now;
    next_ = at + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / per_second_));
    return at;
}

std::optional<RequestRate::Clock::duration> RequestRate::wait_at_most(Clock::duration limit) {
    const auto now = Clock::now();
    if (per_second_ > 0 && next_ > now + limit) return next_ - now;
    std::this_thread::sleep_until(reserve(now));
    return std::nullopt;
}

}  // namespace muster::central
