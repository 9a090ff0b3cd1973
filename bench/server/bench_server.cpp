// Sync server figures (issue 5), each beside its reference in the same run:
//   ingest: check-ins/s uploaded in signed batches of 500 over loopback (plain HTTP and
//           TLS), beside a raw SQLite batched insert of the same rows and beside the
//           server's trivial endpoint (/v1/health) request rate;
//   memory: the server's resident memory with 200 devices syncing over TLS, and with six
//           devices at once downloading large /v1/changes pages (a hostile device's 80
//           scans with a 900 KB reason each, and 20,000 ordinary ones), beside idle.
// Usage: muster-bench-server [--runs N] [--only-changes-memory]
#include "load_generator.hpp"
#include "signed_upload.hpp"
#include "server_process.hpp"
#include "stats.hpp"

#include "command.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/sync/request_signing.hpp"
#include "muster/sync/sync_messages.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/uuid.hpp"

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

using namespace muster;
using namespace muster::bench;

namespace {

constexpr int batch_size = 500;
constexpr int batches = 200;  // 100,000 check-ins a run
constexpr int connections = 4;

struct Hub {
    std::filesystem::path dir;
    sync::DeviceSecret secret{};
    std::vector<std::pair<std::string, sync::DeviceSecret>> devices;  // the 200 simulated devices

    explicit Hub(const std::filesystem::path& d) : dir(d) {
        std::filesystem::remove_all(dir);
        std::ostringstream out, err;
        if (admin::run_cli({"demo", "--hub", dir.string()}, out, err) != 0) throw std::runtime_error(err.str());
        std::ifstream f(dir / "devices/entrance-1/device.secret");
        std::string hex;
        f >> hex;
        secret = *sync::secret_from_hex(hex);
        auto db = store::open_database((dir / "hub.db").string());
        auto s = db->prepare("INSERT INTO devices (id, name, mode, event_id, secret, created_ms) VALUES (?1, ?1, 'entrance', 1, ?2, 0)");
        for (int i = 0; i < 200; ++i) {
            char id[32];
            std::snprintf(id, sizeof id, "bench-%03d", i);
            auto k = sync::generate_secret();
            s.bind(1, std::string(id)).bind_blob(2, k.data(), k.size());
            s.run();
            devices.emplace_back(id, k);
        }
        std::ofstream(dir / "bench-server.toml")
            << "[server]\nlisten = \"127.0.0.1\"\nport = 0\nthreads = 2\n[tls]\nenabled = true\n"
            << "certificate = \"tls/server-cert.pem\"\nprivate_key = \"tls/server-key.pem\"\n[hub]\ndatabase = \"hub.db\"\n"
            << "[limits]\nbody_bytes = 1048576\nmax_connections = 1000\n[log]\nlevel = \"warn\"\n";
    }
    std::string config() const { return (dir / "bench-server.toml").string(); }
    std::string log() const { return (dir / "server.log").string(); }
    std::string ca() const { return (dir / "tls/server-cert.pem").string(); }
};

CheckIn record(const std::string& device, std::int64_t seq, TimeMs now) {
    CheckIn c;
    c.uuid = new_uuid(now);
    c.device_id = device;
    c.device_seq = seq;
    c.participant_id = seq % 225 + 1;
    c.event_id = 1;
    c.session_id = 1;
    c.outcome = Outcome::checked_in;
    c.badge_serial = 1;
    c.device_ms = now;
    c.device_offset_min = uk_time::offset_minutes(now);  // the hub checks it, as the kiosk writes it
    return c;
}

// Scans as a busy day makes them: each at its own moment (UUID v7 ids, so in time order).
std::vector<std::vector<CheckIn>> make_batches(std::int64_t& seq) {
    std::vector<std::vector<CheckIn>> out(batches);
    // Ending now: the hub refuses a record made after its upload was sent (docs/security.md).
    TimeMs now = uk_time::now_ms() - static_cast<TimeMs>(batches) * batch_size;
    for (auto& b : out)
        for (int i = 0; i < batch_size; ++i, ++now) b.push_back(record("entrance-1", ++seq, now));
    return out;
}

// Check-ins per second through the server: `connections` devices' worth of keep-alive
// connections sending the pre-built batches as fast as replies come back.
double ingest_rate(unsigned short port, const std::string& ca, const Hub& hub, const std::vector<std::vector<CheckIn>>& data) {
    return upload_rate(port, ca, "entrance-1", hub.secret, data, connections);
}

// The same rows inserted straight into SQLite: the hub's schema and indexes, transactions
// of 500, WAL with synchronous=FULL, one prepared statement. No HTTP, JSON, HMAC or nonce.
double raw_sqlite_rate(const std::filesystem::path& file, const std::vector<std::vector<CheckIn>>& data) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
    auto db = store::open_database(file.string());
    store::use_hub_indexes(*db);
    auto s = db->prepare(
        "INSERT INTO check_ins (uuid, device_id, device_seq, participant_id, event_id, session_id, room_id, direction, "
        "method, outcome, reason, badge_serial, device_ms, device_offset_min, staff, received_ms, clock_skew_ms, sync_seq) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) ON CONFLICT (uuid) DO NOTHING");
    auto t0 = bench_clock::now();
    std::int64_t seq = 0;
    for (const auto& batch : data) {
        db::Transaction tx(*db);
        ++seq;
        for (const auto& c : batch) {
            s.bind(1, c.uuid).bind(2, c.device_id).bind(3, c.device_seq).bind(4, c.participant_id).bind(5, c.event_id);
            s.bind(6, c.session_id).bind(7, c.room_id).bind(8, "entry").bind(9, "qr").bind(10, "checked_in");
            s.bind(11, c.reason).bind(12, c.badge_serial).bind(13, c.device_ms).bind(14, 0).bind(15, c.staff);
            s.bind(16, c.device_ms).bind(17, nullptr).bind(18, seq);
            s.run();
        }
        tx.commit();
    }
    return static_cast<double>(data.size() * batch_size) / (micros_since(t0) / 1e6);
}

