#include "hub_dir.hpp"

#include "server_file_edit.hpp"

#include "cli_args.hpp"
#include "tls_certificate.hpp"
#include "muster/config/toml_file.hpp"
#include "muster/db/postgresql.hpp"
#include "muster/log/logger.hpp"
#include "muster/store/device_secrets.hpp"
#include "muster/store/hub_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/private_files.hpp"

#include <fstream>
#include <sstream>

namespace muster::admin {

std::string HubDir::database_location() const {
    std::string given = "hub.db";
    if (std::filesystem::exists(server_config_path())) {
        try {
            given = config::TomlFile(server_config_path()).text("hub.database", given);
        } catch (const ConfigError& e) {
            throw UsageError(e.what());
        }
    }
    if (db::is_postgresql_url(given)) return given;
    std::filesystem::path p(given);
    return p.is_absolute() ? p.string() : (dir_ / p).string();
}

bool HubDir::on_postgresql() const { return db::is_postgresql_url(database_location()); }

// A hub on PostgreSQL exists once its folder's sync-server.toml names the database.
bool HubDir::exists() const { return on_postgresql() || std::filesystem::exists(database_location()); }

PublicAddress HubDir::create(const std::string& hub_name, const ServerSetup& server) const {
    if (hub_name.empty()) throw UsageError("a hub needs a name (--name)");
    if (exists()) throw UsageError("a hub already exists in " + dir_.string());
    if (!is_listen_address(server.listen))
        throw UsageError("--listen: '" + server.listen + "' is not an address to listen on (0.0.0.0 for every address, "
                         "127.0.0.1 for this machine only)");
    if (server.port < 1 || server.port > 65535) throw UsageError("--port: expected 1-65535");
    // Decided before anything is written: a hub that cannot be given an address is not made.
    auto address = choose_public_address(server.listen, server.port, server.hosts, machine_host_name());
    const bool postgresql = !server.database.empty();
    if (postgresql) {
        if (!db::is_postgresql_url(server.database))
            throw UsageError("--database: expected a postgresql:// URL (without it the hub's database is hub.db in the folder)");
        if (db::redact_url(server.database) != server.database)
            throw UsageError("--database: leave the password out of the URL; put it in ~/.pgpass (or the file PGPASSFILE "
                             "names, mode 600), where libpq finds it");
    }
    // A PostgreSQL database is checked (and migrated) before the folder is made: a hub that
    // cannot reach its database, or would take over another hub's, is not made.
    std::unique_ptr<db::Database> db;
    if (postgresql) {
        db = store::open_database(server.database);
        if (store::read_hub(*db))
            throw UsageError("the database " + db::redact_url(server.database) + " already holds a hub");
    }
    create_private_folder(dir_);
    auto keys = badge::HubKeyPair::generate();
    keys.save(private_key_path(), public_key_path());
    if (!db) db = store::open_database(database_path());
    store::use_hub_indexes(*db);
    store::insert_hub(*db, hub_name, keys.public_key(), uk_time::now_ms());
    write_server_files(hub_name, server);
    store::create_device_secrets_key(device_secrets_key_path());
    return address;
}

PublicAddress HubDir::write_server_files(const std::string& hub_name, const ServerSetup& server) const {
    auto address = choose_public_address(server.listen, server.port, server.hosts, machine_host_name());
    // The certificate names the host devices are told, every --host, and (always) localhost.
    std::vector<std::string> names = server.hosts;
    if (address.host != "localhost") names.insert(names.begin(), address.host);
    write_self_signed_certificate(tls_certificate_path(), tls_key_path(), hub_name, names);
    std::ostringstream f;
    f << "# muster-sync-server configuration for this hub (written by `muster init`).\n"
      << "# Paths are relative to this file. See device-config/sync-server.example.toml.\n\n"
      << "[server]\n"
      << "listen = \"" << server.listen << "\"\n"
      << "port = " << server.port << "\n"
      << "public_url = \"" << address.url << "\"   # what `muster device add` gives devices\n"
      << "threads = 2\n\n"
      << "[tls]\n"
      << "enabled = true\n"
      << "certificate = \"tls/server-cert.pem\"\n"
      << "private_key = \"tls/server-key.pem\"\n\n"
      << "[hub]\n"
      << (server.database.empty() ? std::string("database = \"hub.db\"\n")
                                  : "# PostgreSQL (docs/scale.md); libpq reads the password from ~/.pgpass or PGPASSFILE.\n"
                                    "database = \"" + server.database + "\"\n")
      << "device_secrets_key = \"tls/device-secrets.key\"   # back it up with the database\n\n"
      << "[limits]\n"
      << "body_bytes = 1048576\n"
      << "request_timeout_ms = 10000\n"
      << "max_connections = 1000\n";
    replace_private_file(server_config_path(), f.str());
    return address;
}

std::string HubDir::default_server_url() const {
    if (!std::filesystem::exists(server_config_path())) return "";
    try {
        return config::TomlFile(server_config_path()).text("server.public_url", "");
    } catch (const ConfigError& e) {
        throw UsageError(e.what());  // the admin tool's way of saying "fix your files"
    }
}

void HubDir::set_public_url(const std::string& url) const { set_server_string("server", "public_url", url); }

void HubDir::set_database_location(const std::string& location) const { set_server_string("hub", "database", location); }

void HubDir::set_server_string(const std::string& table, const std::string& key, const std::string& value) const {
    std::ifstream in(server_config_path(), std::ios::binary);
    if (!in) throw UsageError("cannot read " + server_config_path().string() + " (a hub made by `muster init` has one)");
    std::stringstream text;
    text << in.rdbuf();
    std::string updated = with_toml_string(text.str(), table, key, value);
    auto check = server_config_path();
    check += ".check";
    replace_private_file(check, updated);
    const std::string by_hand = "; set " + table + "." + key + " in " + server_config_path().string() + " by hand";
    try {
        bool same = config::TomlFile(check).text(table + "." + key, "") == value;
        std::filesystem::remove(check);
        if (!same) throw UsageError("could not set " + table + "." + key + by_hand);
    } catch (const ConfigError& e) {
        std::filesystem::remove(check);
        throw UsageError(std::string(e.what()) + by_hand);
    }
    replace_private_file(server_config_path(), updated);
}

std::string HubDir::server_listen() const {
    try {
        return config::TomlFile(server_config_path()).text("server.listen", "127.0.0.1");
    } catch (const ConfigError& e) {
        throw UsageError(e.what());
    }
}

int HubDir::server_port() const {
    try {
        return static_cast<int>(config::TomlFile(server_config_path()).integer_between("server.port", 8443, 0, 65535));
    } catch (const ConfigError& e) {
        throw UsageError(e.what());
    }
}

std::filesystem::path HubDir::device_secrets_key_path() const {
    std::filesystem::path fallback = dir_ / "tls" / "device-secrets.key";
    if (!std::filesystem::exists(server_config_path())) return fallback;
    try {
        return config::TomlFile(server_config_path()).path("hub.device_secrets_key", fallback.string());
    } catch (const ConfigError& e) {
        throw UsageError(e.what());
    }
}

std::unique_ptr<db::Database> HubDir::open() const {
    if (!exists())
        throw UsageError("no hub in " + dir_.string() + " (create one with: muster init --hub " + dir_.string() +
                         " --name \"...\", or pass --hub DIR)");
    tighten_folder();
    auto db = store::open_database(database_location());
    try {
        device_secrets_key(*db);
    } catch (const UsageError&) {
        // A lost key stops `device add` and the server; exports and the roster still work.
        log::Logger().warn("device_secrets_key_missing", {{"file", device_secrets_key_path().filename().string()}});
    }
    return db;
}

void HubDir::tighten_folder() const {
    // A hub made by an older muster left its folders 0755 and its files 0644: everything in
    // it (roster exports, badge sheets, keys, device folders) is the hub's own, so all of it
    // is set to owner-only the first time it is opened. One log line, counts only.
    std::size_t tightened = 0;
    auto tighten = [&](const std::filesystem::path& p) {
        std::error_code ec;
        auto status = std::filesystem::symlink_status(p, ec);
        if (ec || std::filesystem::is_symlink(status)) return;  // never follow a link out of the hub
        auto perms = status.permissions();
        using std::filesystem::perms;
        if ((perms & (perms::group_all | perms::others_all)) == perms::none) return;
        std::filesystem::permissions(p, perms & perms::owner_all, ec);
        if (!ec) ++tightened;
    };
    tighten(dir_);
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir_, ec); !ec && it != decltype(it)(); it.increment(ec))
        tighten(it->path());
    if (tightened > 0) log::Logger().warn("hub_folder_tightened", {{"entries", tightened}});
}

sync::DeviceSecretsKey HubDir::device_secrets_key(db::Database& db) const {
    try {
        auto at_rest = store::secure_device_secrets(db, device_secrets_key_path());
        if (at_rest.key_created)
            log::Logger().warn("device_secrets_key_created", {{"file", device_secrets_key_path().filename().string()}});
        if (at_rest.sealed > 0) log::Logger().info("device_secrets_sealed", {{"devices", at_rest.sealed}});
        return at_rest.key;
    } catch (const ConfigError& e) {
        throw UsageError(e.what());
    }
}

HubInfo HubDir::info(db::Database& db) const {
    auto hub = store::read_hub(db);
    if (!hub) throw UsageError(db::redact_url(database_location()) + " is a device database, not a hub");
    HubInfo out;
    out.name = std::move(hub->name);
    if (hub->public_key.size() != out.public_key.size()) throw UsageError("hub public key is damaged");
    std::copy(hub->public_key.begin(), hub->public_key.end(), out.public_key.begin());
    out.key_id = std::move(hub->key_id);
    return out;
}

badge::HubKeyPair HubDir::signing_key() const { return badge::HubKeyPair::load_private(private_key_path()); }

}  // namespace muster::admin
