#pragma once
// Polls `condition` until it holds or `timeout` passes; true if it held. For states another
// process reaches (a server's log line, a count in its database, a stand-in's counts) that
// cannot be awaited directly.
#include <chrono>
#include <thread>

namespace muster::test {

template <class Condition>
bool wait_until(Condition condition, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

}  // namespace muster::test
