// muster-bench-central-drain (issue 13's target: 10,000 signed-off records drained to a
// loopback receiver in batches in ≤ 10 s, beside the receiver's own rate in the same run).
//
// One hub made once: an event with 10,000 expected people, every row settled. Each run copies
// it, registers the https target "crm" and signs the event off (10,000 record versions
// queued), then starts a real muster-sync-server whose target is a fresh stand-in CRM
// (muster-crm-stand-in, no failures): the figure is the time from the server's start to the
// stand-in holding all 10,000. In the same run the same 10,000 records are POSTed in the same
// batches straight to another fresh stand-in by a plain client loop here (one request at a
// time, as the server's worker sends them): what the receiver itself can take, with its
// fsync per request. Batches of 100 and 500; 5 runs each; medians.
#include "central_hub.hpp"
#include "crm_stand_in_process.hpp"
#include "http_probe.hpp"
#include "server_process.hpp"
#include "stats.hpp"

#include "muster/log/logger.hpp"
#include "muster/store/central_outbox.hpp"

#include <boost/json.hpp>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

using namespace muster;
using namespace muster::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

// Arguments (a quick check in a Debug build): [records] [runs].
int records = 10'000;
int runs = 5;

double seconds_since(bench::bench_clock::time_point t0) { return bench::micros_since(t0) / 1e6; }

// The request bodies the https target sends (the record as it is, its idempotency key, record
// id, version and correction flag), `batch` records each, from the hub's outbox.
std::vector<std::string> batches_from(const std::string& hub_db, std::size_t batch) {
    db::Database db(hub_db, db::OpenMode::read_only);
    std::vector<std::string> out;
    json::array records_in_batch;
    auto flush = [&] {
        json::object body{{"batch_id", "bench-" + std::to_string(out.size() + 1)}, {"records", std::move(records_in_batch)}};
        out.push_back(json::serialize(body));
        records_in_batch = {};
    };
    auto s = db.prepare(
        "SELECT d.target || ':' || r.record_id || ':' || r.version, r.record_id, r.version, d.correction, r.payload "
        "FROM central_deliveries d JOIN central_records r ON r.id = d.record_row ORDER BY d.id");
    s.for_each_row([&](const db::Statement& row) {
        auto record = json::parse(row.text(4)).as_object();
        record["idempotency_key"] = row.text(0);
        record["record_id"] = row.text(1);
        record["version"] = row.int64(2);
        record["correction"] = row.int64(3) != 0;
        records_in_batch.push_back(std::move(record));
        if (records_in_batch.size() == batch) flush();
    });
    if (!records_in_batch.empty()) flush();
    return out;
}

struct Run {
    double sign_off_s = 0, drain_s = 0, direct_s = 0;
    std::size_t requests = 0;
};

Run one_run(const std::string& template_hub, std::size_t batch) {
    Run r;
    TempDir dir;
    std::string hub = dir.file("hub");
    fs::copy(template_hub, hub, fs::copy_options::recursive);
    {
        auto db = store::open_database(hub + "/hub.db");
        std::vector<store::CentralTarget> targets{{"crm", store::TargetKind::https}};
        store::register_central_targets(*db, targets, uk_time::now_ms());
        auto event = store::list_events(*db).at(0).id;
        auto t0 = bench::bench_clock::now();
        auto signed_off = store::sign_off_event(*db, event, {std::nullopt, "Bench"}, "", uk_time::now_ms());
        r.sign_off_s = seconds_since(t0);
        if (signed_off.outcome != store::SignOffOutcome::signed_off) throw std::runtime_error("sign-off refused");
    }
    auto bodies = batches_from(hub + "/hub.db", batch);
    r.requests = bodies.size();

    // Drained by the server.
    {
        StandInProcess crm(dir.file("drained.jsonl"), {"--token", "stand-in-token"});
        CentralTargetOptions t;
        t.batch_size = static_cast<int>(batch);
        t.timeout_ms = 30'000;
        append_https_target(hub, crm.port(), t);
        auto t0 = bench::bench_clock::now();
        ServerProcess server(hub + "/sync-server.toml", hub + "/server.log");
        if (!wait_until([&] { return crm.stats().records >= static_cast<std::uint64_t>(records); }, 300s))
            throw std::runtime_error("the server did not drain the outbox within 300 s");
        r.drain_s = seconds_since(t0);
    }
    // Straight to the receiver.
    {
        StandInProcess crm(dir.file("direct.jsonl"), {"--token", "stand-in-token"});
        std::map<std::string, std::string> auth{{"Authorization", "Bearer stand-in-token"}};
        auto t0 = bench::bench_clock::now();
        for (const auto& body : bodies)
            if (http_request(crm.port(), "POST", "/api/attendance", body, auth, 30s).status != 200)
                throw std::runtime_error("the stand-in refused a batch");
        r.direct_s = seconds_since(t0);
        if (crm.stats().records != static_cast<std::uint64_t>(records)) throw std::runtime_error("the stand-in did not store every record");
    }
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc > 1) records = std::stoi(argv[1]);
        if (argc > 2) runs = std::stoi(argv[2]);
        std::printf("muster-bench-central-drain: %d signed-off records to a loopback stand-in CRM, %d runs per batch size\n",
                    records, runs);
        auto t0 = bench::bench_clock::now();
        CentralHub made(records);
        made.db.reset();
        std::printf("  (hub with %d settled rows made in %.1f s)\n", records, seconds_since(t0));
        for (std::size_t batch : {std::size_t{100}, std::size_t{500}}) {
            std::vector<double> sign_off, drain, direct;
            std::size_t requests = 0;
            for (int i = 0; i < runs; ++i) {
                auto r = one_run(made.hub, batch);
                sign_off.push_back(r.sign_off_s * 1000);
                drain.push_back(r.drain_s);
                direct.push_back(r.direct_s);
                requests = r.requests;
                std::printf("    run %d: sign-off %.0f ms, drained in %.2f s, direct %.2f s\n", i + 1, r.sign_off_s * 1000,
                            r.drain_s, r.direct_s);
            }
            auto d = bench::stats(drain), s = bench::stats(direct);
            std::printf("batch_size %zu (%zu requests):\n", batch, requests);
            bench::print_row("sign-off (queuing the outbox)", bench::stats(sign_off), "ms");
            bench::print_row("server start to every record at the CRM", d, "s ");
            bench::print_row("the same batches POSTed straight to the CRM", s, "s ");
            std::printf("  drain: %.0f records/s (%.1f requests/s); receiver alone: %.0f records/s (%.1f requests/s); target <= 10 s: %s\n",
                        records / d.median, static_cast<double>(requests) / d.median, records / s.median,
                        static_cast<double>(requests) / s.median, d.median <= 10.0 ? "met" : "NOT met");
        }
        return 0;
    } catch (const std::exception& e) {
        muster::log::Logger().error("bench_failed", {{"error", e.what()}});
        return 1;
    }
}
