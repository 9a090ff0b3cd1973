// Programme progress (issue 12, target <= 300 ms): muster progress's read and rules for
// 5,000 participants over 10 events, beside a bare SQLite query reading the same rows, in
// the same run. The hub is generated in a temporary SQLite file.
// Build in Release; run: build/bench/bench/core/muster-bench-progress [dir]
#include "stats.hpp"

#include "muster/roster/roster_import.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/programme_progress_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

#include <filesystem>
#include <random>
#include <string>

using namespace muster;
using bench::bench_clock;

namespace {

constexpr int people = 5'000;
constexpr int runs = 9;

std::string roster_csv() {
    std::string csv = "first_name,last_name,email,trn,school,urn,role,cohort,year\n";
    for (int i = 0; i < people; ++i) {
        char trn[16], urn[16];
        std::snprintf(trn, sizeof trn, "%07d", i + 1);
        std::snprintf(urn, sizeof urn, "%06d", 100000 + i % 500);
        csv += "Person,Surname" + std::to_string(i) + ",p" + std::to_string(i) + "@school.org.uk," + trn + ",School " +
               std::to_string(i % 500) + "," + urn + ",ECT,2025,1\n";
    }
    return csv;
}

TimeMs uk(int y, int m, int d) { return uk_time::from_local({y, m, d, 12, 0, 0}); }

}  // namespace

