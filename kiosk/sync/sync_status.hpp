#pragma once
// What staff see of the sync (and what tests wait on), and the board that carries it from
// the sync thread to the others: every change is made under its lock and announced, so a
// reader waits for a condition instead of polling or sleeping.
#include "muster/model/types.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace muster::kiosk {

struct SyncStatus {
    bool online = false;   // the last exchange with the server worked
    bool revoked = false;  // the hub revoked this device: it keeps scanning, stops syncing
    std::size_t queued = 0;    // records waiting to be sent
    std::size_t rejected = 0;  // records the hub refused for good
    std::optional<TimeMs> last_ok_ms;  // last successful exchange (device clock)
    std::string last_error;            // why the last attempt failed (no personal data)
    std::optional<TimeMs> next_retry_ms;
    std::int64_t clock_offset_ms = 0;  // server clock minus device clock
    bool clock_flagged = false;        // |offset| > 2 minutes
    std::uint64_t sent = 0;            // records acknowledged since start
    bool request_in_flight = false;    // a request is out to the hub, not yet answered
    std::uint64_t passes = 0;          // sync passes finished since start (flush() waits for one)
    // With several server URLs: the one in use (index in server.url, from 0) and how many.
    std::size_t server = 0;
    std::size_t servers = 1;
};

// One line for logs and staff: "online, 0 queued, last sync 14:02:03" (", server 2 of 2"
// after it when the device file lists several).
std::string describe(const SyncStatus& status);

class SyncStatusBoard {
public:
    SyncStatus read() const {
        std::lock_guard lock(mutex_);
        return status_;
    }
    // Changes the status under the lock, then wakes every waiter.
    template <class Change>
    void update(Change&& change) {
        {
            std::lock_guard lock(mutex_);
            change(status_);
        }
        changed_.notify_all();
    }
    // True when `holds` became true before `deadline`.
    bool wait_until(const std::function<bool(const SyncStatus&)>& holds, std::chrono::steady_clock::time_point deadline) const {
        std::unique_lock lock(mutex_);
        return changed_.wait_until(lock, deadline, [&] { return holds(status_); });
    }

    // Goes up each time downloaded changes were applied (read without the lock by the UI).
    std::uint64_t generation() const { return generation_.load(); }
    void changes_applied() { ++generation_; }

private:
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    SyncStatus status_;
    std::atomic<std::uint64_t> generation_{0};
};

}  // namespace muster::kiosk
