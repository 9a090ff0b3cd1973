#pragma once
// What both kill-cycle programs share: their options, a seeded random source whose seed is
// printed (a failing run is repeated with --seed), and the records one device made, read
// straight from a database file (the device's own, or the hub's).
#include "muster/db/database.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>

namespace muster::bench {

struct KillOptions {
    int cycles = 0;
    std::uint64_t seed = 0;
    int check_every = 100;   // full database check every K cycles (and at the end)
    int burst = 0;           // scans per burst
    int window_ms = 0;       // the kill lands uniformly in [0, window_ms] (see each program)
    bool quiet = false;
};

// Parses --cycles N --seed S --check-every K --burst N --window-ms MS --quiet; exits 2 on a
// bad option (a window of 0 means "measure it" where window_optional). The defaults come in
// `o`; the seed defaults to a fresh random one.
inline KillOptions parse_kill_options(int argc, char** argv, KillOptions o, const char* usage, bool window_optional = false) {
    o.seed = std::random_device{}();
    for (int i = 1; i < argc; ++i) {
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n%s", argv[i], usage);
                std::exit(2);
            }
            return argv[++i];
        };
        if (std::strcmp(argv[i], "--cycles") == 0) o.cycles = std::atoi(value());
        else if (std::strcmp(argv[i], "--seed") == 0) o.seed = std::strtoull(value(), nullptr, 10);
        else if (std::strcmp(argv[i], "--check-every") == 0) o.check_every = std::atoi(value());
        else if (std::strcmp(argv[i], "--burst") == 0) o.burst = std::atoi(value());
        else if (std::strcmp(argv[i], "--window-ms") == 0) o.window_ms = std::atoi(value());
        else if (std::strcmp(argv[i], "--quiet") == 0) o.quiet = true;
        else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::fputs(usage, stdout);
            std::exit(0);
        } else {
            std::fprintf(stderr, "unknown option %s\n%s", argv[i], usage);
            std::exit(2);
        }
    }
    if (o.cycles < 1 || o.check_every < 1 || o.burst < 1 || o.window_ms < (window_optional ? 0 : 1)) {
        std::fprintf(stderr, "--cycles, --check-every, --burst and --window-ms must be positive\n%s", usage);
        std::exit(2);
    }
    return o;
}

// One device's records in a database file: uuid -> device_seq, and how many rows there
// are (a uuid is the table's primary key, so rows > uuids.size() cannot happen in SQLite;
// counted anyway, the check costs nothing).
struct DeviceRecords {
    std::map<std::string, std::int64_t> seq_of;
    std::int64_t rows = 0;
    std::int64_t distinct_seqs = 0;
    std::int64_t max_seq = 0;
};

inline DeviceRecords read_device_records(const std::string& db_path, const std::string& device_id, std::int64_t above_seq = 0) {
    db::Database d(db_path, db::OpenMode::read_only);
    DeviceRecords out;
    auto s = d.prepare("SELECT uuid, device_seq FROM check_ins WHERE device_id = ?1 AND device_seq > ?2");
    s.bind(1, device_id).bind(2, above_seq);
    s.for_each_row([&](const db::Statement& r) {
        out.seq_of[r.text(0)] = r.int64(1);
        ++out.rows;
    });
    auto c = d.prepare("SELECT COUNT(DISTINCT device_seq), COALESCE(MAX(device_seq), 0) FROM check_ins "
                       "WHERE device_id = ?1 AND device_seq > ?2");
    c.bind(1, device_id).bind(2, above_seq);
    c.step();
    out.distinct_seqs = c.int64(0);
    out.max_seq = c.int64(1);
    return out;
}

}  // namespace muster::bench
