// Kiosk-to-server figures (issue 5), against the real muster-sync-server over HTTPS on
// loopback, each beside its reference in the same run:
//   scan -> stored: a scan at an online kiosk (decided, committed on the device, sent by
//                   the sync thread) until its row is in the hub's database; beside the
//                   local commit alone and one bare HTTPS round trip.
//   backlog:        a kiosk back online with 5,000 queued scans until all are acknowledged;
//                   beside one upload round trip of 500.
//   A -> B:         a scan at kiosk A until kiosk B holds it, push on and off (bench_push.cpp).
// Usage: muster-bench-sync [--scans N] [--runs N] [--push-scans N] [--only-push]
#include "bench_push.hpp"
#include "stats.hpp"
#include "sync_world.hpp"

#include "http_client.hpp"
#include "kiosk_station.hpp"
#include "device_config.hpp"
#include "sync_client.hpp"

#include <cstring>
#include <random>
#include <thread>

using namespace muster;
using namespace muster::bench;
using namespace muster::test;

namespace {

double ms_since(bench_clock::time_point t0) { return micros_since(t0) / 1000.0; }

void scan_to_stored(int scans) {
    SyncWorld world(0, 2000);
    auto server = world.start_server();
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    kiosk::KioskStation station(config);
    kiosk::SyncClient client(config.sync_settings());
    client.start();
    db::Database hub(world.hub + "/hub.db", db::OpenMode::read_only);
    auto stored = hub.prepare("SELECT 1 FROM check_ins WHERE uuid = ?1");
    auto people = store::enrolments(station.database(), 1);
    std::mt19937 rng(7);
    std::vector<double> total, local;
    for (int i = 0; i < scans; ++i) {
        // People arrive one by one: 20-120 ms apart, never in lock-step with the poll.
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 120)(rng)));
        auto who = people[static_cast<std::size_t>(i) % people.size()].participant_id;
        auto t0 = bench_clock::now();
        auto result = station.handle(kiosk::RawScan{kiosk::InputKind::wedge, world.token(who), "", std::chrono::steady_clock::now()});
        local.push_back(ms_since(t0));
        client.nudge();
        for (;;) {
            stored.bind(1, result.record.uuid);
            bool found = stored.step();
            stored.reset();
            if (found) break;
            std::this_thread::sleep_for(std::chrono::microseconds(500));
            if (ms_since(t0) > 10'000) {
                std::printf("  !! scan %d not stored after 10 s\n", i);
                break;
            }
        }
        total.push_back(ms_since(t0));
    }
    kiosk::HttpClient probe(world.url(), config.server_certificate);
    probe.request("GET", "/v1/health", {}, "");  // connect once; then time kept-alive round trips
    std::vector<double> rtt;
    for (int i = 0; i < 200; ++i) {
        auto t0 = bench_clock::now();
        probe.request("GET", "/v1/health", {}, "");
        rtt.push_back(ms_since(t0));
    }
    std::printf("Scan at an online kiosk to stored on the server (%d scans, HTTPS, loopback)\n", scans);
    print_row("scan -> row in the hub database (target p95 <= 200)", stats(total), "ms");
    print_row("reference: scan decided + committed on the device", stats(local), "ms");
    print_row("reference: one HTTPS round trip (/v1/health)", stats(rtt), "ms");
    client.stop();
}

void backlog(int runs) {
    std::printf("\nA kiosk back online with 5,000 queued scans (HTTPS, loopback, %d runs)\n", runs);
    std::vector<double> drain, batch_rtt;
    for (int r = 0; r < runs; ++r) {
        SyncWorld world(0, 2000);
        auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
        {
            // A day offline: 5,000 scans decided and committed, none sent.
            kiosk::KioskStation station(config);
            auto people = store::enrolments(station.database(), 1);
            for (int i = 0; i < 5000; ++i)
                station.handle(kiosk::RawScan{kiosk::InputKind::wedge,
                                              world.token(people[static_cast<std::size_t>(i) % people.size()].participant_id),
                                              "", std::chrono::steady_clock::now()});
        }
        auto server = world.start_server();
        kiosk::SyncClient client(config.sync_settings());
        auto t0 = bench_clock::now();
        client.start();
        bool done = client.flush(std::chrono::seconds(30));
        drain.push_back(ms_since(t0));
        if (!done || world.stored_check_ins() != 5000)
            std::printf("  !! run %d: %lld stored, %zu still queued\n", r, static_cast<long long>(world.stored_check_ins()),
                        client.status().queued);
        client.stop();

        // Reference: one signed upload of 500 records, kept-alive, from the same kind of client.
        kiosk::HttpClient http(world.url(), config.server_certificate);
        auto secret = world.secret("room-1");
        for (int i = 0; i < 5; ++i) {
            std::vector<CheckIn> records;
            for (int k = 0; k < 500; ++k) {
                records.push_back(make_check_in("room-1", i * 500 + k + 1, k % 200 + 1));
                records.back().room_id = 1;
            }
            auto body = upload_body(records);
            TimeMs now = uk_time::now_ms();
            auto nonce = sync::random_nonce();
            std::map<std::string, std::string> h = {
                {"X-Muster-Device", "room-1"}, {"X-Muster-Time", std::to_string(now)}, {"X-Muster-Nonce", nonce},
                {"X-Muster-Signature", sync::sign_request(secret, "POST", "/v1/upload", now, nonce, body)}};
            auto t1 = bench_clock::now();
            http.request("POST", "/v1/upload", h, body);
            batch_rtt.push_back(ms_since(t1));
        }
    }
    print_row("5,000 queued -> all acknowledged (target <= 2,000)", stats(drain), "ms");
    print_row("reference: one upload of 500, round trip", stats(batch_rtt), "ms");
}

}  // namespace

int main(int argc, char** argv) {
    int scans = 200, runs = 3, push_scans = 40;
    bool only_push = false;
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--only-push") == 0) only_push = true;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--scans") == 0) scans = std::atoi(argv[++i]);
        else if (std::strcmp(argv[i], "--runs") == 0) runs = std::atoi(argv[++i]);
        else if (std::strcmp(argv[i], "--push-scans") == 0) push_scans = std::atoi(argv[++i]);
    }
    if (!only_push) {
        scan_to_stored(scans);
        backlog(runs);
    }
    scan_known_elsewhere(push_scans);
    return 0;
}
