// muster-sync-server: the hub's sync server. See docs/api.md and the README ("Sync").
#include "change_watcher.hpp"
#include "http_server.hpp"
#include "pg_change_listener.hpp"
#include "server_config.hpp"
#include "database_sync_store.hpp"
#include "staff_routes.hpp"
#include "sync_api.hpp"

#include "delivery_worker.hpp"
#include "target_factory.hpp"

#include "muster/db/postgresql.hpp"
#include "muster/store/central_outbox.hpp"
#include "muster/store/database_file.hpp"
#include "muster/store/device_secrets.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

#include <boost/system/system_error.hpp>

#include <sys/stat.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

namespace {

// How soon a change made by the admin tool (another process) reaches the register's tablets
// and the kiosks' long polls: well inside the register's one second, for one cheap read.
constexpr std::chrono::milliseconds change_watch_interval{250};

void usage(std::FILE* to) {
    std::fprintf(to,
                 "Usage: muster-sync-server --config HUB/sync-server.toml [--listen ADDRESS] [--port N] [--log-level LEVEL]\n\n"
                 "  --config FILE      the server's configuration (muster init writes one in the hub folder;\n"
                 "                     see device-config/sync-server.example.toml)\n"
                 "  --listen ADDRESS   override server.listen (plain HTTP only on 127.0.0.1 / ::1)\n"
                 "  --port N           override server.port; 0 picks a free port (printed in the log)\n"
                 "  --plain-http       no TLS (refused unless listening on loopback): for tests\n"
                 "  --log-level L      debug | info | warn | error\n\n"
                 "hub.database is a SQLite file (default hub.db) or a postgresql:// URL; several servers may\n"
                 "share one PostgreSQL database (docs/scale.md). The URL carries no password: libpq reads it\n"
                 "from ~/.pgpass or the file PGPASSFILE names.\n\n"
                 "Devices' secrets are sealed in the hub database under hub.device_secrets_key (default\n"
                 "tls/device-secrets.key beside the TLS key); a hub whose secrets are not sealed yet has\n"
                 "them sealed at start, the key file made if missing. Back it up with the database.\n\n"
                 "Limits are set in the file's [limits] table: body_bytes, request_timeout_ms,\n"
                 "max_connections, max_connections_per_address (one client address's share; 0 = a\n"
                 "quarter of max_connections), min_reply_bytes_per_s, changes_page, changes_bytes,\n"
                 "stop_grace_ms, stream_heartbeat_ms, stream_min_interval_ms, stream_queue_bytes\n"
                 "(see the example file and docs/api.md).\n\n"
                 "Records to the central attendance records (the hub's CRM, the lead provider's files) are\n"
                 "delivered by a worker inside the server when the file has [[central.target]] tables\n"
                 "(docs/central.md, \"Delivery\").\n\n"
                 "Logs are JSON lines on stderr, without personal data. SIGTERM or Ctrl-C stops it\n"
                 "gracefully: requests being handled finish, then the store is closed.\n");
}

// The key the hub's device secrets are sealed under, with any secret an older hub stored
// bare sealed now (once; logged with a count, no ids needed).
muster::sync::DeviceSecretsKey device_secrets_key(const muster::server::ServerConfig& config, muster::log::Logger& log) {
    auto db = muster::store::open_database(config.database);
    auto at_rest = muster::store::secure_device_secrets(*db, config.device_secrets_key);
    if (at_rest.key_created) log.warn("device_secrets_key_created", {{"file", config.device_secrets_key.filename().string()}});
    if (at_rest.sealed > 0) log.info("device_secrets_sealed", {{"devices", at_rest.sealed}});
    return at_rest.key;
}

// A file with no [[central.target]] runs no delivery worker; the targets an earlier start
// registered become inactive, so sign-offs stop queuing records nobody will send (the worker
// does the same at its start for a file that lists some).
// Not retiring them is no reason to keep devices from syncing: a failure is logged and the
// server starts (the next start tries again).
void retire_central_targets(const muster::server::ServerConfig& config, muster::log::Logger& log) {
    try {
        auto db = muster::store::open_database(config.database);
        muster::store::register_central_targets(*db, {}, muster::uk_time::now_ms());
    } catch (const muster::db::Error& e) {
        log.warn("central_targets_not_retired", {{"error", e.what()}});
    }
}

// A listening socket the server could not open, said in one line that names the setting to
// change and where (a port taken by another server is the common case), or nullopt for any
// other failure.
std::optional<std::string> listen_failure(const boost::system::system_error& e, const muster::server::ServerConfig& config,
                                          const std::string& config_path, bool port_given, bool listen_given) {
    namespace errc = boost::system::errc;
    std::error_code ignored;
    std::string file = std::filesystem::absolute(config_path, ignored).lexically_normal().string();
    std::string port = std::to_string(config.port);
    std::string change_port = port_given ? "give another --port" : "change server.port in " + file;
    std::string change_listen = listen_given ? "give another --listen" : "change server.listen in " + file;
    if (e.code() == errc::address_in_use)
        return "port " + port + " is already in use (another muster-sync-server?); " + change_port;
    if (e.code() == errc::address_not_available)
        return "cannot listen on " + config.listen + ": it is not an address of this machine; " + change_listen +
               " (0.0.0.0 for every address)";
    if (e.code() == errc::permission_denied)
        return "port " + port + " needs extra privileges (ports below 1024); " + change_port + " (e.g. 8443)";
    return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace muster::server;
    std::string config_path, listen, port, log_level;
    bool plain_http = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "muster-sync-server: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--config") config_path = value();
        else if (a == "--listen") listen = value();
        else if (a == "--port") port = value();
        else if (a == "--log-level") log_level = value();
        else if (a == "--plain-http") plain_http = true;
        else if (a == "--help" || a == "-h") return usage(stdout), 0;
        else {
            std::fprintf(stderr, "muster-sync-server: unknown option %s\n", a.c_str());
            usage(stderr);
            return 2;
        }
    }
    if (config_path.empty()) {
        usage(stderr);
        return 2;
    }
    // A config reached through a link (the package's /etc/muster/sync-server.toml points at
    // the hub's own file, docs/install.md) has its relative paths read beside the real file,
    // where the hub's database and keys are.
    {
        std::error_code ec;
        auto real = std::filesystem::canonical(config_path, ec);
        if (!ec) config_path = real.string();
    }
    std::signal(SIGPIPE, SIG_IGN);
    // hub.database may name a PostgreSQL server (docs/scale.md, "Running the hub on PostgreSQL").
    muster::db::enable_postgresql();
    // Everything the server creates (the database's -wal and -shm, a device-secrets key)
    // is its owner's alone; the database wrapper sets those modes too, this covers the rest.
    ::umask(077);
    // Reports a failure to start before the configured level is known: errors pass any level.
    muster::log::Logger start_log;
    ServerConfig config;
    try {
        config = load_server_config(config_path);
        if (!listen.empty()) config.listen = listen;
        if (!port.empty()) {
            char* end = nullptr;
            long p = std::strtol(port.c_str(), &end, 10);
            if (*end || p < 0 || p > 65535) throw ServerConfigError("--port: expected 0-65535");
            config.port = static_cast<unsigned short>(p);
        }
        if (plain_http) config.tls = false;
        if (!log_level.empty()) config.log_level = log_level;
        muster::log::Level level;
        if (!muster::log::parse_level(config.log_level, level)) throw ServerConfigError("log.level: debug, info, warn or error");
        validate(config);
        // A hub.db that is empty, garbage or truncated is named and left as it is, before
        // anything opens it (SQLite would make a fresh hub in an empty file).
        if (!muster::db::is_postgresql_url(config.database))
            muster::store::open_existing_database(config.database, muster::store::IntegrityCheck::header);
        muster::log::Logger logger(level);
        logger.debug("hub_database", {{"engine", muster::db::is_postgresql_url(config.database) ? "postgresql" : "sqlite"},
                                     {"location", muster::db::redact_url(config.database)}});
        DatabaseSyncStore store(config.database, device_secrets_key(config, logger), config.changes_page, config.changes_bytes);
        // The hub's change clock heard live: uploads and marks publish to it, the watcher
        // catches the admin tool's changes, register streams and long polls listen.
        ChangeFeed feed(store.latest_change());
        // On PostgreSQL other server processes write too: their commits are heard on LISTEN
        // muster_change at once, the interval reads staying as the fallback.
        std::optional<PgChangeListener> listener;
        ChangeWatcher::Listen listen_for_changes;
        if (muster::db::is_postgresql_url(config.database)) {
            listener.emplace(config.database, logger);
            listen_for_changes = [&listener](std::chrono::milliseconds timeout) {
                auto heard = listener->wait(timeout);
                return ChangeWatcher::Heard{heard.listening, heard.change};
            };
        }
        ChangeWatcher watcher(feed, [&store] { return store.latest_change(); }, change_watch_interval, logger,
                              std::move(listen_for_changes));
        SyncApi api(store, logger, [] { return muster::uk_time::now_ms(); }, &feed);
        // The facilitators' register (docs/register.md): its own connections to the hub database.
        RegisterApi register_api(config.database, logger, [] { return muster::uk_time::now_ms(); }, config.threads, &feed);
        // The hub staff's pages (docs/staff.md): login, accounts, and the areas' handlers.
        // The areas' handlers, tried in order: deliveries (first: it answers one path under
        // /staff/api/events/, .../{id}/deliveries), reconciliation, schools and notices,
        // facilitators' sessions, satisfaction figures.
        StaffApi staff_api(config.database, logger, [] { return muster::uk_time::now_ms(); }, config.threads, &feed,
                           {handle_staff_central, handle_staff_events, handle_staff_schools, handle_staff_facilitators,
                            handle_staff_satisfaction});
        // Records to the central attendance records (docs/central.md): a worker thread per
        // configured target, woken when staff sign off, amend or retry.
        std::optional<muster::central::DeliveryWorker> delivery;
        if (config.central.targets.empty()) retire_central_targets(config, logger);
        else {
            delivery.emplace(config.database, config.central, logger, [] { return muster::uk_time::now_ms(); },
                             muster::central::make_targets(config.central));
            staff_api.on_outbox_change([&delivery] { delivery->wake(); });
        }
        HttpServer server(config, api, logger, &register_api, &feed, &staff_api);
        if (delivery) {
            delivery->start();
            logger.info("central_delivery_started", {{"targets", config.central.targets.size()}});
        }
        server.run(true);
        if (delivery) delivery->stop();  // the batch in hand finishes; the rest stays queued
        return 0;  // the store closes here, after the last request
    } catch (const ServerConfigError& e) {
        start_log.error("start_failed", {{"reason", "configuration"}, {"error", e.what()}});
        return 2;
    } catch (const muster::store::DamagedDatabase& e) {
        start_log.error("start_failed",
                        {{"reason", "damaged_database"},
                         {"error", std::string(e.what()) +
                                       ". The server has not started and has left the file as it is: keep it for inspection and "
                                       "restore the hub database from a backup (docs/durability.md, \"Full disks and damaged files\")"}});
        return 1;
    } catch (const boost::system::system_error& e) {
        // The address or port cannot be used: one line saying what to change, rather than the
        // system's words alone.
        if (auto said = listen_failure(e, config, config_path, !port.empty(), !listen.empty()))
            start_log.error("start_failed", {{"reason", "listen"}, {"error", *said}});
        else
            start_log.error("start_failed", {{"error", e.what()}});
        return 1;
    } catch (const std::exception& e) {
        // Cannot bind the address, cannot open the database, bad TLS files: the message says which.
        start_log.error("start_failed", {{"error", e.what()}});
        return 1;
    }
}
