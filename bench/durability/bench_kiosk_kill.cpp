// muster-bench-kiosk-kill (issue 15, item 3): SIGKILL a headless kiosk at a random moment
// during scan bursts, over and over, on the same device folder, and check the durability
// promise against its device.db: every scan the kiosk REPORTED (a JSON answer line on
// stdout, written after the commit) is stored exactly once, with the sequence number it
// reported; no record appears twice; sequence numbers are never reused (each cycle's new
// records number strictly above everything before, contiguously); and nothing is stored that
// was not reported, except at most the one scan in flight at each kill (committed, killed
// before its answer was written: allowed, it was never promised).
//
// Each cycle: start `muster-kiosk --headless` on the demo hub's entrance-1 folder, write a
// burst of scanner lines to its stdin at once (the roster's badges at random, one in five a
// repeat of the line before, as a double tap), read its answers, and kill it: four cycles in
// five at a delay drawn uniformly from [0, window] after its first answer (mid-burst), one
// in five uniformly from [0, start] after the start (while it opens its database). Both are
// measured: uncut runs (the same burst, stdin closed, a clean exit; three first, one more
// every K cycles) time the start to the first answer (start) and the first to the last answer
// (window, plus a tenth), each the median of the last three, as the machine's load drifts
// (--window-ms fixes the window instead). The seed is printed; --seed repeats a run (the
// windows aside, which depend on the machine).
//
// Usage: muster-bench-kiosk-kill [--cycles N] [--seed S] [--check-every K] [--burst N] [--window-ms MS]
#include "kill_cycles.hpp"
#include "stats.hpp"

#include "kiosk_fixture.hpp"
#include "kiosk_process.hpp"

#include "muster/store/event_store.hpp"

#include <chrono>
#include <set>

using namespace muster;
using namespace muster::bench;
using namespace std::chrono_literals;

namespace {

const char* usage =
    "Usage: muster-bench-kiosk-kill [--cycles N] [--seed S] [--check-every K] [--burst N] [--window-ms MS] [--quiet]\n"
    "  --cycles N       kill cycles (default 1000)\n"
    "  --seed S         the random seed (default: a fresh one, printed)\n"
    "  --check-every K  check the whole device.db every K cycles (default 100) and at the end\n"
    "  --burst N        scanner lines written at each start (default 40)\n"
    "  --window-ms MS   a mid-burst kill lands uniformly in [0, MS] after the first answer (default:\n"
    "                   measured, the median time from the first to the last answer of the last 3\n"
    "                   uncut runs, + 10%; an uncut run every K cycles)\n";

struct Answer {
    std::string uuid;  // empty: an answer with no record (it should not happen for a scanner line)
    std::int64_t seq = 0;
};

struct Tally {
    std::int64_t reported = 0;           // answers naming a record
    std::int64_t answers_without_record = 0;
    std::int64_t lost = 0;               // reported, not stored (or stored under another number)
    std::int64_t doubled = 0;            // a record or a sequence number stored twice
    std::int64_t reused = 0;             // a sequence number given to two records, or below an earlier one
    std::int64_t gaps = 0;               // numbering not contiguous from 1
    std::int64_t stray = 0;              // stored, never reported, and not the scan in flight at a kill
    std::int64_t in_flight = 0;          // stored, never reported: the one in flight at a kill (allowed)
    std::int64_t kills_starting = 0, kills_mid_burst = 0, kills_after_burst = 0;
    bool ok() const { return lost == 0 && doubled == 0 && reused == 0 && gaps == 0 && stray == 0 && answers_without_record == 0; }
};

std::optional<Answer> parse_answer(const std::string& line) {
    if (line.empty() || line.front() != '{' || line.back() != '}') return std::nullopt;  // cut by the kill
    Answer a;
    a.uuid = test::json_field(line, "check_in");
    auto seq = test::json_field(line, "device_seq");
    if (!seq.empty() && seq != "null") a.seq = std::stoll(seq);
    return a;
}

}  // namespace

