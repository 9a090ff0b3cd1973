#pragma once
// The kiosk's sync with the hub's server (docs/api.md), on its own thread and its own
// database connection. Scans are committed locally first, always; this only moves them:
//   - upload: the outbox, oldest first, in batches of up to 500. A row leaves the outbox
//     only when the server acknowledged it, or refused it for good (kept, shown to staff).
//     nudge() after a scan sends it at once when the server is reachable.
//   - download: every poll_ms, what changed since the cursor (roster, enrolments, badge
//     revocations and digests, sessions, other devices' scans), applied in one transaction.
//   - failures: retried with exponential backoff and jitter, capped at one minute.
//   - clock: the server's time comes with every reply; requests are signed in server time
//     (device clock + measured offset), and an offset over two minutes is shown to staff.
// The desk is single-threaded: the UI thread reads changes_generation() and reloads the
// badge digests itself when it moved.
#include "sync_settings.hpp"

#include "muster/model/types.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

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
};

class SyncClient {
public:
    using WallClock = TimeMs (*)();  // the device's clock (tests give it a wrong one)
    // Reads the device's secret; throws muster::ConfigError with the field named when it cannot.
    explicit SyncClient(const SyncSettings& settings, WallClock clock = nullptr);
    ~SyncClient();
    SyncClient(const SyncClient&) = delete;
    SyncClient& operator=(const SyncClient&) = delete;

    void start();
    void stop();  // wakes and joins the thread; at most one request timeout
    void nudge();  // a scan was committed: send it now
    // Sends at once, even while backing off (a kiosk closing down makes one last try), and
    // waits until the outbox is empty (true) or `within` passed (false).
    bool flush(std::chrono::milliseconds within);

    SyncStatus status() const;
    // Goes up each time downloaded changes were applied.
    std::uint64_t changes_generation() const { return generation_.load(); }

private:
    struct Impl;
    void run();

    std::unique_ptr<Impl> impl_;
    std::atomic<std::uint64_t> generation_{0};
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool nudged_ = false;
    bool flush_now_ = false;  // flush(): try now, backoff or not
    SyncStatus status_;
    std::thread thread_;
};

// One line for logs and staff: "online, 0 queued, last sync 14:02:03".
std::string describe(const SyncStatus& status);

}  // namespace muster::kiosk
