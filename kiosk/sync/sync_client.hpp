#pragma once
// The kiosk's sync with the hub's server (docs/api.md), on its own thread and its own
// database connection. Scans are committed locally first, always; this only moves them:
//   - upload: the outbox, oldest first, in batches of up to 500. A row leaves the outbox
//     only when the server acknowledged it, or refused it for good (kept, shown to staff).
//     nudge() after a scan sends it at once when the server is reachable.
//   - download: every poll_ms, what changed since the cursor (roster, enrolments, badge
//     revocations and digests, sessions, other devices' scans), applied in one transaction;
//     and at once when the ChangeListener's long poll hears the hub has some (push, on by
//     default: another kiosk's scan is known here within a round trip or two).
//   - failures: retried with exponential backoff and jitter, capped at one minute.
//   - clock: the server's time comes with every reply; requests are signed in server time
//     (device clock + measured offset), and an offset over two minutes is shown to staff.
// Each wake-up runs one SyncPass (sync_pass.hpp); the thread is a muster::Worker.
// The desk is single-threaded: the UI thread reads changes_generation() and reloads the
// badge digests itself when it moved.
#include "change_listener.hpp"
#include "sync_settings.hpp"
#include "sync_status.hpp"

#include "muster/log/logger.hpp"
#include "muster/model/types.hpp"
#include "muster/util/worker.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>

namespace muster::kiosk {

struct HubLink;

class SyncClient {
public:
    using WallClock = TimeMs (*)();  // the device's clock (tests give it a wrong one)
    // Reads the device's secret; throws muster::ConfigError with the field named when it cannot.
    // `logger` (optional, outliving the client) gets online/offline/revoked changes, no personal data.
    explicit SyncClient(const SyncSettings& settings, WallClock clock = nullptr, log::Logger* logger = nullptr);
    ~SyncClient();
    SyncClient(const SyncClient&) = delete;
    SyncClient& operator=(const SyncClient&) = delete;

    void start();
    void stop();  // cancels the request in flight and joins the thread; at most one request timeout
    void nudge();  // a scan was committed: send it now
    // The hub has changes for this device (the listener heard them): download them now.
    void changes_heard();
    // The listener's long poll is open now (push on and the hub reachable).
    bool listening() const { return listener_ && listener_->asking(); }
    // Sends at once, even while backing off (a kiosk closing down makes one last try), and
    // waits until the outbox is empty (true) or `within` passed (false).
    bool flush(std::chrono::milliseconds within);

    SyncStatus status() const { return board_.read(); }
    // Waits until `holds` is true of the status (true), or `within` passed (false): for
    // callers that must know a state was reached, e.g. a request in flight.
    bool wait_until(const std::function<bool(const SyncStatus&)>& holds, std::chrono::milliseconds within) const;
    // Goes up each time downloaded changes were applied.
    std::uint64_t changes_generation() const { return board_.generation(); }

private:
    void run(std::stop_token stop);

    SyncSettings settings_;
    log::Logger* log_;
    std::unique_ptr<HubLink> link_;  // the sync thread's alone once started
    SyncStatusBoard board_;
    std::atomic<bool> flush_now_{false};  // flush(): try now, backoff or not
    std::atomic<bool> download_now_{false};  // changes_heard(): download in this pass, poll due or not
    std::atomic<std::int64_t> cursor_{0};  // the stored cursor, for the listener (the store is the sync thread's)
    std::unique_ptr<ChangeListener> listener_;  // null with push off
    Worker worker_;  // last: stopped before the members its loop uses go
};

}  // namespace muster::kiosk
