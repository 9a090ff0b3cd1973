#pragma once
// A real muster-sync-server as a child process on 127.0.0.1 with a free port: started from
// a hub's sync-server.toml, stopped with SIGTERM (graceful) or SIGKILL (a pulled plug).
// Its JSON log lines go to a file the test can read.
#include <chrono>
#include <string>
#include <vector>

#include <sys/types.h>

namespace muster::test {

class ServerProcess {
public:
    // plain_http: no TLS (allowed on loopback only); otherwise the hub's certificate.
    // port 0 picks a free port; a fixed port lets a restarted server keep the kiosks' URL.
    ServerProcess(const std::string& config, const std::string& log_file, bool plain_http = true, unsigned short port = 0,
                  std::vector<std::string> extra_args = {});
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    unsigned short port() const { return port_; }
    pid_t pid() const { return pid_; }
    void kill_hard();                               // SIGKILL, then reaps
    void terminate();                               // SIGTERM
    int wait(std::chrono::milliseconds timeout);    // exit code; -1 if killed / timed out
    bool running();
    std::size_t resident_kib() const;               // VmRSS from /proc

    static std::string binary();

private:
    pid_t pid_ = -1;
    unsigned short port_ = 0;
    bool reaped_ = false;
};

// Starts `args` (args[0] a program path) with stdin and stdout on /dev/null and stderr into
// `stderr_file` (appended to, or truncated); returns the child's pid.
pid_t spawn_with_stderr(std::vector<std::string> args, const std::string& stderr_file, bool append);

// Reads the whole file (a server log) as text.
std::string read_text_file(const std::string& path);

}  // namespace muster::test
