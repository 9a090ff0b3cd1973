#include "register_snapshots.hpp"

#include <algorithm>

namespace muster::server {

std::optional<StreamEvent> RegisterSnapshots::at_least(const Scope& scope, std::int64_t change, const Build& build) {
    std::shared_ptr<Entry> entry;
    std::int64_t scopes = 1;  // this one
    auto now = std::chrono::steady_clock::now();
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
    now = std::chrono::steady_clock::now();
    auto spacing = std::clamp<std::chrono::steady_clock::duration>(entry->cost * cost_spacing * scopes, min_interval_,
                                                                   std::max<std::chrono::steady_clock::duration>(
                                                                       min_interval_, max_spacing));
    bool fresh = now - entry->made < max_age;
    if (entry->newest && ((entry->newest->id >= change && fresh) || now - entry->made < spacing)) return entry->newest;
    auto made = build();
    auto done = std::chrono::steady_clock::now();
    if (made) {
        entry->newest = made;
        entry->made = now;
        entry->cost = done - now;
        entry->built_at.store(now.time_since_epoch().count(), std::memory_order_relaxed);
    }
    return made;
}

}  // namespace muster::server
