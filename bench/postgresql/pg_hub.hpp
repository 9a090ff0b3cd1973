#pragma once
// The PostgreSQL benches' world (issue 14): a private durable PostgreSQL 15 cluster
// (synchronous_commit on: each commit waits for its WAL flush), a demo hub made the ordinary
// way in hub.db with the bench's own devices (and register sessions) added, copied into a
// database of the cluster, and server configurations for muster-sync-server on either store.
#include "postgres_cluster.hpp"

#include "muster/model/types.hpp"
#include "muster/sync/request_signing.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace muster::bench {

struct BenchDevice {
    std::string id;
    sync::DeviceSecret secret{};
    std::int64_t seq = 0;  // the device's last sequence number used
};

struct PgHub {
    // `devices` entrance devices bench-00.., `register_sessions` register tablets' cookies.
    PgHub(const std::filesystem::path& dir, int devices, int register_sessions = 0);

    std::filesystem::path dir;
    test::PostgresCluster cluster;
    std::string hub_url;            // the hub's database on the cluster (a copy of hub.db)
    std::vector<BenchDevice> devices;
    std::vector<std::string> cookies;  // muster_register cookie values

    // A server configuration on `database` ("hub.db" or a postgresql:// URL); the file's path.
    std::string config(const std::string& name, const std::string& database) const;
    std::string pg_config() const { return config("pg-server.toml", hub_url); }
    std::string sqlite_config() const { return config("sqlite-server.toml", "hub.db"); }
    std::string log(const std::string& name) const { return (dir / (name + ".log")).string(); }
    std::string ca() const { return (dir / "tls/server-cert.pem").string(); }
    // A new database of the cluster with the hub's schema only (the raw references' target).
    std::string empty_database(const std::string& name) const;
};

// A scan as a kiosk records it, at `now`, for demo event 1 / session `session`.
CheckIn bench_record(const std::string& device, std::int64_t seq, TimeMs now, SessionId session = 1);

}  // namespace muster::bench
