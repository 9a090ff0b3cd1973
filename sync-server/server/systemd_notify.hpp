#pragma once
// systemd's readiness protocol (sd_notify(3)), for a server started by a unit with
// Type=notify (device-config/systemd/muster-sync-server.service): one datagram such as
// "READY=1" to the AF_UNIX socket named by $NOTIFY_SOCKET ('@' first: an abstract socket).
// Written here rather than linking libsystemd: the protocol is one sendto(), and the hub
// package then needs no libsystemd0 beyond what systemd itself brings (docs/install.md).
#include <string_view>

namespace muster::server {

// Sends `state` (e.g. "READY=1", "STOPPING=1") to $NOTIFY_SOCKET. Without the variable (not
// started by systemd, or a unit that is not Type=notify) it does nothing and returns false;
// a socket that cannot be reached also returns false (the caller logs it, never fails on it).
bool systemd_notify(std::string_view state);

}  // namespace muster::server
