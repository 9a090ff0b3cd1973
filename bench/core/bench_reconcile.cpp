// The reconciliation page's data (issue 12, target p95 <= 100 ms server time): one event of
// 1,000 expected participants over two sessions with 3,000 scans (entries, exits, repeats,
// people not expected), some voided, some marked; store::load_reconciliation beside a bare
// SQLite query reading the same rows in the same run. Then a 100-row bulk marking through
// store::record_staff_corrections (one transaction). The page's whole reply, the read and
// its JSON through the handler, is bench/server/bench_reconcile_page.cpp's.
// Build in Release; run: build/bench/bench/core/muster-bench-reconcile [dir]
#include "stats.hpp"

#include "muster/roster/roster_import.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/reconciliation_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

#include <filesystem>
#include <random>
#include <string>

using namespace muster;
using bench::bench_clock;

namespace {

constexpr int expected_people = 1'000;
constexpr int unexpected_people = 60;  // year-2 ECTs who came to the year-1 date
constexpr std::size_t target_scans = 3'000;
constexpr int runs = 40;
constexpr int bulk_rows = 100;

std::string roster_csv() {
    std::string csv = "first_name,last_name,email,trn,school,urn,role,cohort,year\n";
    for (int i = 0; i < expected_people + unexpected_people; ++i) {
        char trn[16], urn[16];
        std::snprintf(trn, sizeof trn, "%07d", i + 1);
        std::snprintf(urn, sizeof urn, "%06d", 100000 + i % 120);
        csv += "Person,Surname" + std::to_string(i) + ",p" + std::to_string(i) + "@school.org.uk," + trn + ",School " +
               std::to_string(i % 120) + "," + urn + ",ECT,2025," + (i < expected_people ? "1" : "2") + "\n";
    }
    return csv;
}

TimeMs uk(int y, int m, int d, int h) { return uk_time::from_local({y, m, d, h, 0, 0}); }

}  // namespace

