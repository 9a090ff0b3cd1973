// systemd's readiness protocol (sync-server/server/systemd_notify.cpp): datagrams to
// $NOTIFY_SOCKET, a path or an abstract '@' socket, and the real server sending READY=1 once
// it listens and STOPPING=1 when SIGTERM starts its stop (the package's Type=notify unit,
// docs/install.md).
#include "sync_fixture.hpp"
#include "systemd_notify.hpp"

#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <string>

using namespace muster;
using namespace muster::test;

namespace {

// The listening end systemd would hold: a datagram socket bound to `name` ('@' first:
// abstract), receiving with a time limit.
class NotifySocket {
public:
    explicit NotifySocket(const std::string& name) : name_(name) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd_ >= 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::memcpy(address.sun_path, name.data(), name.size());
        if (name[0] == '@') address.sun_path[0] = '\0';
        auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) == 0);
        timeval limit{15, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
    }
    ~NotifySocket() {
        ::unsetenv("NOTIFY_SOCKET");
        ::close(fd_);
        if (name_[0] == '/') ::unlink(name_.c_str());
    }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;
    // The next message, or nullopt after the time limit.
    std::optional<std::string> receive() {
        char buffer[4096];
        ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n < 0) return std::nullopt;
        return std::string(buffer, static_cast<std::size_t>(n));
    }

private:
    std::string name_;
    int fd_ = -1;
};

std::string unique_abstract_name() {
    std::random_device rd;
    return "@muster-notify-test-" + std::to_string(rd()) + std::to_string(rd());
}

}  // namespace

TEST_CASE("systemd_notify sends its state to a NOTIFY_SOCKET path", "[server][systemd]") {
    TempDir dir;
    NotifySocket socket(dir.file("notify"));
    REQUIRE(server::systemd_notify("READY=1"));
    CHECK(socket.receive() == std::optional<std::string>("READY=1"));
}

TEST_CASE("systemd_notify reaches an abstract socket named with a leading at sign", "[server][systemd]") {
    NotifySocket socket(unique_abstract_name());
    REQUIRE(server::systemd_notify("STOPPING=1"));
    CHECK(socket.receive() == std::optional<std::string>("STOPPING=1"));
}

TEST_CASE("systemd_notify does nothing without NOTIFY_SOCKET or with an unusable one", "[server][systemd]") {
    ::unsetenv("NOTIFY_SOCKET");
    CHECK_FALSE(server::systemd_notify("READY=1"));
    ::setenv("NOTIFY_SOCKET", "relative/path", 1);
    CHECK_FALSE(server::systemd_notify("READY=1"));
    ::setenv("NOTIFY_SOCKET", "/nonexistent/muster-notify", 1);
    CHECK_FALSE(server::systemd_notify("READY=1"));
    ::unsetenv("NOTIFY_SOCKET");
}

TEST_CASE("The server sends READY=1 once it answers and STOPPING=1 on SIGTERM", "[server][systemd]") {
    SyncHub hub;
    NotifySocket socket(unique_abstract_name());
    // The child inherits NOTIFY_SOCKET, as under a Type=notify unit.
    ServerProcess server(hub.config(), hub.log());
    auto ready = socket.receive();
    REQUIRE(ready == std::optional<std::string>("READY=1"));
    CHECK(http_request(server.port(), "GET", "/v1/health").status == 200);
    server.terminate();
    CHECK(socket.receive() == std::optional<std::string>("STOPPING=1"));
    CHECK(server.wait(std::chrono::seconds(15)) == 0);
}
