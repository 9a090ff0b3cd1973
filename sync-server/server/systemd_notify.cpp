#include "systemd_notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

namespace muster::server {

bool systemd_notify(std::string_view state) {
    const char* env = std::getenv("NOTIFY_SOCKET");
    if (!env || !*env) return false;
    std::string path = env;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    // A path, or '@name' for the abstract namespace (a leading NUL byte, not counted as text).
    if ((path[0] != '/' && path[0] != '@') || path.size() >= sizeof address.sun_path) return false;
    std::memcpy(address.sun_path, path.data(), path.size());
    if (path[0] == '@') address.sun_path[0] = '\0';
    auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size());
    int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    ssize_t sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&address), length);
    ::close(fd);
    return sent == static_cast<ssize_t>(state.size());
}

}  // namespace muster::server
