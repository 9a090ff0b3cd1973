#include "change_watcher.hpp"

#include <algorithm>
#include <exception>

namespace muster::server {
namespace {
// With a listener the thread is in poll(), not on the condition variable: it looks at
// stopping_ this often, so a server stops within it.
constexpr std::chrono::milliseconds listen_slice{100};
}  // namespace

ChangeWatcher::ChangeWatcher(ChangeFeed& feed, Read read, std::chrono::milliseconds interval, log::Logger& log,
                             Listen listen)
    : feed_(feed), read_(std::move(read)), listen_(std::move(listen)), interval_(interval), log_(log),
      thread_([this] { run(); }) {}

ChangeWatcher::~ChangeWatcher() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void ChangeWatcher::read_and_publish(bool& failing) {
    try {
        feed_.publish(read_());
        if (failing) log_.info("change_watch_recovered", {});
        failing = false;
    } catch (const std::exception& e) {
        // A busy or locked database: try again next interval, and say so once.
        if (!failing) log_.warn("change_watch_failed", {{"error", e.what()}});
        failing = true;
    }
}

void ChangeWatcher::run() {
    bool failing = false;
    using clock = std::chrono::steady_clock;
    auto next_read = clock::now() + interval_;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        auto now = clock::now();
        if (now >= next_read) {
            lock.unlock();
            read_and_publish(failing);
            lock.lock();
            next_read = clock::now() + interval_;
            continue;
        }
        auto until_read = std::chrono::duration_cast<std::chrono::milliseconds>(next_read - now) + std::chrono::milliseconds(1);
        if (listen_) {
            lock.unlock();
            Heard heard;
            try {
                heard = listen_(std::min(until_read, listen_slice));
            } catch (const std::exception& e) {
                log_.warn("change_listen_failed", {{"error", e.what()}});
            }
            if (heard.change) feed_.publish(*heard.change);
            lock.lock();
            if (heard.listening) continue;
            // Not listening (connection down): wait for the next read as without a listener.
        }
        wake_.wait_until(lock, next_read, [this] { return stopping_; });
    }
}

}  // namespace muster::server
