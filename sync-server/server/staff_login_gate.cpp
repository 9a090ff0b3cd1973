#include "staff_login_gate.hpp"

#include <algorithm>

namespace muster::server {

namespace {
// Addresses kept before the ones whose allowance is full again are forgotten: bounds memory
// under a flood from many addresses, with nothing lost (a full allowance is the default).
constexpr std::size_t forget_above = 4096;
}  // namespace

LoginGate::LoginGate(int in_flight, int per_minute)
    : in_flight_limit_(std::max(in_flight, 1)), per_minute_(std::max(per_minute, 1)) {}

std::optional<LoginGate::Ticket> LoginGate::enter() {
    int now = in_flight_.load();
    while (now < in_flight_limit_)
        if (in_flight_.compare_exchange_weak(now, now + 1)) return Ticket(in_flight_);
    return std::nullopt;
}

std::optional<TimeMs> LoginGate::attempt(const std::string& address, TimeMs now) {
    // Each attempt costs `spacing`; an address may run up to a minute's worth ahead of now.
    const TimeMs spacing = 60'000 / per_minute_;
    const TimeMs burst = spacing * (per_minute_ - 1);
    std::lock_guard lock(mutex_);
    if (full_at_.size() > forget_above)
        std::erase_if(full_at_, [now](const auto& entry) { return entry.second <= now; });
    auto& full_at = full_at_[address];
    TimeMs from = std::max(full_at, now);
    if (from - now > burst) return from - burst - now;
    full_at = from + spacing;
    return std::nullopt;
}

}  // namespace muster::server
