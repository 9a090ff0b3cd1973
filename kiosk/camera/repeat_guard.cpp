#include "repeat_guard.hpp"

#include <iterator>

namespace muster::kiosk::camera {

RepeatGuard::RepeatGuard() : RepeatGuard(Rule{}) {}
RepeatGuard::RepeatGuard(Rule rule) : rule_(rule) {}

bool RepeatGuard::rearmed(const LastSeen& last, time_point now) const {
    // Frames strictly between the last sighting and this one.
    const std::uint64_t absent = frame_ - last.frame - 1;
    return absent >= static_cast<std::uint64_t>(rule_.absent_frames) && now - last.at >= rule_.absent_for;
}

bool RepeatGuard::admit(std::optional<std::string_view> seen, time_point captured_at) {
    ++frame_;
    // Forget codes that are re-armed anyway: keeps the map to the few codes recently in view.
    for (auto it = recent_.begin(); it != recent_.end();)
        it = rearmed(it->second, captured_at) ? recent_.erase(it) : std::next(it);

    if (!seen) return false;
    if (auto it = recent_.find(*seen); it != recent_.end()) {
        it->second = {frame_, captured_at};  // still in view: stays blocked
        return false;
    }
    recent_.emplace(std::string(*seen), LastSeen{frame_, captured_at});
    return true;
}

}  // namespace muster::kiosk::camera
