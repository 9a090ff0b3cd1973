#pragma once
// Waiting for a child process the tests started (a kiosk, the server) to exit.
#include <chrono>
#include <optional>
#include <thread>

#include <sys/types.h>
#include <sys/wait.h>

namespace muster::test {

// The child's exit code (-1 when a signal ended it), or nullopt if it is still running
// after `timeout`. Reaps it when it has exited.
inline std::optional<int> wait_for_exit(pid_t pid, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace muster::test
