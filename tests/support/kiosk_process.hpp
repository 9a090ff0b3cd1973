#pragma once
// A headless muster-kiosk as a child process: write scanner lines to its stdin, read its
// JSON lines from stdout (with a deadline: a test fails, never hangs), kill it like a
// pulled plug. stderr goes to a file for the test to read.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace muster::test {

class KioskProcess {
public:
    enum class Mode { headless, window };
    KioskProcess(const std::string& config, const std::string& stderr_file, std::vector<std::string> extra_args = {},
                 std::vector<std::pair<std::string, std::string>> env = {}, Mode mode = Mode::headless);
    ~KioskProcess();
    KioskProcess(const KioskProcess&) = delete;
    KioskProcess& operator=(const KioskProcess&) = delete;

    void send(const std::string& line);  // adds the newline
    void close_stdin();
    std::optional<std::string> read_line(std::chrono::milliseconds timeout);
    void kill_hard();                     // SIGKILL, then reaps
    void terminate();                     // SIGTERM: a clean stop
    int wait(std::chrono::milliseconds timeout);  // exit code; -1 if killed by a signal / timed out
    pid_t pid() const { return pid_; }

    static std::string binary();  // the muster-kiosk built next to the tests

private:
    pid_t pid_ = -1;
    int in_ = -1;
    int out_ = -1;
    std::string buffer_;
    bool reaped_ = false;
};

}  // namespace muster::test
