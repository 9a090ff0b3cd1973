#include "pg_hub.hpp"

#include "postgres_hub_copy.hpp"

#include "command.hpp"
#include "muster/db/postgresql.hpp"
#include "muster/store/register_link_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/uuid.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace muster::bench {
namespace {

test::PostgresCluster::Options durable() {
    // synchronous_commit = on is PostgreSQL's default; said here so the figure says what it is.
    return {.durable = true, .settings = {{"synchronous_commit", "on"}, {"max_connections", "200"}}};
}

}  // namespace

PgHub::PgHub(const std::filesystem::path& d, int device_count, int register_sessions) : dir(d), cluster(durable()) {
    db::enable_postgresql();
    std::filesystem::remove_all(dir);
    std::ostringstream out, err;
    if (admin::run_cli({"demo", "--hub", dir.string()}, out, err) != 0) throw std::runtime_error(err.str());
    {
        auto db = store::open_database((dir / "hub.db").string());
        // The bench's devices keep their secret unsealed: the bench's configurations name no
        // device_secrets_key (as bench/server does).
        auto s = db->prepare("INSERT INTO devices (id, name, mode, event_id, secret, created_ms) VALUES (?1, ?1, 'entrance', 1, ?2, 0)");
        for (int i = 0; i < device_count; ++i) {
            char id[32];
            std::snprintf(id, sizeof id, "bench-%02d", i);
            auto k = sync::generate_secret();
            s.bind(1, std::string(id)).bind_blob(2, k.data(), k.size());
            s.run();
            devices.push_back({id, k, 0});
        }
        TimeMs now = uk_time::now_ms();
        for (int i = 0; i < register_sessions; ++i) {
            auto link = store::create_link(*db, {1, std::nullopt, std::nullopt}, now);  // the whole event
            if (!link.link) throw std::runtime_error("create_link refused");
            auto ex = store::exchange(*db, link.link->code, now);
            if (!ex.session) throw std::runtime_error("exchange refused");
            cookies.push_back(ex.session->cookie_value);
        }
    }
    {
        auto admin = test::pg_connect(cluster.url());
        test::pg_exec(admin.get(), "CREATE DATABASE hub TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
    }
    hub_url = cluster.url("hub");
    test::copy_hub_to_postgres((dir / "hub.db").string(), hub_url);
}

std::string PgHub::config(const std::string& name, const std::string& database) const {
    auto path = dir / name;
    std::ofstream(path) << "[server]\nlisten = \"127.0.0.1\"\nport = 0\nthreads = 2\n[tls]\nenabled = true\n"
                        << "certificate = \"tls/server-cert.pem\"\nprivate_key = \"tls/server-key.pem\"\n"
                        << "[hub]\ndatabase = \"" << database << "\"\n"
                        << "[limits]\nbody_bytes = 1048576\nmax_connections = 1000\nmax_connections_per_address = 1000\n"
                        << "[log]\nlevel = \"warn\"\n";
    return path.string();
}

std::string PgHub::empty_database(const std::string& name) const {
    auto admin = test::pg_connect(cluster.url());
    test::pg_exec(admin.get(), "CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
    auto url = cluster.url(name);
    store::open_database(url);  // migrated
    return url;
}

CheckIn bench_record(const std::string& device, std::int64_t seq, TimeMs now, SessionId session) {
    CheckIn c;
    c.uuid = new_uuid(now);
    c.device_id = device;
    c.device_seq = seq;
    c.participant_id = seq % 225 + 1;
    c.event_id = 1;
    c.session_id = session;
    c.outcome = Outcome::checked_in;
    c.badge_serial = 1;
    c.device_ms = now;
    c.device_offset_min = uk_time::offset_minutes(now);  // the hub checks it, as the kiosk writes it
    return c;
}

}  // namespace muster::bench
