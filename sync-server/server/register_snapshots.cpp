#include "register_snapshots.hpp"

namespace muster::server {

std::optional<StreamEvent> RegisterSnapshots::at_least(const Scope& scope, std::int64_t change, const Build& build) {
    std::shared_ptr<Entry> entry;
    {
        std::lock_guard lock(mutex_);
        auto& slot = entries_[scope];
        if (!slot) slot = std::make_shared<Entry>();
        entry = slot;
    }
    std::lock_guard lock(entry->building);
    auto now = std::chrono::steady_clock::now();
    if (entry->newest && (entry->newest->id >= change || now - entry->made < min_interval_)) return entry->newest;
    auto made = build();
    if (made) {
        entry->newest = made;
        entry->made = now;
    }
    return made;
}

}  // namespace muster::server
