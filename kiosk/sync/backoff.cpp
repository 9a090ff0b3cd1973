#include "backoff.hpp"

#include <algorithm>
#include <random>

namespace muster::kiosk {

Backoff::Backoff(std::chrono::milliseconds first, std::chrono::milliseconds cap, Random random)
    : first_(first), cap_(cap), random_(std::move(random)) {
    if (!random_) {
        random_ = [engine = std::mt19937_64(std::random_device{}())]() mutable {
            return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
        };
    }
}

std::chrono::milliseconds Backoff::next_delay() {
    double base = static_cast<double>(first_.count());
    for (int i = 0; i < failures_ && base < static_cast<double>(cap_.count()); ++i) base *= 2;
    base = std::min(base, static_cast<double>(cap_.count()));
    ++failures_;
    double r = std::clamp(random_(), 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<long long>(r * base));
}

}  // namespace muster::kiosk
