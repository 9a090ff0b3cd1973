#include "server_config.hpp"

#include "muster/config/toml_file.hpp"
#include "muster/db/postgresql.hpp"

#include <arpa/inet.h>

#include <algorithm>

namespace muster::server {

namespace {

// `given`: the file's path as the caller named it, which a relative hub.database is resolved against.
ServerConfig read_server_config(const config::TomlFile& f, const std::filesystem::path& given) {
    ServerConfig c;
    c.listen = f.text("server.listen", c.listen);
    c.port = static_cast<unsigned short>(f.integer_between("server.port", c.port, 0, 65535));
    c.threads = static_cast<int>(f.integer_between("server.threads", c.threads, 1, 64));
    c.tls = f.flag("tls.enabled", c.tls);
    if (c.tls) {
        c.certificate = f.path("tls.certificate", "tls/server-cert.pem");
        c.private_key = f.path("tls.private_key", "tls/server-key.pem");
    }
    c.database = database_location(f.text("hub.database", "hub.db"), given);
    c.device_secrets_key = f.path("hub.device_secrets_key", "tls/device-secrets.key");
    c.body_bytes = static_cast<std::size_t>(
        f.integer_between("limits.body_bytes", static_cast<std::int64_t>(c.body_bytes), 1024, 64LL << 20));
    c.request_timeout_ms = static_cast<int>(f.integer_between("limits.request_timeout_ms", c.request_timeout_ms, 100, 600'000));
    c.max_connections = static_cast<std::size_t>(
        f.integer_between("limits.max_connections", static_cast<std::int64_t>(c.max_connections), 1, 100'000));
    c.max_connections_per_address = static_cast<std::size_t>(f.integer_between(
        "limits.max_connections_per_address", static_cast<std::int64_t>(c.max_connections_per_address), 0, 100'000));
    c.min_reply_bytes_per_s = static_cast<std::size_t>(f.integer_between(
        "limits.min_reply_bytes_per_s", static_cast<std::int64_t>(c.min_reply_bytes_per_s), 1024, 1LL << 30));
    c.stop_grace_ms = static_cast<int>(f.integer_between("limits.stop_grace_ms", c.stop_grace_ms, 0, 600'000));
    c.stream_heartbeat_ms =
        static_cast<int>(f.integer_between("limits.stream_heartbeat_ms", c.stream_heartbeat_ms, 50, 600'000));
    c.stream_min_interval_ms =
        static_cast<int>(f.integer_between("limits.stream_min_interval_ms", c.stream_min_interval_ms, 0, 10'000));
    c.stream_queue_bytes = static_cast<std::size_t>(f.integer_between(
        "limits.stream_queue_bytes", static_cast<std::int64_t>(c.stream_queue_bytes), 4096, 1LL << 30));
    c.changes_page = static_cast<std::size_t>(
        f.integer_between("limits.changes_page", static_cast<std::int64_t>(c.changes_page), 1000, 1'000'000));
    c.changes_bytes = static_cast<std::size_t>(
        f.integer_between("limits.changes_bytes", static_cast<std::int64_t>(c.changes_bytes), 64 << 10, 32LL << 20));
    c.log_level = f.text("log.level", c.log_level);
    c.central = central::load_central_config(f);
    return c;
}

}  // namespace

ServerConfig load_server_config(const std::filesystem::path& given) { return read_server_config(config::TomlFile(given), given); }

ServerConfig load_server_config(const config::TomlFile& file) { return read_server_config(file, file.file()); }

std::string database_location(const std::string& given, const std::filesystem::path& file) {
    if (given.empty()) throw ServerConfigError("hub.database: empty (a file such as hub.db, or a postgresql:// URL)");
    if (db::is_postgresql_url(given)) {
        if (db::redact_url(given) != given)
            throw ServerConfigError("hub.database: the URL carries a password; put it in ~/.pgpass (or the file "
                                    "PGPASSFILE names, mode 600) and leave it out of the URL: " + db::redact_url(given));
        return given;
    }
    std::filesystem::path p(given);
    return p.is_absolute() ? p.string() : (file.parent_path() / p).string();
}

std::size_t connections_per_address(const ServerConfig& c) {
    if (c.max_connections_per_address == 0) return std::max<std::size_t>(1, c.max_connections / 4);
    return std::min(c.max_connections_per_address, c.max_connections);
}

std::chrono::milliseconds reply_deadline(const ServerConfig& c, std::size_t bytes) {
    auto rate = std::max<std::size_t>(c.min_reply_bytes_per_s, 1);
    return std::chrono::milliseconds(c.request_timeout_ms) +
           std::chrono::milliseconds(static_cast<std::int64_t>(bytes / rate * 1000 + bytes % rate * 1000 / rate));
}

namespace {

// Does the file a setting names exist? Never throws: a name the system refuses to look up
// (a component over 255 bytes, a loop of links) is a setting that cannot work, reported as
// a missing file, where std::filesystem::exists(path) would throw filesystem_error.
bool file_exists(const std::filesystem::path& p) {
    std::error_code ec;
    return std::filesystem::exists(p, ec);
}

}  // namespace

bool is_loopback_address(const std::string& a) { return a == "::1" || a == "localhost" || a.rfind("127.", 0) == 0; }

void validate(const ServerConfig& c) {
    in6_addr any{};
    if (c.listen != "localhost" && ::inet_pton(AF_INET, c.listen.c_str(), &any) != 1 &&
        ::inet_pton(AF_INET6, c.listen.c_str(), &any) != 1)
        throw ServerConfigError("server.listen: '" + c.listen +
                                "' is not an IP address (0.0.0.0 for every address, 127.0.0.1 for this machine only)");
    if (!c.tls && !is_loopback_address(c.listen))
        throw ServerConfigError("tls.enabled = false is only allowed when server.listen is a loopback address (tests); "
                                "devices on a venue network must use HTTPS");
    if (c.tls && (!file_exists(c.certificate) || !file_exists(c.private_key)))
        throw ServerConfigError("tls: certificate or private key missing (" + c.certificate.string() +
                                "); make them with: muster server cert --hub DIR");
    if (!db::is_postgresql_url(c.database) && !file_exists(c.database))
        throw ServerConfigError("hub.database: " + c.database + " does not exist (create a hub with: muster init)");
}

}  // namespace muster::server
