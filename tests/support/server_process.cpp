#include "server_process.hpp"

#include "child_exit.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace muster::test {

std::string ServerProcess::binary() { return std::string(MUSTER_BINARY_DIR) + "/sync-server/server/muster-sync-server"; }

std::string read_text_file(const std::string& path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

pid_t spawn_with_stderr(std::vector<std::string> args, const std::string& stderr_file, bool append) {
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        int err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0644);
        if (err >= 0) ::dup2(err, 2);
        int null = ::open("/dev/null", O_RDWR);
        if (null >= 0) ::dup2(null, 0), ::dup2(null, 1);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    return pid;
}

ServerProcess::ServerProcess(const std::string& config, const std::string& log_file, bool plain_http,
                             unsigned short port, std::vector<std::string> extra_args) {
    std::size_t log_start = read_text_file(log_file).size();  // a restarted server appends
    std::vector<std::string> args = {binary(), "--config", config, "--listen", "127.0.0.1", "--port", std::to_string(port)};
    if (plain_http) args.push_back("--plain-http");
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    pid_ = spawn_with_stderr(std::move(args), log_file, /*append=*/true);
    ::signal(SIGPIPE, SIG_IGN);
    // The server reports the port it bound in its "listening" log line. (No std::regex:
    // GCC 12 warns inside <regex> at -O1 with the sanitizers, and warnings are errors.)
    auto listening_port = [](const std::string& text) -> std::optional<unsigned short> {
        auto at = text.find("\"event\":\"listening\"");
        if (at == std::string::npos) return std::nullopt;
        auto field = text.find("\"port\":", at);
        auto end = text.find('\n', at);
        if (field == std::string::npos || (end != std::string::npos && field > end)) return std::nullopt;
        return static_cast<unsigned short>(std::stoi(text.substr(field + 7)));
    };
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        std::string log = read_text_file(log_file);
        std::string fresh = log.size() > log_start ? log.substr(log_start) : "";
        if (auto p = listening_port(fresh)) {
            port_ = *p;
            return;
        }
        if (!running()) throw std::runtime_error("muster-sync-server exited at start: " + fresh);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill_hard();
    throw std::runtime_error("muster-sync-server did not start listening within 20 s");
}

ServerProcess::~ServerProcess() {
    if (!reaped_) kill_hard();
}

bool ServerProcess::running() {
    if (reaped_) return false;
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        reaped_ = true;
        return false;
    }
    return true;
}

void ServerProcess::kill_hard() {
    if (reaped_) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
}

void ServerProcess::terminate() {
    if (!reaped_) ::kill(pid_, SIGTERM);
}

int ServerProcess::wait(std::chrono::milliseconds timeout) {
    if (reaped_) return -1;
    auto code = wait_for_exit(pid_, timeout);
    if (code) reaped_ = true;
    return code.value_or(-1);
}

std::size_t ServerProcess::resident_kib() const {
    std::ifstream f("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6));
    return 0;
}

}  // namespace muster::test
