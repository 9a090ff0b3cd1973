#pragma once
// Watches the hub database's change clock for changes made by another process (the `muster`
// admin tool: a roster import, an enrolment, a revoked badge) and publishes them to the
// server's ChangeFeed. The server's own writes publish at once; this catches the rest within
// one interval. Its own thread and its own read-only look at the clock (`read`).
//
// On PostgreSQL several server processes share the database, and a change any of them
// commits is announced on channel muster_change: given a `listen`, the watcher waits on that
// between its reads and publishes what it hears at once (PgChangeListener); the interval
// reads stay as the fallback while the listening connection is down.
#include "change_feed.hpp"
#include "muster/log/logger.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace muster::server {

class ChangeWatcher {
public:
    using Read = std::function<std::int64_t()>;  // the change clock now; may throw
    // Waits at most the given time for an announced clock value (PgChangeListener::wait);
    // listening = false when it cannot listen now and returned at once. Empty: reads only.
    struct Heard {
        bool listening = false;
        std::optional<std::int64_t> change;
    };
    using Listen = std::function<Heard(std::chrono::milliseconds)>;
    ChangeWatcher(ChangeFeed& feed, Read read, std::chrono::milliseconds interval, log::Logger& log,
                  Listen listen = {});
    ~ChangeWatcher();  // stops and joins
    ChangeWatcher(const ChangeWatcher&) = delete;
    ChangeWatcher& operator=(const ChangeWatcher&) = delete;

private:
    void run();
    void read_and_publish(bool& failing);

    ChangeFeed& feed_;
    Read read_;
    Listen listen_;
    std::chrono::milliseconds interval_;
    log::Logger& log_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;  // last: started once the rest is ready
};

}  // namespace muster::server