int main(int argc, char** argv) {
    KillOptions defaults;
    defaults.cycles = 1000;
    defaults.burst = 40;
    defaults.window_ms = 0;  // measured
    auto opt = parse_kill_options(argc, argv, defaults, usage, /*window_optional=*/true);
    std::printf("Kiosk kill cycles: SIGKILL of a headless kiosk at a random moment in scan bursts\n");

    test::DemoHub hub;
    const std::string device = "entrance-1";
    const std::string db_path = hub.device_db(device);
    std::vector<std::string> tokens;
    {
        auto db = store::open_database(db_path);
        for (const auto& e : store::enrolments(*db, 1)) tokens.push_back(hub.token(e.participant_id));
    }
    if (tokens.empty()) {
        std::fprintf(stderr, "the demo device has no roster\n");
        return 1;
    }
    std::mt19937_64 rng(opt.seed);
    std::uniform_int_distribution<std::size_t> pick(0, tokens.size() - 1);
    std::uniform_int_distribution<int> percent(0, 99);
    std::string last_line;
    auto burst = [&] {
        std::vector<std::string> lines;
        for (int i = 0; i < opt.burst; ++i) {
            last_line = (!last_line.empty() && percent(rng) < 20) ? last_line : tokens[pick(rng)];
            lines.push_back(last_line);
        }
        return lines;
    };

    Tally t;
    std::map<std::string, std::int64_t> reported;  // uuid -> the sequence number it was reported with
    std::map<std::int64_t, std::string> owner;     // sequence number -> the one record that holds it
    std::set<std::string> in_flight;               // stored but never reported, one kill each at most
    std::int64_t max_seq = 0;                      // the highest sequence number stored before this cycle
    std::vector<double> cycle_ms, first_answer_ms;
    auto run_started = bench_clock::now();

    auto claim = [&](std::int64_t seq, const std::string& uuid) {
        auto [it, fresh] = owner.emplace(seq, uuid);
        if (!fresh && it->second != uuid) ++t.reused;
    };

    // An uncut run (the same kind of burst, stdin closed, a clean exit) measures the window:
    // the start to the burst's last answer. Three at the start, one more every K cycles, the
    // window the median of the last three plus a tenth (the machine's load drifts). Its
    // answers are reported scans like any other, checked like any other.
    const bool measured_window = opt.window_ms == 0;
    std::vector<double> whole_burst_ms, starting_ms;  // first to last answer; start to first answer
    int window_min = 0, window_max = 0, start_window_ms = 1;
    auto uncut_run = [&]() -> bool {
        auto t0 = bench_clock::now();
        test::KioskProcess kiosk(hub.entrance(), hub.dir.file("kiosk.log"));
        for (const auto& line : burst()) kiosk.send(line);
        kiosk.close_stdin();
        double first_ms = 0, last_answer_ms = 0;
        std::set<std::string> answered;
        while (auto line = kiosk.read_line(60s))
            if (auto a = parse_answer(*line); a && !a->uuid.empty()) {
                if (!reported.emplace(a->uuid, a->seq).second) ++t.doubled;
                claim(a->seq, a->uuid);
                answered.insert(a->uuid);
                ++t.reported;
                last_answer_ms = micros_since(t0) / 1000.0;
                if (first_ms == 0) first_ms = last_answer_ms;
            }
        if (kiosk.wait(60s) != 0 || static_cast<int>(answered.size()) != opt.burst) {
            std::fprintf(stderr, "the kiosk did not answer a whole uncut burst and exit cleanly\n");
            return false;
        }
        auto fresh = read_device_records(db_path, device, max_seq);
        for (const auto& [uuid, seq] : fresh.seq_of) {
            claim(seq, uuid);
            if (!answered.count(uuid)) ++t.stray;
        }
        for (const auto& uuid : answered) t.lost += fresh.seq_of.count(uuid) == 0;
        max_seq = std::max(max_seq, fresh.max_seq);
        whole_burst_ms.push_back(last_answer_ms - first_ms);
        starting_ms.push_back(first_ms);
        auto last3 = [](const std::vector<double>& v) {
            return stats(std::vector<double>(v.end() - std::min<std::ptrdiff_t>(3, std::ssize(v)), v.end())).median;
        };
        if (measured_window) opt.window_ms = std::max(1, static_cast<int>(last3(whole_burst_ms) * 1.1));
        start_window_ms = std::max(1, static_cast<int>(last3(starting_ms)));
        window_min = window_min == 0 ? opt.window_ms : std::min(window_min, opt.window_ms);
        window_max = std::max(window_max, opt.window_ms);
        return true;
    };
    for (int run = 0; run < 3; ++run)
        if (!uncut_run()) return 1;
    std::printf("  cycles %d, burst %d scans, uncut: start to first answer %.1f ms, first to last answer %.1f ms (medians)\n",
                opt.cycles, opt.burst, stats(starting_ms).median, stats(whole_burst_ms).median);
    std::printf("  kill: 4 in 5 uniform in [0, %d] ms after the first answer (%s), 1 in 5 uniform in [0, %d] ms after\n"
                "  the start (while it starts); full check every %d cycles, seed %llu\n",
                opt.window_ms, measured_window ? "measured again every K cycles" : "fixed", start_window_ms,
                opt.check_every, static_cast<unsigned long long>(opt.seed));
    std::fflush(stdout);

    // The whole file against everything reported so far.
    auto full_check = [&](int after_cycles) {
        auto all = read_device_records(db_path, device);
        std::int64_t lost = 0, stray = 0;
        for (const auto& [uuid, seq] : reported) {
            auto it = all.seq_of.find(uuid);
            if (it == all.seq_of.end() || it->second != seq) ++lost;
        }
        for (const auto& [uuid, seq] : all.seq_of)
            if (!reported.count(uuid) && !in_flight.count(uuid)) ++stray;
        t.lost = std::max(t.lost, lost);
        t.stray = std::max(t.stray, stray);
        t.doubled = std::max(t.doubled, all.rows - static_cast<std::int64_t>(all.seq_of.size()) + (all.rows - all.distinct_seqs));
        t.gaps = std::max(t.gaps, all.max_seq - all.distinct_seqs);  // 1..N each once: max == count
        if (!opt.quiet)
            std::printf("  after %4d cycles: reported %lld, records %lld, lost %lld, doubled %lld, reused %lld, stray %lld, in flight %lld\n",
                        after_cycles, static_cast<long long>(t.reported), static_cast<long long>(all.rows),
                        static_cast<long long>(lost), static_cast<long long>(t.doubled), static_cast<long long>(t.reused),
                        static_cast<long long>(stray), static_cast<long long>(t.in_flight));
        std::fflush(stdout);
        return all.rows;
    };

    std::int64_t records = 0;
    for (int cycle = 1; cycle <= opt.cycles; ++cycle) {
        auto t0 = bench_clock::now();
        // While it starts (opening its database), or in the burst: counted from the first
        // answer, as the start's length varies with the machine's load far more than a scan's.
        bool in_start = percent(rng) < 20;
        auto delay = std::chrono::microseconds(
            std::uniform_int_distribution<long>(0, (in_start ? start_window_ms : opt.window_ms) * 1000L)(rng));
        auto deadline = t0 + delay;
        std::vector<Answer> answers;
        {
            test::KioskProcess kiosk(hub.entrance(), hub.dir.file("kiosk.log"));
            for (const auto& line : burst()) kiosk.send(line);
            auto take = [&](const std::string& line) {
                if (auto a = parse_answer(line)) {
                    if (answers.empty()) first_answer_ms.push_back(micros_since(t0) / 1000.0);
                    answers.push_back(*a);
                }
            };
            if (!in_start) {
                auto line = kiosk.read_line(60s);  // the first answer
                if (line) take(*line);
                deadline = bench_clock::now() + delay;
            }
            for (;;) {
                auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - bench_clock::now());
                if (left.count() <= 0) break;
                auto line = kiosk.read_line(left);
                if (!line) continue;  // the deadline passed (the loop ends), or nothing yet
                take(*line);
            }
            // Sub-millisecond remainder: wait it out so the moment is the one drawn.
            while (bench_clock::now() < deadline) {
            }
            kiosk.kill_hard();
            // Whatever it wrote before it died was reported: drain the pipe to its end.
            while (auto line = kiosk.read_line(5s)) take(*line);
        }
        cycle_ms.push_back(micros_since(t0) / 1000.0);
        if (answers.empty()) ++t.kills_starting;
        else if (static_cast<int>(answers.size()) < opt.burst) ++t.kills_mid_burst;
        else ++t.kills_after_burst;

        // This cycle's new records: exactly the reported ones, plus at most the one in flight,
        // all numbered above everything stored before the cycle.
        auto fresh = read_device_records(db_path, device, max_seq);
        std::set<std::string> answered;
        for (const auto& a : answers) {
            if (a.uuid.empty()) {
                ++t.answers_without_record;
                continue;
            }
            ++t.reported;
            if (!reported.emplace(a.uuid, a.seq).second) ++t.doubled;  // one record reported twice
            answered.insert(a.uuid);
            claim(a.seq, a.uuid);
            auto it = fresh.seq_of.find(a.uuid);
            if (it == fresh.seq_of.end()) ++t.lost;  // not stored, or stored at or below an older number
            else if (it->second != a.seq) ++t.reused;
        }
        std::vector<std::pair<std::int64_t, std::string>> unreported;
        for (const auto& [uuid, seq] : fresh.seq_of) {
            claim(seq, uuid);
            if (!answered.count(uuid)) unreported.emplace_back(seq, uuid);
        }
        // The one in flight is the last the kiosk committed: the cycle's highest number.
        if (unreported.size() == 1 && unreported.front().first == fresh.max_seq) {
            ++t.in_flight;
            in_flight.insert(unreported.front().second);
        } else {
            t.stray += static_cast<std::int64_t>(unreported.size());
        }
        if (fresh.rows != fresh.distinct_seqs) ++t.doubled;
        max_seq = std::max(max_seq, fresh.max_seq);

        if (cycle % opt.check_every == 0 || cycle == opt.cycles) {
            records = full_check(cycle);
            if (cycle < opt.cycles && !uncut_run()) return 1;
        }
        if (!t.ok() && cycle % opt.check_every != 0) {
            std::printf("  !! cycle %d failed a check (seed %llu)\n", cycle, static_cast<unsigned long long>(opt.seed));
            records = full_check(cycle);
            break;
        }
    }
    double total_s = micros_since(run_started) / 1e6;

    auto per_cycle = stats(cycle_ms);
    auto first = stats(first_answer_ms);
    std::printf("Kiosk kill cycles (seed %llu)\n", static_cast<unsigned long long>(opt.seed));
    std::printf("  cycles                          %d (killed starting %lld, mid-burst %lld, after the burst %lld)\n",
                static_cast<int>(cycle_ms.size()), static_cast<long long>(t.kills_starting),
                static_cast<long long>(t.kills_mid_burst), static_cast<long long>(t.kills_after_burst));
    std::printf("  scans reported                  %lld\n", static_cast<long long>(t.reported));
    std::printf("  records found                   %lld\n", static_cast<long long>(records));
    std::printf("  in flight at a kill, unreported %lld (stored, never reported: allowed, one per kill at most)\n",
                static_cast<long long>(t.in_flight));
    std::printf("  lost                            %lld (must be 0)\n", static_cast<long long>(t.lost));
    std::printf("  doubled                         %lld (must be 0)\n", static_cast<long long>(t.doubled));
    std::printf("  reused sequence numbers         %lld (must be 0)\n", static_cast<long long>(t.reused));
    std::printf("  gaps in the numbering           %lld (must be 0)\n", static_cast<long long>(t.gaps));
    std::printf("  stored, unreported, not in flight %lld (must be 0)\n", static_cast<long long>(t.stray));
    std::printf("  answers naming no record        %lld (must be 0)\n", static_cast<long long>(t.answers_without_record));
    std::printf("  time per cycle                  median %.1f ms, p95 %.1f ms, max %.1f ms (total %.1f s)\n", per_cycle.median,
                per_cycle.p95, per_cycle.max, total_s);
    std::printf("  start to first answer           median %.1f ms (cycles that answered)\n", first.median);
    std::printf("  kill window after first answer  %d..%d ms (%zu uncut runs, their answers counted above)\n",
                window_min, window_max, whole_burst_ms.size());
    std::printf("%s\n", t.ok() ? "PASS" : "FAIL");
    return t.ok() ? 0 : 1;
}
