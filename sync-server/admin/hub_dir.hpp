#pragma once
// A hub's folder (mode 0700): hub.db (the hub database, unless sync-server.toml's
// hub.database names a PostgreSQL server: docs/scale.md), hub-key.pem (private, mode 0600,
// never copied to a device), hub-public.pem, tls/ (the server's certificate and key, and the
// key the devices' secrets are sealed under), and what the CLI writes (badge sheets, device
// folders).
#include "server_address.hpp"

#include "muster/badge/hub_keys.hpp"
#include "muster/db/database.hpp"
#include "muster/sync/device_secret_box.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace muster::admin {

struct HubInfo {
    std::string name;
    badge::PublicKey public_key{};
    std::string key_id;
};

// Where the hub's sync server listens and the names devices may use for it (`muster init`
// --listen, --port, --host).
struct ServerSetup {
    std::vector<std::string> hosts;  // the first is public_url's host; all are in the certificate
    std::string listen = "0.0.0.0";  // the venue network; "127.0.0.1" for one machine (the demo)
    int port = 8443;
    // The hub database: empty for hub.db in the folder, or a postgresql:// URL (no password
    // in it: libpq reads that from ~/.pgpass or PGPASSFILE) for a hub on PostgreSQL.
    std::string database;
};

class HubDir {
public:
    explicit HubDir(std::filesystem::path dir) : dir_(std::move(dir)) {}

    // Creates the folder, database, key pair and the sync server's files (TLS certificate
    // for localhost and the public host, sync-server.toml). Refuses to touch an existing hub,
    // or a PostgreSQL database that already holds one.
    // Returns the address devices are given (choose_public_address).
    PublicAddress create(const std::string& hub_name, const ServerSetup& server = {}) const;
    bool exists() const;
    // Opens the hub database, or throws with a hint to run `muster init`. Device secrets an
    // older hub stored bare are sealed on the way (store::secure_device_secrets), and an
    // older hub's folder and everything in it is first made owner-only.
    std::unique_ptr<db::Database> open() const;
    // The key the devices' secrets are sealed under (made if the hub has none and needs none
    // other); throws UsageError when the file is lost but secrets sealed under it remain.
    sync::DeviceSecretsKey device_secrets_key(db::Database& db) const;
    HubInfo info(db::Database& db) const;
    badge::HubKeyPair signing_key() const;

    // Where the hub database is: sync-server.toml's hub.database (a postgresql:// URL, or a
    // file relative to the folder), else hub.db in the folder. Show it with db::redact_url.
    std::string database_location() const;
    bool on_postgresql() const;
    // The SQLite file (hub.db): what SQLite-only tools (backups, device copies) work on.
    std::filesystem::path database_path() const { return dir_ / "hub.db"; }
    std::filesystem::path private_key_path() const { return dir_ / "hub-key.pem"; }
    std::filesystem::path public_key_path() const { return dir_ / "hub-public.pem"; }
    // The sync server's self-signed TLS certificate (devices pin it) and its key (mode 600).
    std::filesystem::path tls_certificate_path() const { return dir_ / "tls" / "server-cert.pem"; }
    std::filesystem::path tls_key_path() const { return dir_ / "tls" / "server-key.pem"; }
    // The key file for the devices' secrets: sync-server.toml's hub.device_secrets_key, by
    // default tls/device-secrets.key (mode 600; back it up with hub.db).
    std::filesystem::path device_secrets_key_path() const;
    // The sync server's configuration for this hub (muster-sync-server --config).
    std::filesystem::path server_config_path() const { return dir_ / "sync-server.toml"; }
    // Writes the TLS certificate and key (for the public host, every --host, localhost) and
    // sync-server.toml with server.listen, server.port and server.public_url.
    PublicAddress write_server_files(const std::string& hub_name, const ServerSetup& server) const;
    // The URL devices are given by default: sync-server.toml's server.public_url.
    std::string default_server_url() const;
    // Sets sync-server.toml's server.public_url, every other line of the file as it was
    // (the file is replaced whole, and only if it still reads back as TOML with that URL).
    void set_public_url(const std::string& url) const;
    // Sets sync-server.toml's [hub] database (a file, or a postgresql:// URL after `muster hub
    // migrate`), every other line as it was; checked as set_public_url checks.
    void set_database_location(const std::string& location) const;
    // sync-server.toml's server.listen and server.port (the server's defaults when absent).
    std::string server_listen() const;
    int server_port() const;
    const std::filesystem::path& dir() const { return dir_; }

private:
    std::filesystem::path dir_;
    void tighten_folder() const;
    // Sets the string `table.key` in sync-server.toml (server_file_edit.hpp), checked on a
    // sibling file first: a file the server could not read, or one that says something else,
    // is never left behind.
    void set_server_string(const std::string& table, const std::string& key, const std::string& value) const;
};

}  // namespace muster::admin