int main(int argc, char** argv) {
    std::filesystem::path dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path() / "muster-bench-progress";
    std::filesystem::create_directories(dir);
    auto path = dir / "hub.db";
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    auto db = store::open_database(path.string());
    store::use_hub_indexes(*db);  // as the hub runs it (check_ins_participant dropped)

    // 5,000 year-1 ECTs in 500 schools; 10 events: the six items of ect-y1 and second runs of
    // four of them (every run enrols the whole cohort), eight held and two to come.
    if (!roster::import_roster(*db, roster_csv()).committed) return std::printf("roster import failed\n"), 1;
    struct Run {
        const char* item;
        const char* date;
    };
    const Run schedule[] = {{"orientation", "2025-09-17"},  {"conference-1", "2025-10-01"}, {"conference-1", "2025-10-08"},
                            {"clinic-1", "2025-10-15"},     {"clinic-1", "2025-10-22"},     {"conference-2", "2025-11-12"},
                            {"clinic-2", "2025-11-26"},     {"clinic-2", "2025-12-03"},     {"conference-2", "2026-02-04"},
                            {"clinic-3", "2026-02-25"}};
    std::vector<Event> events;
    for (const auto& r : schedule)
        events.push_back(*store::load_event(*db, store::create_event(*db, {"ect-y1", r.item, 2025, r.date, "Leeds", 0, 10})));
    const TimeMs now = uk(2026, 1, 20);

    // Facts: at each held event, 80 % come to every session (a few late), 6 % to the first only,
    // the rest not; 3 % of absences excused, 1 % caught up; 1 in 200 scans voided.
    std::mt19937 rng(12);
    std::size_t scans = 0, corrections = 0;
    {
        db::Transaction tx(*db);
        auto& scan = db->cached(
            "INSERT INTO check_ins (uuid, device_id, device_seq, participant_id, event_id, session_id, direction, method, "
            "outcome, device_ms, device_offset_min) VALUES (?1, 'door', ?2, ?3, ?4, ?5, 'entry', 'qr', 'checked_in', ?6, 0)");
        auto& fix = db->cached(
            "INSERT INTO corrections (uuid, kind, target_uuid, participant_id, event_id, status, reason, author, created_ms) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'bench', 'Hub staff', ?7)");
        std::int64_t seq = 0;
        for (const auto& e : events) {
            if (!e.sessions.empty() && e.sessions.back().ends_ms > now) continue;
            for (ParticipantId p = 1; p <= people; ++p) {
                unsigned roll = rng() % 100;
                std::size_t sessions = roll < 80 ? e.sessions.size() : roll < 86 ? 1 : 0;
                for (std::size_t s = 0; s < sessions; ++s) {
                    std::string uuid = "s" + std::to_string(++seq);
                    TimeMs at = e.sessions[s].starts_ms + (rng() % 10 == 0 ? 15 : -5) * 60'000LL;
                    scan.bind_all(uuid, seq, p, e.id, e.sessions[s].id, at);
                    scan.run();
                    ++scans;
                    if (rng() % 200 == 0) {
                        fix.bind_all("v" + uuid, "void", uuid, p, e.id, nullptr, now);
                        fix.run();
                        ++corrections;
                    }
                }
                if (sessions == 0 && roll >= 96) {
                    fix.bind_all("m" + std::to_string(++seq), "mark", nullptr, p, e.id, roll == 99 ? "caught_up" : "excused", now);
                    fix.run();
                    ++corrections;
                }
            }
        }
        tx.commit();
    }
    std::printf("Programme progress, %d participants over %zu events (%zu scans, %zu corrections; medians of %d runs; "
                "target <= 300 ms)\n",
                people, events.size(), scans, corrections, runs);

    std::vector<double> muster_ms, bare_ms;
    std::size_t at_risk = 0, rows = 0;
    for (int i = 0; i < runs; ++i) {
        auto t0 = bench_clock::now();
        auto progress = store::load_programme_progress(*db, {}, now);
        muster_ms.push_back(bench::micros_since(t0) / 1000);
        rows = progress.size();
        at_risk = 0;
        for (const auto& r : progress) at_risk += r.progress.at_risk;

        // The same rows, read bare: the queries' rows stepped through and touched, no
        // objects made, no rules applied.
        t0 = bench_clock::now();
        std::int64_t sink = 0;
        {
            db::Transaction read(*db, db::Transaction::Kind::deferred);
            for (const char* sql :
                 {"SELECT id, trn, email, first_name, last_name, school_urn, role, cohort, programme_year, part_time FROM "
                  "participants WHERE withdrawn_ms IS NULL AND role IN ('ect', 'mentor', 'npq')",
                  "SELECT id, programme, item, cohort, local_date FROM events WHERE cancelled_ms IS NULL",
                  "SELECT id, event_id, starts_ms, ends_ms FROM sessions",
                  "SELECT event_id, participant_id FROM enrolments",
                  "SELECT c.participant_id, c.event_id, c.session_id, c.direction, c.outcome, c.device_ms FROM check_ins c "
                  "WHERE c.outcome IN ('checked_in', 'checked_out', 'not_expected') AND NOT EXISTS "
                  "(SELECT 1 FROM corrections v WHERE v.kind = 'void' AND v.target_uuid = c.uuid)",
                  "SELECT uuid, kind, target_uuid, participant_id, event_id, status, reason, author, created_ms FROM corrections"}) {
                auto s = db->prepare(sql);
                s.for_each_row([&](const db::Statement& r) { sink += r.int64(0) + r.int64(1); });
            }
            read.commit();
        }
        bare_ms.push_back(bench::micros_since(t0) / 1000);
        if (sink == 42) std::printf(" ");  // keep the reads
    }
    auto m = bench::stats(muster_ms), b = bench::stats(bare_ms);
    std::printf("  muster progress (7 queries + rules, whole hub): median %7.1f ms  (min %.1f, max %.1f)  %zu rows, %zu at risk\n",
                m.median, m.min, m.max, rows, at_risk);
    std::printf("  bare SQLite, the same rows read:               median %7.1f ms  (min %.1f, max %.1f)\n", b.median, b.min,
                b.max);
    std::printf("  ratio muster/bare: %.2fx\n", m.median / b.median);

    // One school and one participant, as the page and the CLI ask for them.
    std::vector<double> school_ms, one_ms;
    for (int i = 0; i < runs; ++i) {
        auto t0 = bench_clock::now();
        auto s = store::load_programme_progress(*db, {std::nullopt, "100007"}, now);
        school_ms.push_back(bench::micros_since(t0) / 1000);
        t0 = bench_clock::now();
        auto one = store::load_programme_progress(*db, {ParticipantId{2500}, std::nullopt}, now);
        one_ms.push_back(bench::micros_since(t0) / 1000);
        if (s.size() != people / 500 || one.size() != 1) return std::printf("scoped read failed\n"), 1;
    }
    std::printf("  one school (10 participants):                 median %7.1f ms\n", bench::stats(school_ms).median);
    std::printf("  one participant:                              median %7.1f ms\n", bench::stats(one_ms).median);
    return 0;
}
