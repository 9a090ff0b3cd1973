#pragma once
// Which of the device's server URLs it uses now ([server] url as a list: the same hub's
// server processes on one database). One is shared by the sync thread's connection and the
// change listener's, so both stick to the server that last answered, and whichever of them
// finds it gone moves the other along: the listener's next long poll goes where the sync
// thread's uploads went, and the other way round.
#include <atomic>
#include <cstddef>
#include <functional>
#include <utility>

namespace muster::kiosk {

class ServerChoice {
public:
    explicit ServerChoice(std::size_t count) : count_(count) {}

    std::size_t count() const { return count_; }
    // The index (in server.url, from 0) the next request tries first.
    std::size_t current() const { return current_.load(); }
    // A server answered (any reply that is not a reason to fail over): it is the one used
    // from now on. Calls the hook, on this thread, when that is a change.
    void answered(std::size_t index) {
        auto from = current_.exchange(index);
        if (from != index && hook_) hook_(from, index);
    }
    // Set before any request is made (the hook is read without a lock).
    void on_switch(std::function<void(std::size_t from, std::size_t to)> hook) { hook_ = std::move(hook); }

private:
    std::size_t count_;
    std::atomic<std::size_t> current_{0};
    std::function<void(std::size_t, std::size_t)> hook_;
};

}  // namespace muster::kiosk
