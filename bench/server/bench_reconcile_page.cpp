// The reconciliation page's data (issue 12, target: server time p95 <= 100 ms for an event
// of 1,000 expected participants with 3,000 scans): GET /staff/api/events/{id} through
// handle_staff_events (load_reconciliation without histories, the JSON), and one person's
// history as the page fetches it when opened (GET .../participants/{pid}), beside
// load_reconciliation alone (without and with histories) and a bare SQLite read of the same
// rows, in the same run, with each reply's size. The hub is generated in a temporary SQLite
// file; the handler is called as a function (no sockets, no TLS: what the server spends on
// the request itself).
// Build in Release; run: build/bench/bench/server/muster-bench-reconcile-page [dir]
#include "stats.hpp"

#include "staff_routes.hpp"

#include "muster/roster/roster_import.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/reconciliation_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

using namespace muster;
using bench::bench_clock;

namespace {

constexpr int people = 1'000;
constexpr int runs = 40;

std::string roster_csv() {
    std::string csv = "first_name,last_name,email,trn,school,urn,role,cohort,year\n";
    for (int i = 0; i < people; ++i) {
        char trn[16], urn[16];
        std::snprintf(trn, sizeof trn, "%07d", i + 1);
        std::snprintf(urn, sizeof urn, "%06d", 100000 + i % 100);
        csv += "Person,Surname" + std::to_string(i) + ",p" + std::to_string(i) + "@school.org.uk," + trn + ",School " +
               std::to_string(i % 100) + "," + urn + ",ECT,2025,1\n";
    }
    // Twenty mentors who scan at the ECTs' day without being expected there.
    for (int i = 0; i < 20; ++i) {
        char trn[16];
        std::snprintf(trn, sizeof trn, "%07d", 900000 + i);
        csv += "Mentor,Surname" + std::to_string(i) + ",m" + std::to_string(i) + "@school.org.uk," + trn +
               ",School 1,100001,Mentor,2025,\n";
    }
    return csv;
}

}  // namespace