int main(int argc, char** argv) {
    std::filesystem::path dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path() / "muster-bench-reconcile";
    std::filesystem::create_directories(dir);
    auto path = dir / "hub.db";
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    auto db = store::open_database(path.string());
    store::use_hub_indexes(*db);  // as the hub runs it

    if (!roster::import_roster(*db, roster_csv()).committed) return std::printf("roster import failed\n"), 1;
    // The year-2 ECTs' own event (their link candidates), then the measured event, held yesterday.
    store::create_event(*db, {"ect-y2", "conference-3", 2025, "2025-09-24", "Leeds", 0, 10});
    auto event = *store::load_event(*db, store::create_event(*db, {"ect-y1", "conference-1", 2025, "2025-10-01", "Leeds", 4, 10}));
    const TimeMs now = uk(2025, 10, 2, 10);
    std::vector<ParticipantId> expected, unexpected;
    db->prepare("SELECT participant_id FROM enrolments WHERE event_id = ?1 ORDER BY participant_id")
        .bind_all(event.id)
        .for_each_row([&](const db::Statement& r) { expected.push_back(r.int64(0)); });
    db->prepare("SELECT id FROM participants WHERE programme_year = 2 ORDER BY id").for_each_row([&](const db::Statement& r) {
        unexpected.push_back(r.int64(0));
    });
    if (expected.size() != expected_people) return std::printf("expected %zu people, not %d\n", expected.size(), expected_people), 1;

    // Facts: 88 % come to both parts and check out at the end (1 in 10 late), 6 % leave at
    // lunch, 6 % do not come; the year-2 ECTs come to both parts; repeat scans fill up to
    // 3,000. 1 in 80 scans voided; half the absentees marked excused or absent.
    const auto& morning = event.sessions.at(0);
    const auto& afternoon = event.sessions.at(1);
    std::mt19937 rng(12);
    std::size_t scans = 0, voids = 0, marks = 0;
    std::int64_t seq = 0;
    {
        db::Transaction tx(*db);
        auto& scan = db->cached(
            "INSERT INTO check_ins (uuid, device_id, device_seq, participant_id, event_id, session_id, room_id, direction, "
            "method, outcome, device_ms, device_offset_min) VALUES (?1, 'door', ?2, ?3, ?4, ?5, ?6, ?7, 'qr', ?8, ?9, 60)");
        auto& fix = db->cached(
            "INSERT INTO corrections (uuid, kind, target_uuid, participant_id, event_id, status, reason, author, created_ms) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'bench', 'Hub staff', ?7)");
        auto add = [&](ParticipantId p, const Session& s, const char* direction, const char* outcome, TimeMs at) {
            std::string uuid = "s" + std::to_string(++seq);
            scan.bind_all(uuid, seq, p, event.id, s.id, event.rooms.at(static_cast<std::size_t>(p) % event.rooms.size()).id,
                          direction, outcome, at);
            scan.run();
            ++scans;
            if (rng() % 80 == 0) {
                fix.bind_all("v" + uuid, "void", uuid, p, event.id, nullptr, now);
                fix.run();
                ++voids;
            }
        };
        for (ParticipantId p : expected) {
            unsigned roll = rng() % 100;
            TimeMs in = morning.starts_ms + (rng() % 10 == 0 ? 18 : -6) * 60'000LL;
            if (roll < 88) {
                add(p, morning, "entry", "checked_in", in);
                add(p, afternoon, "entry", "checked_in", afternoon.starts_ms - 4 * 60'000LL);
                add(p, afternoon, "exit", "checked_out", afternoon.ends_ms + 2 * 60'000LL);
            } else if (roll < 94) {
                add(p, morning, "entry", "checked_in", in);
                add(p, morning, "exit", "checked_out", morning.ends_ms);
            } else if (roll % 2 == 0) {
                fix.bind_all("m" + std::to_string(++seq), "mark", nullptr, p, event.id, roll % 4 ? "excused" : "absent", now);
                fix.run();
                ++marks;
            }
        }
        for (ParticipantId p : unexpected) {
            add(p, morning, "entry", "not_expected", morning.starts_ms);
            add(p, afternoon, "entry", "not_expected", afternoon.starts_ms);
        }
        for (std::size_t i = 0; scans < target_scans; ++i)
            add(expected[(i * 7) % expected.size()], morning, "entry", "already_checked_in", morning.starts_ms + 60'000LL);
        tx.commit();
    }

    std::printf("Reconciliation page data: 1 event, %zu expected over %zu sessions, %zu scans (%zu not expected), %zu voids, "
                "%zu marks; %d runs; target p95 <= 100 ms\n",
                expected.size(), event.sessions.size(), scans, unexpected.size() * 2, voids, marks, runs);

    std::vector<double> load_us, bare_us;
    std::size_t rows = 0;
    int unsettled = 0;
    for (int i = 0; i < runs; ++i) {
        auto t0 = bench_clock::now();
        auto rec = store::load_reconciliation(*db, event.id, now);
        load_us.push_back(bench::micros_since(t0));
        if (!rec) return std::printf("no reconciliation\n"), 1;
        rows = rec->rows.size();
        unsettled = rec->unsettled;

        // The same rows, read bare: stepped through and touched, no objects made, no rules.
        t0 = bench_clock::now();
        std::int64_t sink = 0;
        {
            db::Transaction read(*db, db::Transaction::Kind::deferred);
            for (const char* sql :
                 {"SELECT id, programme, item, cohort, title, venue, local_date, late_after_min FROM events WHERE id = ?1",
                  "SELECT id, name, starts_ms, ends_ms FROM sessions WHERE event_id = ?1",
                  "SELECT id, name FROM rooms WHERE event_id = ?1",
                  "SELECT e.participant_id, e.room_id, p.first_name, p.last_name, p.school_name, p.school_urn, p.role FROM "
                  "enrolments e JOIN participants p ON p.id = e.participant_id WHERE e.event_id = ?1",
                  "SELECT uuid, participant_id, session_id, room_id, direction, method, outcome, device_id, device_ms FROM "
                  "check_ins WHERE event_id = ?1",
                  "SELECT uuid, kind, target_uuid, participant_id, status, reason, author, created_ms FROM corrections WHERE "
                  "event_id = ?1"}) {
                auto s = db->prepare(sql);
                s.bind_all(event.id);
                s.for_each_row([&](const db::Statement& r) { sink += r.int64(0) + static_cast<std::int64_t>(r.text(1).size()); });
            }
            read.commit();
        }
        bare_us.push_back(bench::micros_since(t0));
        if (sink == 42) std::printf(" ");  // keep the reads
    }
    auto load = bench::stats(load_us), bare = bench::stats(bare_us);
    for (auto* v : {&load, &bare})
        for (double* x : {&v->median, &v->p95, &v->p99, &v->min, &v->max}) *x /= 1000;
    bench::print_row("load_reconciliation (rows, parts, history)", load, "ms");
    // The page's whole reply (this plus its JSON) is muster-bench-reconcile-page's figure.
    const auto& judged = load;
    bench::print_row("bare SQLite, the same rows read", bare, "ms");
    std::printf("  %zu rows, %d unsettled; ratio muster/bare (medians): %.1fx; target p95 <= 100 ms: %s (p95 %.1f ms)\n", rows,
                unsettled, judged.median / bare.median, judged.p95 <= 100 ? "met" : "NOT MET", judged.p95);

    // Bulk marking: 100 people present ("forgot badge") in one transaction, as the page's
    // selection or `muster attendance mark --participants-file` sends it.
    std::vector<double> bulk_us;
    store::CorrectionAuthor by{std::nullopt, "Bench staff"};
    for (int i = 0; i < runs; ++i) {
        std::vector<store::StaffCorrection> items;
        for (int k = 0; k < bulk_rows; ++k) {
            store::StaffCorrection c;
            c.uuid = "018f0000-0000-7000-8000-" + std::to_string(100'000'000'000LL + i * 1000 + k);
            c.action = store::StaffAction::present;
            c.event_id = event.id;
            c.participant_id = expected[static_cast<std::size_t>((i * bulk_rows + k) % expected_people)];
            c.reason = "forgot badge";
            items.push_back(std::move(c));
        }
        auto t0 = bench_clock::now();
        auto results = store::record_staff_corrections(*db, by, items, now);
        bulk_us.push_back(bench::micros_since(t0));
        for (const auto& r : results)
            if (r.outcome != store::CorrectionOutcome::stored)
                return std::printf("bulk item refused: %s %s\n", std::string(to_string(r.outcome)).c_str(), r.problem.c_str()), 1;
    }
    auto bulk = bench::stats(bulk_us);
    for (double* x : {&bulk.median, &bulk.p95, &bulk.p99, &bulk.min, &bulk.max}) *x /= 1000;
    bench::print_row("record_staff_corrections, 100 rows", bulk, "ms");
    return 0;
}