double trivial_rate(unsigned short port, const std::string& ca) {
    LoadGenerator load(port, ca);
    auto until = bench_clock::now() + std::chrono::seconds(3);
    for (int c = 0; c < connections; ++c)
        load.add_connection([&]() -> std::optional<LoadRequest> {
            if (bench_clock::now() > until) return std::nullopt;
            return LoadRequest{"GET", "/v1/health", {}, "", {}};
        });
    auto t0 = bench_clock::now();
    auto st = load.run(std::chrono::seconds(10));
    return static_cast<double>(st.ok) / (micros_since(t0) / 1e6);
}

void print_rates(const char* what, std::vector<double> v, const char* unit) {
    auto s = stats(v);
    std::printf("  %-58s median %10.0f %s  (min %.0f, max %.0f, %zu runs)\n", what, s.median, unit, s.min, s.max, v.size());
}

// 200 devices over TLS, each polling changes every 2 s and uploading a scan every ~5 s,
// for `seconds`; returns peak and final server RSS.
void memory_with_devices(const Hub& hub, int seconds) {
    test::ServerProcess server(hub.config(), hub.log(), /*plain_http=*/false);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto idle_kib = server.resident_kib();
    LoadGenerator load(server.port(), hub.ca());
    auto until = bench_clock::now() + std::chrono::seconds(seconds);
    struct Device {
        std::string id;
        sync::DeviceSecret secret;
        std::int64_t seq = 0, cursor = 0;
        int turn = 0;
    };
    std::vector<Device> devices;
    // Each device starts where provisioning left it: at the hub's clock now.
    std::int64_t start_cursor = 0;
    {
        db::Database db((hub.dir / "hub.db").string(), db::OpenMode::read_only);
        auto s = db.prepare("SELECT value FROM change_clock");
        s.step();
        start_cursor = s.int64(0);
    }
    for (const auto& [id, k] : hub.devices) devices.push_back({id, k, 0, start_cursor, 0});
    std::size_t downloaded = 0;
    for (std::size_t i = 0; i < devices.size(); ++i) {
        auto* d = &devices[i];
        load.add_connection(
            [d, &until, i]() -> std::optional<LoadRequest> {
                if (bench_clock::now() > until) return std::nullopt;
                // Spread the first requests over a second, then: changes every 2 s, an
                // upload of one scan in between on every other turn.
                auto pause = std::chrono::milliseconds(d->turn == 0 ? static_cast<int>(i * 5) : 1000);
                ++d->turn;
                LoadRequest r;
                if (d->turn % 2 == 1) {
                    r = signed_request(d->id, d->secret, "GET", "/v1/changes?since=" + std::to_string(d->cursor), "");
                } else if (d->turn % 4 == 0) {
                    sync::UploadBatch b;
                    b.device_time_ms = uk_time::now_ms();
                    b.check_ins.push_back(record(d->id, ++d->seq, b.device_time_ms));
                    r = signed_request(d->id, d->secret, "POST", "/v1/upload", sync::to_json(b));
                } else {
                    r = LoadRequest{"GET", "/v1/health", {}, "", {}};
                }
                r.pause_before = pause;
                return r;
            },
            [d, &downloaded](int status, const std::string& body) {
                if (status == 200 && body.find("\"cursor\"") != std::string::npos) {
                    auto c = sync::parse_changes(body);
                    d->cursor = c.cursor;
                    downloaded += c.check_ins.size();
                }
            });
    }
    std::atomic<bool> sampling{true};
    std::size_t peak = 0;
    std::thread sampler([&] {
        while (sampling) {
            peak = std::max(peak, server.resident_kib());
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    });
    auto st = load.run(std::chrono::seconds(seconds + 10));
    auto final_kib = server.resident_kib();
    sampling = false;
    sampler.join();
    std::printf("  200 devices over TLS for %d s: %zu requests (%zu failed), %zu other devices' scans downloaded\n", seconds,
                st.requests, st.failed, downloaded);
    std::printf("  server resident memory: idle %.1f MB, peak %.1f MB, at the end %.1f MB   (target <= 100 MB)\n",
                static_cast<double>(idle_kib) / 1024.0, static_cast<double>(peak) / 1024.0,
                static_cast<double>(final_kib) / 1024.0);
    server.terminate();
    server.wait(std::chrono::seconds(15));
}

// The hub as a hostile device leaves it: 80 uploads of one scan with a 900 KB reason each
// (the body limit allows one such scan a request), then 40 uploads of 500 ordinary scans.
// Written straight into the database (as the server's ingest would), each upload with its
// own sync_seq. Returns the change clock before them: the polling devices' cursor.
std::int64_t fill_with_large_pages(const Hub& hub) {
    auto db = store::open_database((hub.dir / "hub.db").string());
    db::Transaction tx(*db);
    std::int64_t start = store::current_change(*db);
    auto s = db->prepare(
        "INSERT INTO check_ins (uuid, device_id, device_seq, participant_id, event_id, session_id, room_id, direction, "
        "method, outcome, reason, badge_serial, device_ms, device_offset_min, staff, received_ms, clock_skew_ms, sync_seq) "
        "VALUES (?1, ?2, ?3, ?4, 1, 1, NULL, 'entry', 'manual', 'checked_in', ?5, NULL, ?6, 0, NULL, ?6, NULL, ?7)");
    TimeMs now = uk_time::now_ms();
    std::int64_t seq = 0;
    const std::string huge(900 * 1000, 'x');
    for (int u = 0; u < 80; ++u) {
        auto sync_seq = store::next_change(*db);
        s.bind(1, new_uuid(++now)).bind(2, std::string("bench-hostile")).bind(3, ++seq).bind(4, u % 225 + 1);
        s.bind(5, huge).bind(6, now).bind(7, sync_seq);
        s.run();
    }
    for (int u = 0; u < 40; ++u) {
        auto sync_seq = store::next_change(*db);
        for (int i = 0; i < batch_size; ++i) {
            s.bind(1, new_uuid(++now)).bind(2, std::string("bench-hostile")).bind(3, ++seq).bind(4, i % 225 + 1);
            s.bind(5, std::string()).bind(6, now).bind(7, sync_seq);
            s.run();
        }
    }
    tx.commit();
    return start;
}

// Six devices over TLS each downloading the whole backlog page by page, again and again,
// for `seconds`; prints the server's peak resident memory beside its idle figure.
void memory_with_large_pages(const Hub& hub, int seconds) {
    auto start = fill_with_large_pages(hub);
    test::ServerProcess server(hub.config(), hub.log(), /*plain_http=*/false);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto idle_kib = server.resident_kib();
    LoadGenerator load(server.port(), hub.ca());
    auto until = bench_clock::now() + std::chrono::seconds(seconds);
    struct Poller {
        std::string id;
        sync::DeviceSecret secret;
        std::int64_t cursor = 0;
        std::size_t pages = 0, records = 0, bytes = 0, largest = 0, rounds = 0;
    };
    std::vector<Poller> pollers;
    for (int i = 0; i < 6; ++i) pollers.push_back({hub.devices[static_cast<std::size_t>(i)].first,
                                                   hub.devices[static_cast<std::size_t>(i)].second, start, 0, 0, 0, 0, 0});
    for (auto& p : pollers) {
        auto* d = &p;
        load.add_connection(
            [d, &until]() -> std::optional<LoadRequest> {
                if (bench_clock::now() > until) return std::nullopt;
                return signed_request(d->id, d->secret, "GET", "/v1/changes?since=" + std::to_string(d->cursor), "");
            },
            [d, start](int status, const std::string& body) {
                if (status != 200) return;
                auto c = sync::parse_changes(body);
                ++d->pages;
                d->records += c.check_ins.size();
                d->bytes += body.size();
                d->largest = std::max(d->largest, body.size());
                d->cursor = c.more ? c.cursor : start;  // the whole backlog again
                if (!c.more) ++d->rounds;
            });
    }
    std::atomic<bool> sampling{true};
    std::size_t peak = 0;
    std::thread sampler([&] {
        while (sampling) {
            peak = std::max(peak, server.resident_kib());
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    auto st = load.run(std::chrono::seconds(seconds + 60));
    sampling = false;
    sampler.join();
    std::size_t pages = 0, rounds = 0, largest = 0;
    double mb = 0;
    for (const auto& p : pollers) {
        pages += p.pages;
        rounds += p.rounds;
        largest = std::max(largest, p.largest);
        mb += static_cast<double>(p.bytes) / 1e6;
    }
    std::printf("  6 devices over TLS downloading 80 scans of 900 KB + 20,000 ordinary ones, %d s: %zu pages (%zu failed),\n"
                "  %zu whole backlogs, %.0f MB sent, largest page %.2f MB\n",
                seconds, pages, st.failed, rounds, mb, static_cast<double>(largest) / 1e6);
    std::printf("  server resident memory: peak %.1f MB   (reference: idle %.1f MB in the same run; 869 MB before the byte budget)\n",
                static_cast<double>(peak) / 1024.0, static_cast<double>(idle_kib) / 1024.0);
    server.terminate();
    server.wait(std::chrono::seconds(15));
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 3;
    bool only_changes_memory = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = std::atoi(argv[++i]);
        if (std::strcmp(argv[i], "--only-changes-memory") == 0) only_changes_memory = true;
    }
    auto root = std::filesystem::temp_directory_path() / "muster-bench-server";
    Hub hub(root / "hub");
    if (only_changes_memory) {
        std::printf("Server memory with six devices downloading large changes pages\n");
        memory_with_large_pages(hub, 15);
        std::filesystem::remove_all(root);
        return 0;
    }
    std::printf("Sync server, loopback, %d connections, batches of %d signed check-ins (%d per run)\n", connections,
                batch_size, batch_size * batches);

    std::int64_t seq = 0;
    std::vector<double> plain, tls, raw, trivial_plain, trivial_tls;
    {
        test::ServerProcess server(hub.config(), hub.log(), /*plain_http=*/true);
        for (int r = 0; r < runs; ++r) {
            auto data = make_batches(seq);
            plain.push_back(ingest_rate(server.port(), "", hub, data));
            raw.push_back(raw_sqlite_rate(root / "raw.db", data));
        }
        for (int r = 0; r < runs; ++r) trivial_plain.push_back(trivial_rate(server.port(), ""));
        server.terminate();
        server.wait(std::chrono::seconds(15));
    }
    {
        test::ServerProcess server(hub.config(), hub.log(), /*plain_http=*/false);
        for (int r = 0; r < runs; ++r) tls.push_back(ingest_rate(server.port(), hub.ca(), hub, make_batches(seq)));
        for (int r = 0; r < runs; ++r) trivial_tls.push_back(trivial_rate(server.port(), hub.ca()));
        server.terminate();
        server.wait(std::chrono::seconds(15));
    }
    print_rates("ingest, plain HTTP (target >= 50,000/s)", plain, "check-ins/s");
    print_rates("ingest, HTTPS", tls, "check-ins/s");
    print_rates("reference: raw SQLite insert, same rows, txn of 500", raw, "rows/s     ");
    print_rates("reference: trivial endpoint /v1/health, plain HTTP", trivial_plain, "requests/s ");
    print_rates("reference: trivial endpoint /v1/health, HTTPS", trivial_tls, "requests/s ");
    std::printf("  ingest batches/s (plain) = %.0f, i.e. %.1f%% of the trivial endpoint's request rate\n",
                stats(plain).median / batch_size, 100.0 * stats(plain).median / batch_size / stats(trivial_plain).median);
    std::printf("  ingest vs raw SQLite: %.0f%%\n\n", 100.0 * stats(plain).median / stats(raw).median);

    std::printf("Server memory with 200 devices syncing\n");
    memory_with_devices(hub, 20);
    std::printf("\nServer memory with six devices downloading large changes pages\n");
    memory_with_large_pages(hub, 15);
    std::filesystem::remove_all(root);
    return 0;
}
