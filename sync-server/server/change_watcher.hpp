#pragma once
// Watches the hub database's change clock for changes made by another process (the `muster`
// admin tool: a roster import, an enrolment, a revoked badge) and publishes them to the
// server's ChangeFeed. The server's own writes publish at once; this catches the rest within
// one interval. Its own thread and its own read-only look at the clock (`read`).
#include "change_feed.hpp"
#include "muster/log/logger.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace muster::server {

class ChangeWatcher {
public:
    using Read = std::function<std::int64_t()>;  // the change clock now; may throw
    ChangeWatcher(ChangeFeed& feed, Read read, std::chrono::milliseconds interval, log::Logger& log);
    ~ChangeWatcher();  // stops and joins
    ChangeWatcher(const ChangeWatcher&) = delete;
    ChangeWatcher& operator=(const ChangeWatcher&) = delete;

private:
    void run();

    ChangeFeed& feed_;
    Read read_;
    std::chrono::milliseconds interval_;
    log::Logger& log_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;  // last: started once the rest is ready
};

}  // namespace muster::server
