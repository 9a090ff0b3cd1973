// Hub staff logins (issue 12, docs/staff.md): Argon2id at the hub's cost (t=3, m=64 MiB,
// p=1) through Muster's hash and verify, beside a bare libargon2 call in the same run; and a
// login through the store for an unknown email beside one with a wrong password, which must
// take the same time (no account enumeration by timing).
// Build in Release; run: build/bench/bench/core/muster-bench-staff [rounds]
#include "stats.hpp"

#include "muster/staff/staff_password.hpp"
#include "muster/store/schema.hpp"
#include "muster/store/staff_store.hpp"

#include <argon2.h>

#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <string>

using namespace muster;
using bench::bench_clock;

namespace {

// This thread's CPU time in ms: on a shared machine the wall time also counts the waits for
// a core, while the CPU time is what one login costs an idle core.
double cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 7;
    const std::string password = "plum orchard at noon";
    const auto cost = staff::production_cost;
    std::printf("Argon2id t=%u m=%u KiB p=%u, %d rounds (ms)\n", cost.passes, cost.memory_kib, cost.lanes, rounds);

    std::vector<double> bare, hash, verify, hash_cpu;
    unsigned char salt[16] = {1, 2, 3}, out[32];
    std::string stored;
    for (int i = 0; i < rounds; ++i) {
        auto t0 = bench_clock::now();
        argon2id_hash_raw(cost.passes, cost.memory_kib, cost.lanes, password.data(), password.size(), salt, sizeof salt, out, sizeof out);
        bare.push_back(bench::micros_since(t0) / 1000);
        t0 = bench_clock::now();
        double c0 = cpu_ms();
        stored = staff::hash_password(password, cost);
        hash_cpu.push_back(cpu_ms() - c0);
        hash.push_back(bench::micros_since(t0) / 1000);
        t0 = bench_clock::now();
        if (!staff::verify_password(password, stored)) return 1;
        verify.push_back(bench::micros_since(t0) / 1000);
    }
    bench::print_row("bare argon2id_hash_raw (reference)", bench::stats(bare), "ms");
    bench::print_row("staff::hash_password", bench::stats(hash), "ms");
    bench::print_row("staff::hash_password, CPU time", bench::stats(hash_cpu), "ms");
    bench::print_row("staff::verify_password", bench::stats(verify), "ms");

    auto dir = std::filesystem::temp_directory_path() / "muster-bench-staff";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    {
        auto db = store::open_database((dir / "hub.db").string());
        store::add_staff(*db, {"Bench", "bench@hub.org", store::StaffRole::staff}, password, 0, cost, std::nullopt);
        std::vector<double> unknown, wrong;
        for (int i = 0; i < rounds; ++i) {
            auto t0 = bench_clock::now();
            store::login(*db, "nobody@hub.org", password, 1, cost);
            unknown.push_back(bench::micros_since(t0) / 1000);
            t0 = bench_clock::now();
            store::login(*db, "bench@hub.org", "not the password", 1, cost);
            wrong.push_back(bench::micros_since(t0) / 1000);
            store::unlock_staff(*db, 1, 1, std::nullopt);  // keep it trying the password, not refusing a lock
        }
        bench::print_row("login, unknown email", bench::stats(unknown), "ms");
        bench::print_row("login, wrong password", bench::stats(wrong), "ms");
    }
    std::filesystem::remove_all(dir);
    return 0;
}
