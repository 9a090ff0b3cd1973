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
    if (entry->newest && entry->newest->id >= change) return entry->newest;
    auto made = build();
    // A build may read the database before a newer one finished elsewhere: keep the newest.
    if (made && (!entry->newest || made->id >= entry->newest->id)) entry->newest = made;
    return made;
}

}  // namespace muster::server
