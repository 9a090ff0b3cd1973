#pragma once
// Hears the hub's changes as they happen (docs/kiosk.md, "Sync"): one long poll
// (GET /v1/changes?since=N&wait_ms=W, docs/api.md) kept open on its own connection and its
// own thread, so it never delays an upload. It applies nothing: when the hub answers with
// something for this device it calls `heard`, and the sync thread downloads at once (it
// stays the one writer of the device's database).
// The poll interval stays the fallback: a server that predates long polls answers at once
// with nothing (same cursor, well before the wait), and then this asks only once a poll
// interval; a failed ask backs off like the sync thread does.
// With several server URLs it shares the sync thread's ServerChoice: it asks the server the
// sync thread last reached, and fails over the same way (a long poll held by a server that
// dies ends at once, and the next one goes to the next server).
#include "backoff.hpp"
#include "hub_connection.hpp"
#include "sync_settings.hpp"

#include "muster/log/logger.hpp"
#include "muster/util/worker.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>

namespace muster::kiosk {

class ChangeListener {
public:
    using Cursor = std::function<std::int64_t()>;  // the device's cursor, as the sync thread last stored it
    // Throws like HubConnection (the device's secret, the server's url). servers: the sync
    // thread's choice of server (null: one of its own).
    ChangeListener(const SyncSettings& settings, HubConnection::WallClock clock, std::int64_t clock_offset_ms,
                   Cursor cursor, std::function<void()> heard, log::Logger* logger = nullptr,
                   std::shared_ptr<ServerChoice> servers = nullptr);
    ~ChangeListener();
    ChangeListener(const ChangeListener&) = delete;
    ChangeListener& operator=(const ChangeListener&) = delete;

    void start();
    // Cancels the long poll in flight and joins the thread: returns at once, not after the wait.
    void stop();
    // A long poll is on the network now (for tests and the bench: the push is armed).
    bool asking() const { return asking_; }
    // Answers that carried something for the device, so far.
    std::uint64_t heard_count() const { return heard_count_; }

private:
    void run(std::stop_token stop);
    std::string target(std::int64_t since) const;

    SyncSettings settings_;
    Cursor cursor_;
    std::function<void()> heard_;
    log::Logger* log_;
    HubConnection hub_;
    Backoff backoff_;
    std::atomic<bool> asking_{false};
    std::atomic<std::uint64_t> heard_count_{0};
    Worker worker_;  // last: stopped before the members its loop uses go
};

}  // namespace muster::kiosk