int main(int argc, char** argv) {
    std::filesystem::path dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path() / "muster-bench-reconcile";
    std::filesystem::create_directories(dir);
    auto path = dir / "hub.db";
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    auto db = store::open_database(path.string());
    store::use_hub_indexes(*db);

    if (!roster::import_roster(*db, roster_csv()).committed) return std::printf("roster import failed\n"), 1;
    auto event = *store::load_event(*db, store::create_event(*db, {"ect-y1", "conference-1", 2025, "2025-10-01", "Leeds", 10, 10}));
    // The mentors' own conference a week later: the candidate each unexpected mentor is offered.
    store::create_event(*db, {"mentor", "conference-1", 2025, "2025-10-08", "Leeds", 2, 10});
    const TimeMs now = uk_time::from_local({2025, 10, 2, 9, 0, 0});

    // About 3,000 scans: 90 % come to the morning (a tenth of them late; a third tap twice)
    // and the afternoon and check out; the rest not at all; 20 mentors scanned once, not
    // expected. A few staff marks.
    std::mt19937 rng(12);
    std::size_t scans = 0, marks = 0;
    {
        db::Transaction tx(*db);
        auto& scan = db->cached(
            "INSERT INTO check_ins (uuid, device_id, device_seq, participant_id, event_id, session_id, direction, method, "
            "outcome, device_ms, device_offset_min) VALUES (?1, 'door', ?2, ?3, ?4, ?5, ?6, 'qr', ?7, ?8, 60)");
        auto& fix = db->cached(
            "INSERT INTO corrections (uuid, kind, participant_id, event_id, status, reason, author, created_ms) "
            "VALUES (?1, 'mark', ?2, ?3, ?4, 'bench', 'Hub staff', ?5)");
        std::int64_t seq = 0;
        auto add = [&](ParticipantId p, SessionId s, const char* dir_, const char* outcome, TimeMs at) {
            ++seq;
            scan.bind_all("s" + std::to_string(seq), seq, p, event.id, s, dir_, outcome, at);
            scan.run();
            ++scans;
        };
        const auto& morning = event.sessions.front();
        const auto& afternoon = event.sessions.back();
        for (ParticipantId p = 1; p <= people && scans < 3'000 - 20; ++p) {
            if (rng() % 10 == 0) {
                if (rng() % 3 == 0) {
                    fix.bind_all("m" + std::to_string(p), p, event.id, "excused", now);
                    fix.run();
                    ++marks;
                }
                continue;
            }
            add(p, morning.id, "entry", "checked_in", morning.starts_ms + (rng() % 10 == 0 ? 20 : -5) * 60'000LL);
            if (p % 3 == 0) add(p, morning.id, "entry", "already_checked_in", morning.starts_ms);  // a second tap
            add(p, afternoon.id, "entry", "checked_in", afternoon.starts_ms - 3 * 60'000LL);
            add(p, afternoon.id, "exit", "checked_out", afternoon.ends_ms - (rng() % 8 == 0 ? 60 : 0) * 60'000LL);
        }
        for (ParticipantId m = people + 1; m <= people + 20; ++m) add(m, morning.id, "entry", "not_expected", morning.starts_ms);
        tx.commit();
    }

    std::FILE* devnull = std::fopen("/dev/null", "w");
    log::Logger log(log::Level::info, devnull);
    server::ChangeFeed feed;
    store::StaffIdentity who{1, "Bench", store::StaffRole::staff};
    const std::string target = "/staff/api/events/" + std::to_string(event.id);
    server::ApiRequest http{"GET", target, {}, ""};
    server::StaffRequest request{http, target, "", who, *db, log, &feed, now};

    std::vector<double> handler_ms, history_ms, load_ms, load_full_ms, bare_ms;
    std::size_t body_bytes = 0, history_bytes = 0, rows = 0, unexpected = 0;
    for (int i = 0; i < runs; ++i) {
        auto t0 = bench_clock::now();
        auto res = server::handle_staff_events(request);
        handler_ms.push_back(bench::micros_since(t0) / 1000);
        if (!res || res->status != server::HttpStatus::ok) return std::printf("the handler refused\n"), 1;
        body_bytes = res->body.size();

        // One person's history, a different person each run (one who tapped twice: 4 scans).
        const std::string one = target + "/participants/" + std::to_string(3 * (i + 1));
        server::ApiRequest one_http{"GET", one, {}, ""};
        server::StaffRequest one_request{one_http, one, "", who, *db, log, &feed, now};
        t0 = bench_clock::now();
        auto hist = server::handle_staff_events(one_request);
        history_ms.push_back(bench::micros_since(t0) / 1000);
        if (!hist || hist->status != server::HttpStatus::ok) return std::printf("the history route refused\n"), 1;
        history_bytes = std::max(history_bytes, hist->body.size());

        t0 = bench_clock::now();
        auto rec = store::load_reconciliation(*db, event.id, now, store::Histories::counts);
        load_ms.push_back(bench::micros_since(t0) / 1000);
        rows = rec->rows.size();
        unexpected = rec->unexpected.size();

        t0 = bench_clock::now();
        auto full = store::load_reconciliation(*db, event.id, now, store::Histories::full);
        load_full_ms.push_back(bench::micros_since(t0) / 1000);
        if (full->rows.size() != rows) return std::printf("the two reads disagree\n"), 1;

        // The same rows read bare: stepped through and touched, no objects, no rules.
        t0 = bench_clock::now();
        std::int64_t sink = 0;
        {
            db::Transaction read(*db, db::Transaction::Kind::deferred);
            for (const char* sql :
                 {"SELECT p.id, p.first_name, p.last_name, p.school_name, p.school_urn, p.role, e.room_id FROM enrolments e "
                  "JOIN participants p ON p.id = e.participant_id WHERE e.event_id = ?1",
                  "SELECT uuid, participant_id, session_id, room_id, direction, outcome, method, device_ms, device_id FROM "
                  "check_ins WHERE event_id = ?1",
                  "SELECT uuid, kind, target_uuid, participant_id, status, reason, author, created_ms FROM corrections "
                  "WHERE event_id = ?1"}) {
                auto s = db->prepare(sql);
                s.bind(1, event.id);
                s.for_each_row([&](const db::Statement& r) { sink += r.int64(1) + static_cast<std::int64_t>(r.text(0).size()); });
            }
            read.commit();
        }
        bare_ms.push_back(bench::micros_since(t0) / 1000);
        if (sink == 42) std::printf(" ");  // keep the reads
    }
    std::fclose(devnull);

    std::printf("Reconciliation page data: %zu expected, %zu scans, %zu marks, %zu unexpected (%d runs; target p95 <= 100 ms)\n",
                rows, scans, marks, unexpected, runs);
    bench::print_row("GET /staff/api/events/{id} (handler, JSON)", bench::stats(handler_ms), "ms");
    bench::print_row("GET .../participants/{pid} (one history)", bench::stats(history_ms), "ms");
    bench::print_row("load_reconciliation, Histories::counts", bench::stats(load_ms), "ms");
    bench::print_row("load_reconciliation, Histories::full", bench::stats(load_full_ms), "ms");
    bench::print_row("bare SQLite, the same rows read", bench::stats(bare_ms), "ms");
    std::printf("  reply body: event %.1f KiB (%zu bytes), one history at most %.1f KiB (%zu bytes)\n",
                static_cast<double>(body_bytes) / 1024.0, body_bytes, static_cast<double>(history_bytes) / 1024.0,
                history_bytes);
    return 0;
}
