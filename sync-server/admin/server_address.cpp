#include "server_address.hpp"

#include "server_file_edit.hpp"

#include "cli_args.hpp"

#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <sstream>

namespace muster::admin {
namespace {

bool is_ipv4(const std::string& s) {
    in_addr a{};
    return ::inet_pton(AF_INET, s.c_str(), &a) == 1;
}

bool is_ipv6(const std::string& s) {
    in6_addr a{};
    return ::inet_pton(AF_INET6, s.c_str(), &a) == 1;
}

// A DNS name or an IPv4 address: what the certificate and a device file can carry. IPv6
// literals are left out (the certificate writer takes IPv4 only); a venue gives a name or
// an IPv4 address.
void check_host(const std::string& host) {
    bool ok = !host.empty() && host.size() <= 253 && host.front() != '-' && host.front() != '.' &&
              std::all_of(host.begin(), host.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.'; });
    if (!ok)
        throw UsageError("--host: '" + host + "' is not a host name or IPv4 address (e.g. hub.local or 192.168.1.20)");
    if (host == "localhost" || host.rfind("127.", 0) == 0)
        throw UsageError("--host: " + host + " is this machine only; devices on other machines cannot reach it. "
                         "Give the name or address they use (e.g. hub.local or 192.168.1.20)");
}

}  // namespace

std::vector<std::string> split_hosts(const std::string& list) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : list + ",") {
        if (c == ',') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else if (c != ' ') {
            cur += c;
        }
    }
    for (const auto& h : out) check_host(h);
    return out;
}

bool is_loopback_listen(const std::string& l) { return l == "localhost" || l == "::1" || (is_ipv4(l) && l.rfind("127.", 0) == 0); }
bool is_all_addresses(const std::string& l) { return l == "0.0.0.0" || l == "::" || l == "[::]"; }
bool is_listen_address(const std::string& l) { return l == "localhost" || is_ipv4(l) || is_ipv6(l); }

PublicAddress choose_public_address(const std::string& listen, int port, const std::vector<std::string>& hosts,
                                    const std::string& machine_name) {
    PublicAddress out;
    if (is_loopback_listen(listen)) {
        out.host = "localhost";
        out.note = "the server listens on " + listen +
                   ": it serves this machine only (devices on other machines cannot reach it; use --listen 0.0.0.0 for a venue)";
        if (!hosts.empty()) out.note += "; --host " + hosts.front() + " is in the certificate for when it does";
    } else if (!hosts.empty()) {
        out.host = hosts.front();
        out.note = "devices on other machines reach the server as " + out.host;
        if (!is_ipv4(out.host) && out.host.size() > 6 && out.host.substr(out.host.size() - 6) == ".local")
            out.note += " (a .local name needs mDNS: avahi-daemon on this machine, mDNS on the devices' machines; "
                        "see the README, \"On a venue network\")";
    } else if (is_all_addresses(listen)) {
        std::string name = machine_name;
        if (name.empty() || name == "localhost" || name.rfind("localhost.", 0) == 0)
            throw UsageError("this machine has no host name devices could use; give --host NAME or --host IP-ADDRESS "
                             "(e.g. --host 192.168.1.20)");
        check_host(name);
        out.host = name.find('.') == std::string::npos ? name + ".local" : name;
        out.note = "no --host given: devices are told " + out.host +
                   ", this machine's name on the local network. That needs mDNS (avahi-daemon on this machine, "
                   "mDNS on the devices' machines; many venue Wi-Fi networks block it): if devices cannot find it, "
                   "run `muster server cert --host <this machine's IP address>` (README, \"On a venue network\")";
    } else {
        if (!is_ipv4(listen))
            throw UsageError("--listen " + listen + ": give --host with the name or IPv4 address devices should use");
        out.host = listen;
        out.note = "devices reach the server at " + listen + ", the one address it listens on";
    }
    out.url = format_server_url("https", out.host, port);
    return out;
}

std::string machine_host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "";
    std::string s(name);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

ServerUrl parse_server_url(const std::string& url) {
    ServerUrl out;
    auto sep = url.find("://");
    if (sep == std::string::npos || sep == 0) return {};
    std::string rest = url.substr(sep + 3);
    rest = rest.substr(0, rest.find('/'));
    std::string port_text;
    if (!rest.empty() && rest.front() == '[') {
        auto close = rest.find(']');
        if (close == std::string::npos) return {};
        out.host = rest.substr(1, close - 1);
        if (close + 1 < rest.size() && rest[close + 1] == ':') port_text = rest.substr(close + 2);
    } else if (auto colon = rest.rfind(':'); colon != std::string::npos) {
        out.host = rest.substr(0, colon);
        port_text = rest.substr(colon + 1);
    } else {
        out.host = rest;
    }
    if (!port_text.empty()) {
        auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), out.port);
        if (ec != std::errc() || p != port_text.data() + port_text.size()) return {};
    }
    if (out.host.empty()) return {};
    out.scheme = url.substr(0, sep);
    return out;
}

std::string format_server_url(const std::string& scheme, const std::string& host, int port) {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return scheme + "://" + h + (port > 0 ? ":" + std::to_string(port) : "");
}

std::string with_public_url(const std::string& text, const std::string& url) {
    return with_toml_string(text, "server", "public_url", url);
}

}  // namespace muster::admin
