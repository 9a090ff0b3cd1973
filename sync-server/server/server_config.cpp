#include "server_config.hpp"

#include <toml++/toml.h>

namespace muster::server {
namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& field, const std::string& what) {
    throw ServerConfigError(file.string() + ": " + field + ": " + what);
}

template <typename T>
T number(const toml::table& root, const std::filesystem::path& file, const char* section, const char* key, T fallback,
         long long lo, long long hi) {
    const toml::node* n = root[section][key].node();
    if (!n) return fallback;
    if (!n->is_integer()) fail(file, std::string(section) + "." + key, "must be a whole number");
    auto v = *n->value<long long>();
    if (v < lo || v > hi)
        fail(file, std::string(section) + "." + key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return static_cast<T>(v);
}

std::string text(const toml::table& root, const std::filesystem::path& file, const char* section, const char* key,
                 const std::string& fallback) {
    const toml::node* n = root[section][key].node();
    if (!n) return fallback;
    auto v = n->value<std::string>();
    if (!v) fail(file, std::string(section) + "." + key, "must be a string in quotes");
    return *v;
}

std::filesystem::path path(const toml::table& root, const std::filesystem::path& file, const char* section,
                           const char* key, const std::string& fallback) {
    std::filesystem::path p = text(root, file, section, key, fallback);
    if (p.empty()) fail(file, std::string(section) + "." + key, "must not be empty");
    return p.is_absolute() ? p : file.parent_path() / p;
}

}  // namespace

ServerConfig load_server_config(const std::filesystem::path& given) {
    auto file = std::filesystem::absolute(given);
    toml::table root;
    try {
        root = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw ServerConfigError(file.string() + ":" + std::to_string(e.source().begin.line) + ": not valid TOML: " +
                                std::string(e.description()));
    }
    ServerConfig c;
    c.listen = text(root, file, "server", "listen", c.listen);
    c.port = number<unsigned short>(root, file, "server", "port", c.port, 0, 65535);
    c.threads = number<int>(root, file, "server", "threads", c.threads, 1, 64);
    if (const toml::node* n = root["tls"]["enabled"].node()) {
        if (!n->is_boolean()) fail(file, "tls.enabled", "must be true or false");
        c.tls = *n->value<bool>();
    }
    if (c.tls) {
        c.certificate = path(root, file, "tls", "certificate", "tls/server-cert.pem");
        c.private_key = path(root, file, "tls", "private_key", "tls/server-key.pem");
    }
    c.database = path(root, file, "hub", "database", "hub.db");
    c.body_bytes = number<std::size_t>(root, file, "limits", "body_bytes", c.body_bytes, 1024, 64LL << 20);
    c.request_timeout_ms = number<int>(root, file, "limits", "request_timeout_ms", c.request_timeout_ms, 100, 600'000);
    c.max_connections = number<std::size_t>(root, file, "limits", "max_connections", c.max_connections, 1, 100'000);
    c.stop_grace_ms = number<int>(root, file, "limits", "stop_grace_ms", c.stop_grace_ms, 0, 600'000);
    c.changes_page = number<std::size_t>(root, file, "limits", "changes_page", c.changes_page, 1000, 1'000'000);
    c.log_level = text(root, file, "log", "level", c.log_level);
    return c;
}

bool is_loopback_address(const std::string& a) { return a == "::1" || a == "localhost" || a.rfind("127.", 0) == 0; }

void validate(const ServerConfig& c) {
    if (!c.tls && !is_loopback_address(c.listen))
        throw ServerConfigError("tls.enabled = false is only allowed when server.listen is a loopback address (tests); "
                                "devices on a venue network must use HTTPS");
    if (c.tls && (!std::filesystem::exists(c.certificate) || !std::filesystem::exists(c.private_key)))
        throw ServerConfigError("tls: certificate or private key missing (" + c.certificate.string() +
                                "); make them with: muster server cert --hub DIR");
    if (!std::filesystem::exists(c.database))
        throw ServerConfigError("hub.database: " + c.database.string() + " does not exist (create a hub with: muster init)");
}

}  // namespace muster::server
