#pragma once
// The sync server's configuration file (TOML; device-config/sync-server.example.toml, and
// each hub's sync-server.toml written by `muster init`). Paths are relative to the file.
// hub.database is a SQLite file or a postgresql:// URL (docs/scale.md).
// A bad file is refused with the field named.
#include "muster/central/target_config.hpp"
#include "muster/util/config_error.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace muster::config {
class TomlFile;
}

namespace muster::server {

// A server file or setting that cannot be used: the one ConfigError, under the name the
// server has always used.
using ServerConfigError = muster::ConfigError;

struct ServerConfig {
    std::string listen = "127.0.0.1";
    unsigned short port = 8443;  // 0: any free port (tests), reported in the "listening" log line
    int threads = 2;
    bool tls = true;
    std::filesystem::path certificate;
    std::filesystem::path private_key;
    // The hub's store (hub.database): a SQLite file (relative to the file, default hub.db),
    // or a postgresql:// URL without a password (libpq finds it in ~/.pgpass or PGPASSFILE;
    // docs/scale.md). Show it with db::redact_url, never as it is.
    std::string database;
    // The key the devices' secrets are sealed under in the database (32 bytes, mode 0600;
    // `muster init` writes it beside the TLS key). Created when missing on a hub whose
    // secrets are not sealed yet; back it up with the database.
    std::filesystem::path device_secrets_key;
    std::size_t body_bytes = 1 << 20;     // larger requests get 413
    // A connection must deliver a whole request within this, or it is closed: slow clients
    // and idle kept-alive connections alike (a kiosk polling every 2 s keeps its connection).
    int request_timeout_ms = 10'000;
    // Beyond this, a new connection is closed at once without a reply (answering would cost
    // what the limit saves); the device retries with backoff.
    std::size_t max_connections = 1000;
    // One client address's share of max_connections (0: a quarter of it), so one address
    // holding idle connections cannot lock every other device out. IPv6 counts per /64.
    std::size_t max_connections_per_address = 0;
    // A reply is given request_timeout_ms plus its size at this rate to be written, so a
    // large /v1/changes page to a slow tablet is not cut, while a stalled reader still is.
    std::size_t min_reply_bytes_per_s = 64 * 1024;
    // SIGTERM: how long requests being handled may take to finish before the rest are cut.
    int stop_grace_ms = 10'000;
    // Server-Sent Events streams (the register's live updates): a keep-alive comment after this
    // long without an event, so proxies and the browser see the connection alive; and the
    // bytes one stream may have waiting for its client (in the kernel's send queue and the
    // write in flight) before the client is deemed not to keep up and is disconnected.
    int stream_heartbeat_ms = 15'000;
    // At most one event per stream in this long: changes in between are coalesced into the
    // next event (the newest state), so a busy ingest (100 uploads a second) costs each tablet
    // a few snapshots a second, not one per upload.
    int stream_min_interval_ms = 250;
    std::size_t stream_queue_bytes = 1 << 20;
    std::size_t changes_page = 5000;      // check-ins per /v1/changes reply
    std::size_t changes_bytes = 4 << 20;  // and about this many bytes of them (whole uploads)
    std::string log_level = "info";
    // [central] and [[central.target]]: where signed-off attendance records are delivered
    // (docs/central.md). No targets: the delivery worker does not run.
    central::CentralConfig central;
};

ServerConfig load_server_config(const std::filesystem::path& file);
// The same from a file already parsed (the fuzz target parses text it holds in memory);
// a relative hub.database is against the folder of file.file().
ServerConfig load_server_config(const config::TomlFile& file);

// hub.database as given in a file: a postgresql:// URL is kept as it is (refused when it
// carries a password: that belongs in ~/.pgpass or PGPASSFILE, not in a file copied
// around with the hub), anything else is a SQLite file relative to `file`'s folder.
std::string database_location(const std::string& given, const std::filesystem::path& file);

// max_connections_per_address as it acts: the configured share (at most max_connections),
// or a quarter of max_connections (at least 1) when it is 0.
std::size_t connections_per_address(const ServerConfig& config);
// How long a reply of `bytes` may take to be written: request_timeout_ms + bytes / min_reply_bytes_per_s.
std::chrono::milliseconds reply_deadline(const ServerConfig& config, std::size_t bytes);

// True for 127.0.0.0/8 and ::1: the only addresses plain HTTP may listen on.
bool is_loopback_address(const std::string& address);

// Throws ServerConfigError when the settings cannot work (plain HTTP off loopback, ...).
void validate(const ServerConfig& config);

}  // namespace muster::server
