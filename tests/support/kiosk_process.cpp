#include "kiosk_process.hpp"

#include "child_exit.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace muster::test {

std::string KioskProcess::binary() { return std::string(MUSTER_BINARY_DIR) + "/kiosk/app/muster-kiosk"; }

KioskProcess::KioskProcess(const std::string& config, const std::string& stderr_file, std::vector<std::string> extra_args,
                           std::vector<std::pair<std::string, std::string>> env, Mode mode) {
    int in_pipe[2], out_pipe[2];
    if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    std::vector<std::string> args = {binary(), "--config", config};
    if (mode == Mode::headless) args.push_back("--headless");
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(in_pipe[0], 0);
        ::dup2(out_pipe[1], 1);
        int err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (err >= 0) ::dup2(err, 2);
        for (auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    in_ = in_pipe[1];
    out_ = out_pipe[0];
    ::signal(SIGPIPE, SIG_IGN);
}

KioskProcess::~KioskProcess() {
    if (!reaped_) kill_hard();
    if (in_ >= 0) ::close(in_);
    if (out_ >= 0) ::close(out_);
}

void KioskProcess::send(const std::string& line) {
    std::string data = line + "\n";
    std::size_t off = 0;
    while (off < data.size()) {
        ssize_t n = ::write(in_, data.data() + off, data.size() - off);
        if (n <= 0) throw std::runtime_error("kiosk stdin closed");
        off += static_cast<std::size_t>(n);
    }
}

void KioskProcess::close_stdin() {
    if (in_ >= 0) ::close(in_);
    in_ = -1;
}

std::optional<std::string> KioskProcess::read_line(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
            std::string line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            return line;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd p{out_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
        char buf[4096];
        ssize_t n = ::read(out_, buf, sizeof buf);
        if (n <= 0) return std::nullopt;  // the kiosk closed stdout (exited)
        buffer_.append(buf, static_cast<std::size_t>(n));
    }
}

void KioskProcess::kill_hard() {
    if (reaped_ || pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
}

void KioskProcess::terminate() {
    if (!reaped_ && pid_ > 0) ::kill(pid_, SIGTERM);
}

int KioskProcess::wait(std::chrono::milliseconds timeout) {
    if (reaped_) return -1;
    if (auto code = wait_for_exit(pid_, timeout)) {
        reaped_ = true;
        return *code;
    }
    kill_hard();
    return -1;
}

}  // namespace muster::test
