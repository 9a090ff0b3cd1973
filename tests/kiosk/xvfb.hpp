#pragma once
// A private X server (Xvfb) for tests that open the kiosk's real window. Picks a free
// display number, waits for its socket, and stops it afterwards.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

namespace muster::test {

class Xvfb {
public:
    Xvfb() {
        for (int n = 90 + static_cast<int>(::getpid() % 100); n < 400; ++n) {
            if (std::filesystem::exists("/tmp/.X11-unix/X" + std::to_string(n)) ||
                std::filesystem::exists("/tmp/.X" + std::to_string(n) + "-lock"))
                continue;
            display_ = ":" + std::to_string(n);
            pid_ = ::fork();
            if (pid_ == 0) {
                ::execlp("Xvfb", "Xvfb", display_.c_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp", nullptr);
                ::_exit(127);
            }
            auto socket = "/tmp/.X11-unix/X" + std::to_string(n);
            for (int i = 0; i < 200 && !std::filesystem::exists(socket); ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(25));
            if (std::filesystem::exists(socket)) return;
            stop();
        }
        throw std::runtime_error("could not start Xvfb (package xvfb)");
    }
    ~Xvfb() { stop(); }
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
