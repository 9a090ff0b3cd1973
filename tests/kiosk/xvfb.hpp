#pragma once
// A private X server (Xvfb) for tests that open the kiosk's real window. Xvfb picks a free
// display itself (-displayfd) and writes its number once it accepts connections: checking
// for a free number first and starting Xvfb after is a race when test programs run in
// parallel (two take the same number; the loser's socket check sees the winner's socket).
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>

namespace muster::test {

class Xvfb {
public:
    Xvfb() {
        int fds[2];
        if (::pipe(fds) != 0) throw std::runtime_error("could not start Xvfb: pipe failed");
        pid_ = ::fork();
        if (pid_ == 0) {
            ::close(fds[0]);
            auto fd = std::to_string(fds[1]);
            ::execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp", nullptr);
            ::_exit(127);
        }
        ::close(fds[1]);
        // Xvfb writes "N\n" when ready, or closes the pipe by exiting; 20 s covers a loaded machine.
        std::string number;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (number.empty() || number.back() != '\n') {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            pollfd p{fds[0], POLLIN, 0};
            if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
            char c;
            if (::read(fds[0], &c, 1) != 1) break;
            number += c;
        }
        ::close(fds[0]);
        if (number.empty() || number.back() != '\n') {
            stop();
            throw std::runtime_error("could not start Xvfb (package xvfb)");
        }
        number.pop_back();
        display_ = ":" + number;
    }
    ~Xvfb() { stop(); }
    Xvfb(const Xvfb&) = delete;
    Xvfb& operator=(const Xvfb&) = delete;
    const std::string& display() const { return display_; }

private:
    void stop() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
            pid_ = -1;
        }
    }
    std::string display_;
    pid_t pid_ = -1;
};

}  // namespace muster::test
