#include "change_watcher.hpp"

#include <exception>

namespace muster::server {

ChangeWatcher::ChangeWatcher(ChangeFeed& feed, Read read, std::chrono::milliseconds interval, log::Logger& log)
    : feed_(feed), read_(std::move(read)), interval_(interval), log_(log), thread_([this] { run(); }) {}

ChangeWatcher::~ChangeWatcher() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void ChangeWatcher::run() {
    bool failing = false;
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
        lock.unlock();
        try {
            feed_.publish(read_());
            if (failing) log_.info("change_watch_recovered", {});
            failing = false;
        } catch (const std::exception& e) {
            // A busy or locked database: try again next interval, and say so once.
            if (!failing) log_.warn("change_watch_failed", {{"error", e.what()}});
            failing = true;
        }
        lock.lock();
    }
}

}  // namespace muster::server
