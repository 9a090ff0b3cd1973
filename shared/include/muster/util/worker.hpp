#pragma once
// The one worker-thread pattern for every background loop (camera, NFC, keyboard wedge,
// scripted input, sync client, sound player): a std::jthread whose stop_token ends the loop,
// and a wake-up the loop sleeps on, so stop() and nudges take effect at once instead of at
// the end of a poll interval. The loop body owns its own state; Worker owns only the thread.
//
//   worker_.start([this](std::stop_token stop) {
//       while (!stop.stop_requested()) {
//           do_one_round();
//           worker_.sleep_for(stop, 2s);   // returns early on wake() or stop()
//       }
//   });
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>
#include <utility>

namespace muster {

class Worker {
public:
    Worker() = default;
    ~Worker() { stop(); }
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    // Starts the loop on a new thread; a no-op while one is running.
    void start(std::function<void(std::stop_token)> body) {
        if (thread_.joinable()) return;
        {
            std::lock_guard lock(mutex_);
            woken_ = false;
        }
        thread_ = std::jthread(std::move(body));
    }

    // Asks the loop to end, wakes it, and waits for it. Safe to call twice, or never started.
    // Never call it from the loop itself.
    void stop() {
        if (!thread_.joinable()) return;
        thread_.request_stop();
        wake_.notify_all();
        thread_.join();
        thread_ = std::jthread();
    }

    bool running() const noexcept { return thread_.joinable(); }

    // Cuts the loop's current sleep_for short (a nudge: new work has arrived).
    void wake() {
        {
            std::lock_guard lock(mutex_);
            woken_ = true;
        }
        wake_.notify_all();
    }

    // From the loop: sleeps until `timeout` passes, wake() is called, or stop is requested.
    // Returns false when stop was requested. A wake() that came while the loop was busy is
    // not lost: the next sleep_for returns at once.
    bool sleep_for(std::stop_token stop, std::chrono::steady_clock::duration timeout) {
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, stop, timeout, [this] { return woken_; });
        woken_ = false;
        return !stop.stop_requested();
    }

private:
    std::mutex mutex_;
    std::condition_variable_any wake_;
    bool woken_ = false;
    std::jthread thread_;  // last: joined (by stop()) before the members it uses go
};

}  // namespace muster
