// The convergence test on PostgreSQL (issue 14): two real muster-sync-server processes on one
// PostgreSQL database (a copy of the demo hub), three headless kiosks whose device files list
// both servers (in different orders, so both processes take uploads), through server A's
// SIGKILL in the middle of uploads (the kiosks on it fail over to B; A comes back on its
// port), a kiosk SIGKILL, and an outage of both. At the end the database holds exactly the
// union of every scan the kiosks reported, each once, and every kiosk the same set.
#include "convergence_kiosks.hpp"
#include "postgres_cluster.hpp"
#include "postgres_hub_copy.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace muster;
using namespace muster::test;

namespace {

std::string https_url(unsigned short port) { return "https://localhost:" + std::to_string(port); }

// A demo hub copied into a fresh PostgreSQL database, two server ports, and the devices'
// files listing both servers.
struct PgSyncWorld : SyncWorld {
    PostgresDatabase pg = fresh_postgres_database();
    unsigned short port_b = free_port();
    std::string pg_config;

    explicit PgSyncWorld(int extra_entrances) : SyncWorld(extra_entrances) {
        copy_hub_to_postgres(hub + "/hub.db", pg.url());
        // The test server configuration with its database moved to PostgreSQL.
        std::ifstream in(config(1 << 20, 10'000, 500));
        std::string line, text;
        while (std::getline(in, line)) {
            if (line.rfind("database = ", 0) == 0) line = "database = \"" + pg.url() + "\"";
            text += line + "\n";
        }
        pg_config = hub + "/pg-server.toml";
        std::ofstream(pg_config) << text;
    }

    void point_at_both(const std::string& id, bool b_first) const {
        auto a = https_url(port), b = https_url(port_b);
        std::string list = b_first ? "[\"" + b + "\", \"" + a + "\"]" : "[\"" + a + "\", \"" + b + "\"]";
        std::ifstream in(device_toml(id));
        std::string line, out;
        while (std::getline(in, line)) {
            if (line.rfind("url = ", 0) == 0) line = "url = " + list;
            out += line + "\n";
        }
        std::ofstream(device_toml(id)) << out;
    }

    std::unique_ptr<ServerProcess> start_a() const {
        return std::make_unique<ServerProcess>(pg_config, hub + "/server-a.log", /*plain_http=*/false, port);
    }
    std::unique_ptr<ServerProcess> start_b() const {
        return std::make_unique<ServerProcess>(pg_config, hub + "/server-b.log", /*plain_http=*/false, port_b);
    }

    std::set<std::string> pg_uuids() const {
        db::Database d(pg.url(), db::OpenMode::read_only);
        auto s = d.prepare("SELECT uuid FROM check_ins WHERE event_id = 1");
        std::set<std::string> out;
        while (s.step()) out.insert(s.text(0));
        return out;
    }
    std::int64_t pg_count(const std::string& sql, const std::string& param = "") const {
        db::Database d(pg.url(), db::OpenMode::read_only);
        auto s = d.prepare(sql);
        if (!param.empty()) s.bind(1, param);
        s.step();
        return s.int64(0);
    }
};

}  // namespace

TEST_CASE("Three kiosks converge on two servers on PostgreSQL through a server crash, a kiosk crash and an outage",
          "[sync][convergence][postgres]") {
    PgSyncWorld world(2);
    const std::vector<std::string> ids = {"entrance-1", "entrance-2", "entrance-3"};
    for (std::size_t k = 0; k < ids.size(); ++k) world.point_at_both(ids[k], /*b_first=*/k == 1);
    auto a = world.start_a();
    auto b = world.start_b();
    Kiosks kiosks(world, ids);

    kiosks.round(10);  // online, on both processes

    // Server A dies in the middle of a burst of uploads: its kiosks move to B.
    for (int i = 0; i < 15; ++i)
        for (std::size_t k = 0; k < 3; ++k) {
            kiosks.scan(k);
            if (i == 7 && k == 1) a->kill_hard();
        }
    kiosks.round(5);

    // A kiosk dies too, right after a scan (its upload may be in flight), and comes back.
    kiosks.scan(1);
    kiosks.procs[1]->kill_hard();
    kiosks.start(1);
    kiosks.round(3);

    a = world.start_a();  // back, on the same address
    kiosks.round(5);

    // The network goes (both processes) for a stretch of scans, then returns.
    a->kill_hard();
    b->kill_hard();
    kiosks.round(6);
    a = world.start_a();
    b = world.start_b();
    kiosks.round(2);

    const auto expected = kiosks.reported;
    REQUIRE(expected.size() == 3 * (10 + 15 + 5 + 3 + 5 + 6 + 2) + 1);
    CHECK(eventually([&] { return world.pg_uuids() == expected; }, std::chrono::seconds(60)));
    CHECK(world.pg_count("SELECT COUNT(*) FROM check_ins") == static_cast<std::int64_t>(expected.size()));  // each once
    for (std::size_t k = 0; k < 3; ++k) {
        INFO("kiosk " << kiosks.ids[k]);
        CHECK(eventually([&] { return kiosks.queued(k) == 0; }, std::chrono::seconds(30)));
        CHECK(eventually([&] { return world.device_uuids(kiosks.ids[k]) == expected; }, std::chrono::seconds(30)));
    }
    // Every device's numbering is intact: one record per sequence number, none missing.
    for (const auto& id : kiosks.ids) {
        INFO("device " << id);
        CHECK(world.pg_count("SELECT CASE WHEN COUNT(*) = MAX(device_seq) THEN 1 ELSE 0 END FROM check_ins "
                             "WHERE device_id = CAST(?1 AS TEXT)",
                             id) == 1);
    }
    // Both processes took uploads: the kiosk listing B first used it from the start.
    CHECK(read_text_file(world.hub + "/server-b.log").find("\"upload\"") != std::string::npos);
    for (auto& p : kiosks.procs) p->terminate();
    for (auto& p : kiosks.procs) CHECK(p->wait(std::chrono::seconds(15)) == 0);
}
