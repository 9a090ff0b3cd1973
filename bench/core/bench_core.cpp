// Foundation benchmarks (issue 2): scan decision + durable commit against a bare SQLite
// commit, badge verification rate against bare OpenSSL Ed25519, roster import of 100,000
// rows against a bare batched insert, and badge lookup at 100,000 participants.
// Build in Release; run: build/release/bench/core/muster-bench-core [dir]
#include "stats.hpp"

#include "muster/badge/badge_token.hpp"
#include "muster/checkin/check_in_desk.hpp"
#include "muster/roster/roster_import.hpp"
#include "muster/store/badge_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

#include <openssl/evp.h>

#include <filesystem>
#include <random>
#include <string>

using namespace muster;
using bench::bench_clock;

namespace {

std::string roster_csv(int rows, unsigned seed) {
    std::mt19937 rng(seed);
    std::string csv = "first_name,last_name,email,trn,school,urn,role,cohort,year\n";
    csv.reserve(static_cast<std::size_t>(rows) * 90);
    for (int i = 0; i < rows; ++i) {
        char trn[16];
        std::snprintf(trn, sizeof trn, "%07d", i + 1);
        csv += "Person" + std::to_string(rng() % 1000) + ",Surname" + std::to_string(i) + ",p" + std::to_string(i) +
               "@school.org.uk," + trn + ",School " + std::to_string(i % 500) + "," + std::to_string(100000 + i % 500) +
               ",ECT,2025,1\n";
    }
    return csv;
}

std::unique_ptr<db::Database> fresh(const std::filesystem::path& path) {
    std::filesystem::remove(path);
    std::filesystem::remove(path.string() + "-wal");
    std::filesystem::remove(path.string() + "-shm");
    return store::open_database(path.string());
}

}  // namespace

