#pragma once
// When a failed delivery is tried again (docs/central.md, "Retries"): exponential back-off
// with full jitter (a random wait from 0 to initial * 2^(attempt-1), capped at max), so many
// records failing together do not come back together; a target's Retry-After (seconds or an
// HTTP date) is honoured instead, up to the same cap.
#include "muster/model/types.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace muster::central {

struct RetryPolicy {
    std::int64_t initial_ms = 1'000;
    std::int64_t max_ms = 600'000;

    // The upper bound of the wait after `attempt` (1: the first try) failed.
    std::int64_t ceiling_ms(int attempt) const;
    // The wait after `attempt` failed: Retry-After when the target gave one (capped at max_ms),
    // else a uniform draw from [0, ceiling_ms(attempt)] using `random` (any 64-bit value).
    std::int64_t delay_ms(int attempt, std::optional<std::chrono::milliseconds> retry_after, std::uint64_t random) const;
};

// A Retry-After header's value as a wait from `now_ms` (Unix ms): delta-seconds ("120") or an
// HTTP date ("Wed, 21 Oct 2026 07:28:00 GMT"; a past date is 0). nullopt: neither.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, TimeMs now_ms);

}  // namespace muster::central
