// Kiosk A scan -> kiosk B knows it: from the scan being handled at A (decided, committed,
// sync nudged) until the record is in B's device database, where B's next scan of the
// same badge reads "already checked in". Both kiosks poll every 2 s (the default); the only
// difference between the two rows is B's long poll (push).
#include "bench_push.hpp"

#include "stats.hpp"
#include "sync_world.hpp"

#include "device_config.hpp"
#include "kiosk_station.hpp"
#include "sync_client.hpp"

#include <random>
#include <thread>

namespace muster::bench {
namespace {

using namespace muster::test;

double ms_since(bench_clock::time_point t0) { return micros_since(t0) / 1000.0; }

kiosk::SyncSettings settings_of(const SyncWorld& world, const std::string& id, bool push) {
    auto s = kiosk::load_device_config(world.device_toml(id)).sync_settings();
    s.push = push;
    return s;
}

std::vector<double> measure(bool push, int scans) {
    SyncWorld world(1, 2000);
    auto server = world.start_server();
    auto config_a = kiosk::load_device_config(world.device_toml("entrance-1"));
    kiosk::KioskStation station(config_a);
    kiosk::SyncClient a(settings_of(world, "entrance-1", push)), b(settings_of(world, "entrance-2", push));
    a.start();
    b.start();
    a.wait_until([](const kiosk::SyncStatus& st) { return st.online && st.passes > 0; }, std::chrono::seconds(15));
    b.wait_until([](const kiosk::SyncStatus& st) { return st.online && st.passes > 0; }, std::chrono::seconds(15));
    db::Database b_db(world.hub + "/devices/entrance-2/device.db", db::OpenMode::read_only);
    auto known = b_db.prepare("SELECT 1 FROM check_ins WHERE uuid = ?1");
    auto people = store::enrolments(station.database(), 1);
    std::mt19937 rng(11);
    std::vector<double> out;
    for (int i = 0; i < scans; ++i) {
        // People arrive one by one at random over a whole poll interval: a scan made right
        // after B's download (the loop's rhythm otherwise) would make the reference look worse.
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 2000)(rng)));
        auto who = people[static_cast<std::size_t>(i) % people.size()].participant_id;
        auto t0 = bench_clock::now();
        auto result = station.handle(kiosk::RawScan{kiosk::InputKind::wedge, world.token(who), "", std::chrono::steady_clock::now()});
        a.nudge();
        for (;;) {
            known.bind(1, result.record.uuid);
            bool found = known.step();
            known.reset();
            if (found) break;
            std::this_thread::sleep_for(std::chrono::microseconds(500));
            if (ms_since(t0) > 10'000) {
                std::printf("  !! scan %d not at kiosk B after 10 s\n", i);
                break;
            }
        }
        out.push_back(ms_since(t0));
    }
    a.stop();
    b.stop();
    return out;
}

}  // namespace

void scan_known_elsewhere(int scans) {
    std::printf("\nScan at kiosk A -> known at kiosk B (%d scans each, HTTPS, loopback, both polling every 2 s)\n", scans);
    auto with_push = measure(true, scans);
    auto without = measure(false, scans);
    print_row("push on (target p95 <= 1000, goal <= 100)", stats(with_push), "ms");
    print_row("reference: push off, 2 s poll alone", stats(without), "ms");
}

}  // namespace muster::bench
