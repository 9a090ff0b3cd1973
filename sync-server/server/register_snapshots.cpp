#include "register_snapshots.hpp"

#include <algorithm>

namespace muster::server {

std::optional<StreamEvent> RegisterSnapshots::at_least(const Scope& scope, std::int64_t change, const Build& build) {
    std::shared_ptr<Entry> entry;
    std::int64_t scopes = 1;  // this one
    auto now = clock_();
    {
        std::lock_guard lock(mutex_);
        auto& slot = entries_[scope];
        if (!slot) slot = std::make_shared<Entry>();
        entry = slot;
        auto recent = (now - in_use_within).time_since_epoch().count();
        for (const auto& [other_scope, other] : entries_)
            if (other != entry && other->built_at.load(std::memory_order_relaxed) > recent) ++scopes;
    }
    std::lock_guard lock(entry->building);
    now = clock_();
    using Duration = std::chrono::steady_clock::duration;
    Duration spacing = std::max<Duration>(min_interval_, std::min<Duration>(entry->cost * cost_spacing * scopes, max_spacing));
    bool fresh = now - entry->made < max_age;
    if (entry->newest && ((entry->newest->id >= change && fresh) || now - entry->made < spacing)) return entry->newest;
    auto made = build();
    auto done = clock_();
    if (made) {
        entry->newest = made;
        entry->made = now;
        entry->cost = done - now;
        entry->built_at.store(now.time_since_epoch().count(), std::memory_order_relaxed);
    }
    return made;
}

}  // namespace muster::server
