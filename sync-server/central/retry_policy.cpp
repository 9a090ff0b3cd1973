#include "retry_policy.hpp"

#include <algorithm>
#include <ctime>
#include <string>

namespace muster::central {

std::int64_t RetryPolicy::ceiling_ms(int attempt) const {
    std::int64_t c = std::max<std::int64_t>(initial_ms, 0);
    for (int i = 1; i < attempt && c < max_ms; ++i) c *= 2;  // stops doubling at the cap: no overflow
    return std::min(c, max_ms);
}

std::int64_t RetryPolicy::delay_ms(int attempt, std::optional<std::chrono::milliseconds> retry_after,
                                   std::uint64_t random) const {
    if (retry_after) return std::clamp<std::int64_t>(retry_after->count(), 0, max_ms);
    const auto ceiling = static_cast<std::uint64_t>(ceiling_ms(attempt));
    return static_cast<std::int64_t>(random % (ceiling + 1));
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, TimeMs now_ms) {
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        if (value.size() > 9) return std::chrono::milliseconds(999'999'999LL * 1000);  // "forever": capped by the policy
        return std::chrono::milliseconds(std::stoll(std::string(value)) * 1000);
    }
    // IMF-fixdate, the form HTTP/1.1 senders must use (RFC 9110 5.6.7).
    std::tm tm{};
    std::string text(value);
    const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!end || *end != '\0') return std::nullopt;
    const std::int64_t at_ms = static_cast<std::int64_t>(::timegm(&tm)) * 1000;
    return std::chrono::milliseconds(std::max<std::int64_t>(at_ms - now_ms, 0));
}

}  // namespace muster::central
