// [central] and [[central.target]] from the server's file (muster/central/target_config.hpp).
#include "muster/central/target_config.hpp"

#include "muster/config/toml_file.hpp"

#include <arpa/inet.h>
#include <sys/stat.h>

#include <set>

namespace muster::central {
namespace {

std::optional<AuthKind> auth_of(std::string_view s) {
    if (s == "none") return AuthKind::none;
    if (s == "bearer") return AuthKind::bearer;
    if (s == "hmac") return AuthKind::hmac;
    return std::nullopt;
}

// A file the toml names that must exist (a CA, a mapping).
std::filesystem::path existing_file(const config::TomlFile& f, const std::string& field) {
    auto p = f.path(field);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(p, ec)) f.fail(field, p.string() + " does not exist");
    return p;
}

void read_https(const config::TomlFile& f, const std::string& at, TargetConfig& t) {
    t.url = f.text(at + "url", std::nullopt);
    auto url = parse_target_url(t.url);
    if (!url || url->host.empty()) f.fail(at + "url", "must be an https:// URL");
    if (!url->tls && !is_loopback_host(url->host))
        f.fail(at + "url", "must be https:// (http:// is only allowed to 127.0.0.1 or [::1], for tests)");
    if (f.has(at + "ca_file")) t.ca_file = existing_file(f, at + "ca_file");
    auto auth = f.text(at + "auth", "none");
    auto kind = auth_of(auth);
    if (!kind) f.fail(at + "auth", "must be bearer, hmac or none");
    t.auth = *kind;
    if (t.auth != AuthKind::none) {
        auto secret = existing_file(f, at + "secret_file");
        struct stat st {};
        if (::stat(secret.c_str(), &st) != 0) f.fail(at + "secret_file", "cannot read " + secret.string());
        if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
            f.fail(at + "secret_file", secret.string() + " is readable by others: chmod 600 it");
        t.secret_file = secret;
    } else if (f.has(at + "secret_file")) {
        f.fail(at + "secret_file", "given with auth = \"none\": say auth = \"bearer\" or \"hmac\"");
    }
    if (f.has(at + "mapping")) t.mapping = existing_file(f, at + "mapping");
    auto rate = f.number(at + "requests_per_s").value_or(t.requests_per_s);
    if (!(rate >= 0 && rate <= 10'000)) f.fail(at + "requests_per_s", "must be between 0 (no limit) and 10000");
    t.requests_per_s = rate;
    t.timeout_ms = static_cast<int>(f.integer_between(at + "timeout_ms", t.timeout_ms, 100, 600'000));
    t.backoff_initial_ms =
        static_cast<int>(f.integer_between(at + "backoff_initial_ms", t.backoff_initial_ms, 1, 3'600'000));
    t.backoff_max_ms =
        static_cast<int>(f.integer_between(at + "backoff_max_ms", t.backoff_max_ms, t.backoff_initial_ms, 86'400'000));
}

}  // namespace

bool is_loopback_host(std::string_view host) {
    std::string h(host);
    in_addr v4{};
    if (::inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    return ::inet_pton(AF_INET6, h.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

std::optional<TargetUrl> parse_target_url(std::string_view url) {
    TargetUrl out;
    if (url.starts_with("https://")) url.remove_prefix(8);
    else if (url.starts_with("http://")) url.remove_prefix(7), out.tls = false;
    else return std::nullopt;
    auto slash = url.find_first_of("/?#");
    std::string_view authority = url.substr(0, slash);
    std::string_view rest = slash == std::string_view::npos ? std::string_view{} : url.substr(slash);
    if (authority.find('@') != std::string_view::npos) return std::nullopt;  // no user:password in URLs
    if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
    std::string_view port;
    if (authority.starts_with("[")) {
        auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        out.host = std::string(authority.substr(1, close - 1));
        auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after[0] != ':') return std::nullopt;
            port = after.substr(1);
        }
    } else {
        auto colon = authority.find(':');
        out.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    }
    if (out.host.empty()) return std::nullopt;
    if (port.empty()) {
        out.port = out.tls ? "443" : "80";
    } else {
        if (port.size() > 5) return std::nullopt;
        for (char c : port)
            if (c < '0' || c > '9') return std::nullopt;
        if (std::stoi(std::string(port)) > 65535 || std::stoi(std::string(port)) == 0) return std::nullopt;
        out.port = std::string(port);
    }
    out.target = rest.empty() ? "/" : std::string(rest);
    if (out.target[0] == '?') out.target = "/" + out.target;
    return out;
}

CentralConfig load_central_config(const config::TomlFile& f) {
    CentralConfig c;
    c.poll_ms = static_cast<int>(f.integer_between("central.poll_ms", c.poll_ms, 10, 3'600'000));
    const std::size_t n = f.count("central.target");
    std::set<std::string> names;
    for (std::size_t i = 0; i < n; ++i) {
        const std::string at = "central.target[" + std::to_string(i) + "].";
        TargetConfig t;
        t.name = f.text(at + "name", std::nullopt);
        if (!store::valid_target_name(t.name)) f.fail(at + "name", "must be 1 to 40 of a-z, 0-9, _ and -");
        if (!names.insert(t.name).second) f.fail(at + "name", "'" + t.name + "' names another target too");
        auto kind = store::parse_target_kind(f.text(at + "kind", std::nullopt));
        if (!kind) f.fail(at + "kind", "must be https, csv or evidence-csv");
        t.kind = *kind;
        t.batch_size = static_cast<std::size_t>(
            f.integer_between(at + "batch_size", static_cast<std::int64_t>(t.batch_size), 1, 1000));
        if (t.kind == store::TargetKind::https) {
            read_https(f, at, t);
        } else {
            t.folder = f.path(at + "folder");
            std::error_code ec;
            if (!std::filesystem::is_directory(t.folder, ec)) f.fail(at + "folder", t.folder.string() + " is not a folder");
        }
        c.targets.push_back(std::move(t));
    }
    return c;
}

}  // namespace muster::central
