#pragma once
// Where the hub's sync server listens and the address devices are given for it
// (sync-server.toml's server.listen, server.port and server.public_url). A kiosk on another
// machine must reach public_url, so it is never `localhost` unless the server listens on
// loopback only (the demo: one machine), and the TLS certificate must name its host.
#include <filesystem>
#include <string>
#include <vector>

namespace muster::admin {

// "hub.local, 192.168.1.20" -> {"hub.local", "192.168.1.20"}; spaces dropped, empties skipped.
std::vector<std::string> split_hosts(const std::string& list);

// 127.0.0.0/8, ::1 or localhost: the server is reachable from this machine only.
bool is_loopback_listen(const std::string& listen);
// 0.0.0.0 or :: : every address of this machine.
bool is_all_addresses(const std::string& listen);
// A listen address the server can bind: an IPv4 or IPv6 address, or localhost.
bool is_listen_address(const std::string& listen);

struct PublicAddress {
    std::string host;  // the host in public_url
    std::string url;   // "https://host:port"
    std::string note;  // one sentence for the staff member: why this host, what it needs
};

// The public_url for a server listening on `listen`:`port`:
//  - loopback only: localhost (this machine only);
//  - every address: the first of `hosts`, else `machine_name` + ".local" (mDNS), never
//    localhost; a UsageError when there is neither;
//  - one address: the first of `hosts`, else that address.
PublicAddress choose_public_address(const std::string& listen, int port, const std::vector<std::string>& hosts,
                                    const std::string& machine_name);

// This machine's host name (gethostname), "" when it has none.
std::string machine_host_name();

struct ServerUrl {
    std::string scheme;  // "https"
    std::string host;    // without brackets
    int port = 0;        // 0 when the URL names none
};
// "https://hub.local:8443/" -> {https, hub.local, 8443}; nullopt-like empty scheme when it
// is not a URL of that shape.
ServerUrl parse_server_url(const std::string& url);
std::string format_server_url(const std::string& scheme, const std::string& host, int port);

// Replaces server.public_url in the server file `toml_text` (the line, keeping the comment
// after it), or adds it to the [server] table, or adds the table. Other lines are untouched.
std::string with_public_url(const std::string& toml_text, const std::string& url);

}  // namespace muster::admin