int main(int argc, char** argv) {
    std::filesystem::path dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path() / "muster-bench-core";
    std::filesystem::create_directories(dir);
    std::printf("Muster foundation benchmarks (files in %s; medians of repeated runs; shared machine, expect noise)\n\n",
                dir.c_str());
    auto keys = badge::HubKeyPair::generate();

    // --- 1. Roster import of 100,000 rows vs a bare batched insert -------------------
    const int people = 100'000;
    std::string csv = roster_csv(people, 1);
    auto hub = fresh(dir / "hub.db");
    auto t0 = bench_clock::now();
    auto report = roster::import_roster(*hub, csv);
    double import_ms = bench::micros_since(t0) / 1000;
    if (!report.committed) return std::printf("import failed\n"), 1;
    auto bare = fresh(dir / "bare.db");
    bare->exec("CREATE TABLE p (id INTEGER PRIMARY KEY, trn TEXT UNIQUE, email TEXT, first TEXT, last TEXT)");
    t0 = bench_clock::now();
    {
        db::Transaction tx(*bare);
        auto& ins = bare->cached("INSERT INTO p (trn, email, first, last) VALUES (?1, ?2, ?3, ?4)");
        for (int i = 0; i < people; ++i) {
            ins.bind_all(std::to_string(1000000 + i), "p" + std::to_string(i) + "@x.org", "First", "Last");
            ins.run();
        }
        tx.commit();
    }
    double bare_ms = bench::micros_since(t0) / 1000;
    std::printf("Roster import, %d rows (target <= 3000 ms)\n  muster roster import: %8.0f ms (parse, validate, match, upsert)\n"
                "  bare SQLite insert:   %8.0f ms (same row count, one transaction, no parsing)\n\n",
                people, import_ms, bare_ms);

    // --- 2. Badge verification rate vs bare OpenSSL -----------------------------------
    std::vector<std::string> tokens;
    for (int i = 1; i <= 20'000; ++i) tokens.push_back(badge::sign_badge(keys, {i, 1}));
    badge::BadgeVerifier verifier(keys.public_key());
    auto rate_of = [&](const badge::BadgeVerifier& v) {
        std::vector<double> rates;
        for (int round = 0; round < 5; ++round) {
            auto start = bench_clock::now();
            std::size_t ok = 0;
            for (const auto& t : tokens) ok += v.verify(t).ok();
            if (ok != tokens.size()) return -1.0;
            rates.push_back(static_cast<double>(tokens.size()) / (bench::micros_since(start) / 1e6));
        }
        return bench::stats(rates).median;
    };
    double unknown_rate = rate_of(verifier);
    badge::BadgeVerifier trusting(keys.public_key());
    badge::TokenDigestSet issued;
    for (const auto& t : tokens) issued.insert(badge::token_digest(t));
    trusting.trust_issued(std::move(issued));
    double issued_rate = rate_of(trusting);
    if (unknown_rate < 0 || issued_rate < 0) return std::printf("verification failed\n"), 1;
    std::vector<double> bare_rates;
    {
        unsigned char msg[26] = {}, sig[64];
        std::size_t sig_len = sizeof sig;
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, keys.pkey());
        EVP_DigestSign(ctx, sig, &sig_len, msg, sizeof msg);
        for (int round = 0; round < 5; ++round) {
            t0 = bench_clock::now();
            for (int i = 0; i < 20'000; ++i) {
                EVP_MD_CTX_reset(ctx);
                EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, keys.pkey());
                if (EVP_DigestVerify(ctx, sig, sig_len, msg, sizeof msg) != 1) return 1;
            }
            bare_rates.push_back(20'000 / (bench::micros_since(t0) / 1e6));
        }
        EVP_MD_CTX_free(ctx);
    }
    std::printf("Badge verification, one core, 20000 distinct tokens, median of 5 rounds (target >= 20000 tokens/s)\n"
                "  badges the hub issued (digest known to the device): %9.0f tokens/s\n"
                "  badges the device does not know (full Ed25519):     %9.0f tokens/s\n"
                "  reference: bare OpenSSL 3 Ed25519 verify:           %9.0f verifies/s\n\n",
                issued_rate, unknown_rate, bench::stats(bare_rates).median);

    // --- 3. Badge lookup at 100,000 participants ----------------------------------------
    {
        db::Transaction tx(*hub);
        auto change = store::next_change(*hub);
        auto ids = hub->prepare("SELECT id FROM participants");
        while (ids.step()) store::issue_badge(*hub, ids.int64(0), 0, change);
        tx.commit();
    }
    TimeMs now = uk_time::now_ms();
    auto event = store::create_event(*hub, {"ect-y1", "conference-1", 2025, uk_time::format_date(now), "Bench venue", 10, 10});
    {
        auto e = store::load_event(*hub, event);
        auto s = hub->prepare("UPDATE sessions SET starts_ms = ?2, ends_ms = ?3 WHERE id = ?1");
        s.bind_all(e->sessions[0].id, now - 1'800'000, now + 10'800'000);
        s.run();
    }
    auto loaded = *store::load_event(*hub, event);
    checkin::CheckInDesk desk(*hub, keys.public_key(),
                              {"bench-1", DeviceMode::entrance, event, loaded.sessions[0].id, std::nullopt, Direction::entry});
    std::mt19937 rng(3);
    std::vector<double> lookup, identify;
    for (int i = 0; i < 20'000; ++i) {
        ParticipantId pid = 1 + static_cast<ParticipantId>(rng() % people);
        t0 = bench_clock::now();
        auto p = store::find_participant(*hub, pid);
        bool revoked = store::is_badge_revoked(*hub, pid, 1);
        auto enrolled = store::find_enrolment(*hub, event, pid);
        lookup.push_back(bench::micros_since(t0));
        if (!p || revoked || !enrolled) return std::printf("lookup failed\n"), 1;
    }
    for (int i = 0; i < 5000; ++i) {
        ParticipantId pid = 1 + static_cast<ParticipantId>(rng() % people);
        std::string token = badge::sign_badge(keys, {pid, 1});
        t0 = bench_clock::now();
        auto c = desk.identify({Method::qr, token, ""});
        identify.push_back(bench::micros_since(t0));
        if (c.state != checkin::CredentialState::genuine) return std::printf("identify failed\n"), 1;
    }
    std::printf("Badge lookup at %d participants (target <= 50 us)\n", people);
    bench::print_row("participant + revocation + enrolment lookup", bench::stats(lookup));
    bench::print_row("identify (signature check + lookups)", bench::stats(identify));
    std::printf("\n");

    // --- 4. Scan decision + durable commit vs bare INSERT+COMMIT ------------------------
    std::vector<std::string> scan_tokens;
    for (int i = 0; i < 3000; ++i) scan_tokens.push_back(badge::sign_badge(keys, {1 + static_cast<ParticipantId>(rng() % people), 1}));
    std::vector<double> scan, commit;
    hub->exec("CREATE TABLE bare_commit (id INTEGER PRIMARY KEY, uuid TEXT, payload TEXT)");
    for (int i = 0; i < 3000; ++i) {
        // Interleaved so that both see the same disk weather.
        t0 = bench_clock::now();
        auto r = desk.scan({Method::qr, scan_tokens[static_cast<std::size_t>(i)], ""}, uk_time::now_ms());
        scan.push_back(bench::micros_since(t0));
        if (r.decision.outcome != Outcome::checked_in && r.decision.outcome != Outcome::already_checked_in)
            return std::printf("scan failed: %s\n", r.decision.reason.c_str()), 1;
        t0 = bench_clock::now();
        {
            db::Transaction tx(*hub);
            auto& ins = hub->cached("INSERT INTO bare_commit (uuid, payload) VALUES (?1, ?2)");
            ins.bind_all(r.record.uuid, "x");
            ins.run();
            tx.commit();
        }
        commit.push_back(bench::micros_since(t0));
    }
    auto s_scan = bench::stats(scan), s_commit = bench::stats(commit);
    std::printf("Scan decision + durable commit, WAL + synchronous=FULL (target p99 <= 2000 us and <= 3x bare)\n");
    bench::print_row("CheckInDesk::scan (verify, rules, commit)", s_scan);
    bench::print_row("bare INSERT + COMMIT of one row", s_commit);
    std::printf("  ratio scan/bare: median %.2fx, p99 %.2fx\n", s_scan.median / s_commit.median, s_scan.p99 / s_commit.p99);
    return 0;
}
