// Ingest on PostgreSQL (issue 14), each figure beside its reference in the same run:
//   ingest: check-ins/s that real muster-sync-server processes (one, then two) on one
//           PostgreSQL database store, uploaded over HTTPS in signed batches of 500 by
//           several devices at once (one keep-alive connection each, spread over the
//           processes), with the p95 of a batch's round trip;
//   reference: the same rows written straight into a database of the same cluster by one
//           libpq client: a multi-row INSERT (500 rows a statement, one transaction a batch)
//           and COPY (one a batch); the ratio ingest / raw INSERT (target >= 0.4);
//   context: the same uploads to one server on the SQLite hub.
// The cluster is private and durable: fsync on, synchronous_commit = on.
// Usage: muster-bench-pg-ingest [--runs N] [--batches N] [--devices N] [--no-sqlite] [--references-only]
#include "load_generator.hpp"
#include "pg_hub.hpp"
#include "server_process.hpp"
#include "signed_upload.hpp"
#include "stats.hpp"

#include "muster/sync/sync_messages.hpp"
#include "muster/time/uk_time.hpp"

#include <cstring>
#include <mutex>
#include <thread>

using namespace muster;
using namespace muster::bench;

namespace {

constexpr int batch_size = 500;

struct Batch {
    std::size_t device = 0;  // index into PgHub::devices
    std::vector<CheckIn> rows;
};

// `count` batches, dealt to the devices in turn; each device's scans in order, ending now
// (the hub refuses a record made after its upload was sent).
std::vector<Batch> make_batches(PgHub& hub, int count) {
    std::vector<Batch> out(static_cast<std::size_t>(count));
    TimeMs now = uk_time::now_ms() - static_cast<TimeMs>(count) * batch_size;
    for (std::size_t b = 0; b < out.size(); ++b) {
        out[b].device = b % hub.devices.size();
        auto& d = hub.devices[out[b].device];
        for (int i = 0; i < batch_size; ++i, ++now) out[b].rows.push_back(bench_record(d.id, ++d.seq, now));
    }
    return out;
}

struct IngestFigure {
    double rate = 0;          // acknowledged check-ins per second
    std::vector<double> ms;   // each batch's round trip
};

// Every batch uploaded over HTTPS, each device on its own keep-alive connection to the
// process ports[device % ports.size()], as fast as replies come back.
IngestFigure ingest(const PgHub& hub, const std::vector<unsigned short>& ports, const std::vector<Batch>& batches) {
    struct Device {
        std::vector<std::string> bodies;  // made before the clock starts
        std::size_t next = 0;
        bench_clock::time_point sent;
    };
    std::vector<Device> devices(hub.devices.size());
    std::size_t total = 0;
    for (const auto& b : batches) {
        sync::UploadBatch u;
        u.device_time_ms = uk_time::now_ms();
        u.check_ins = b.rows;
        devices[b.device].bodies.push_back(sync::to_json(u));
        total += b.rows.size();
    }
    std::mutex mutex;
    IngestFigure fig;
    std::size_t acked = 0, failed = 0;
    std::vector<std::unique_ptr<LoadGenerator>> loads;
    for (auto port : ports) loads.push_back(std::make_unique<LoadGenerator>(port, hub.ca()));
    for (std::size_t i = 0; i < devices.size(); ++i) {
        auto* d = &devices[i];
        const auto& who = hub.devices[i];
        loads[i % ports.size()]->add_connection(
            [d, &who]() -> std::optional<LoadRequest> {
                if (d->next >= d->bodies.size()) return std::nullopt;
                d->sent = bench_clock::now();
                // Signed as it is sent: the hub refuses a request whose signed time has aged.
                return signed_request(who.id, who.secret, "POST", "/v1/upload", std::move(d->bodies[d->next++]));
            },
            [d, &mutex, &fig, &acked, &failed](int status, const std::string& body) {
                double ms = micros_since(d->sent) / 1000.0;
                std::lock_guard lock(mutex);
                fig.ms.push_back(ms);
                if (status == 200)
                    acked += sync::parse_upload_reply(body).acked.size();
                else
                    ++failed;
            });
    }
    auto t0 = bench_clock::now();
    std::vector<std::thread> threads;
    for (auto& l : loads) threads.emplace_back([&l] { l->run(std::chrono::minutes(3)); });
    for (auto& t : threads) t.join();
    double secs = micros_since(t0) / 1e6;
    if (acked != total || failed) std::printf("  !! acked %zu of %zu (%zu batches refused)\n", acked, total, failed);
    fig.rate = static_cast<double>(acked) / secs;
    return fig;
}

constexpr const char* columns =
    "uuid, device_id, device_seq, participant_id, event_id, session_id, room_id, direction, method, outcome, reason, "
    "badge_serial, device_ms, device_offset_min, staff, received_ms, clock_skew_ms, sync_seq";
constexpr int column_count = 18;

// One row's values as text (nullopt: NULL), in `columns` order.
std::vector<std::optional<std::string>> row_values(const CheckIn& c, std::int64_t sync_seq) {
    auto opt = [](const std::optional<std::int64_t>& v) { return v ? std::optional(std::to_string(*v)) : std::nullopt; };
    return {c.uuid, c.device_id, std::to_string(c.device_seq), opt(c.participant_id), std::to_string(c.event_id),
            opt(c.session_id), opt(c.room_id), std::string(to_string(c.direction)), std::string(to_string(c.method)),
            std::string(to_string(c.outcome)), c.reason, opt(c.badge_serial), std::to_string(c.device_ms),
            std::to_string(c.device_offset_min), c.staff, std::to_string(c.device_ms), std::nullopt, std::to_string(sync_seq)};
}

void must(PGconn* pg, PGresult* r, ExecStatusType want) {
    test::PgResult held(r);
    if (PQresultStatus(r) != want) throw std::runtime_error(std::string("raw reference: ") + PQerrorMessage(pg));
}

// The raw multi-row INSERT: one prepared statement of 500 rows, BEGIN / INSERT / COMMIT a batch.
double raw_insert_rate(const std::string& url, const std::vector<Batch>& batches, std::int64_t& sync_seq) {
    auto pg = test::pg_connect(url);
    std::string sql = std::string("INSERT INTO check_ins (") + columns + ") VALUES ";
    for (int r = 0; r < batch_size; ++r) {
        sql += r ? ",(" : "(";
        for (int c = 0; c < column_count; ++c) sql += (c ? ",$" : "$") + std::to_string(r * column_count + c + 1);
        sql += ")";
    }
    sql += " ON CONFLICT (uuid) DO NOTHING";
    must(pg.get(), PQprepare(pg.get(), "batch", sql.c_str(), batch_size * column_count, nullptr), PGRES_COMMAND_OK);
    std::vector<std::vector<std::optional<std::string>>> text;  // made before the clock starts
    for (const auto& b : batches) {
        text.emplace_back();
        ++sync_seq;
        for (const auto& c : b.rows)
            for (auto& v : row_values(c, sync_seq)) text.back().push_back(std::move(v));
    }
    std::vector<const char*> params(static_cast<std::size_t>(batch_size * column_count));
    auto t0 = bench_clock::now();
    for (const auto& values : text) {
        for (std::size_t i = 0; i < values.size(); ++i) params[i] = values[i] ? values[i]->c_str() : nullptr;
        must(pg.get(), PQexec(pg.get(), "BEGIN"), PGRES_COMMAND_OK);
        must(pg.get(), PQexecPrepared(pg.get(), "batch", static_cast<int>(values.size()), params.data(), nullptr, nullptr, 0),
             PGRES_COMMAND_OK);
        must(pg.get(), PQexec(pg.get(), "COMMIT"), PGRES_COMMAND_OK);
    }
    return static_cast<double>(batches.size() * batch_size) / (micros_since(t0) / 1e6);
}

// COPY ... FROM STDIN (text format), one transaction a batch.
double raw_copy_rate(const std::string& url, const std::vector<Batch>& batches, std::int64_t& sync_seq) {
    auto pg = test::pg_connect(url);
    std::vector<std::string> data;  // made before the clock starts (no tab, newline or backslash in these values)
    for (const auto& b : batches) {
        data.emplace_back();
        ++sync_seq;
        for (const auto& c : b.rows) {
            auto values = row_values(c, sync_seq);
            for (std::size_t i = 0; i < values.size(); ++i) data.back() += (i ? "\t" : "") + (values[i] ? *values[i] : "\\N");
            data.back() += "\n";
        }
    }
    std::string copy = std::string("COPY check_ins (") + columns + ") FROM STDIN";
    auto t0 = bench_clock::now();
    for (const auto& text : data) {
        must(pg.get(), PQexec(pg.get(), "BEGIN"), PGRES_COMMAND_OK);
        must(pg.get(), PQexec(pg.get(), copy.c_str()), PGRES_COPY_IN);
        if (PQputCopyData(pg.get(), text.data(), static_cast<int>(text.size())) != 1 || PQputCopyEnd(pg.get(), nullptr) != 1)
            throw std::runtime_error(std::string("COPY: ") + PQerrorMessage(pg.get()));
        must(pg.get(), PQgetResult(pg.get()), PGRES_COMMAND_OK);
        while (PGresult* extra = PQgetResult(pg.get())) PQclear(extra);
        must(pg.get(), PQexec(pg.get(), "COMMIT"), PGRES_COMMAND_OK);
    }
    return static_cast<double>(batches.size() * batch_size) / (micros_since(t0) / 1e6);
}

void print_rate(const char* what, const std::vector<double>& rates, const char* unit) {
    auto s = stats(rates);
    std::printf("  %-62s median %8.0f %s  (min %.0f, max %.0f, %zu runs)\n", what, s.median, unit, s.min, s.max, rates.size());
}

void print_ingest(const char* what, const std::vector<IngestFigure>& runs) {
    std::vector<double> rates, ms;
    for (const auto& r : runs) {
        rates.push_back(r.rate);
        ms.insert(ms.end(), r.ms.begin(), r.ms.end());
    }
    print_rate(what, rates, "check-ins/s");
    auto l = stats(ms);
    std::printf("  %-62s batch round trip p50 %.0f ms, p95 %.0f ms, max %.0f ms\n", "", l.median, l.p95, l.max);
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 3, batches = 100, devices = 8;
    bool with_sqlite = true, references_only = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = std::atoi(argv[++i]);
        if (std::strcmp(argv[i], "--batches") == 0 && i + 1 < argc) batches = std::atoi(argv[++i]);
        if (std::strcmp(argv[i], "--devices") == 0 && i + 1 < argc) devices = std::atoi(argv[++i]);
        if (std::strcmp(argv[i], "--no-sqlite") == 0) with_sqlite = false;
        if (std::strcmp(argv[i], "--references-only") == 0) references_only = true;
    }
    auto root = std::filesystem::temp_directory_path() / "muster-bench-pg-ingest";
    PgHub hub(root / "hub", devices);
    auto raw_url = hub.empty_database("raw_insert");
    auto copy_url = hub.empty_database("raw_copy");
    std::printf("Ingest on PostgreSQL 15 (private cluster, fsync on, synchronous_commit = on), loopback HTTPS,\n"
                "%d devices on a connection each, batches of %d signed check-ins, %d per run, 2 threads per server\n",
                devices, batch_size, batch_size * batches);

    std::vector<IngestFigure> one, two, lite;
    std::vector<double> raw, copy;
    std::int64_t raw_seq = 0, copy_seq = 0;
    if (references_only) {
        for (int r = 0; r < runs; ++r) {
            auto data = make_batches(hub, batches);
            raw.push_back(raw_insert_rate(raw_url, data, raw_seq));
            copy.push_back(raw_copy_rate(copy_url, data, copy_seq));
        }
        print_rate("reference: raw multi-row INSERT (500 rows, txn a batch), libpq", raw, "rows/s     ");
        print_rate("reference: raw COPY (txn a batch), libpq", copy, "rows/s     ");
        std::filesystem::remove_all(root);
        return 0;
    }
    {
        test::ServerProcess a(hub.pg_config(), hub.log("server-a"), /*plain_http=*/false);
        test::ServerProcess b(hub.pg_config(), hub.log("server-b"), /*plain_http=*/false);
        for (int r = 0; r < runs; ++r) {
            auto data = make_batches(hub, batches);
            one.push_back(ingest(hub, {a.port()}, data));
            raw.push_back(raw_insert_rate(raw_url, data, raw_seq));
            copy.push_back(raw_copy_rate(copy_url, data, copy_seq));
            two.push_back(ingest(hub, {a.port(), b.port()}, make_batches(hub, batches)));
        }
        a.terminate();
        b.terminate();
        a.wait(std::chrono::seconds(15));
        b.wait(std::chrono::seconds(15));
    }
    if (with_sqlite) {
        test::ServerProcess s(hub.sqlite_config(), hub.log("server-sqlite"), /*plain_http=*/false);
        for (int r = 0; r < runs; ++r) lite.push_back(ingest(hub, {s.port()}, make_batches(hub, batches)));
        s.terminate();
        s.wait(std::chrono::seconds(15));
    }
    print_ingest("ingest, HTTPS, 1 server process on PostgreSQL", one);
    print_ingest("ingest, HTTPS, 2 server processes on PostgreSQL", two);
    print_rate("reference: raw multi-row INSERT (500 rows, txn a batch), libpq", raw, "rows/s     ");
    print_rate("reference: raw COPY (txn a batch), libpq", copy, "rows/s     ");
    if (with_sqlite) print_ingest("context: ingest, HTTPS, 1 server process on the SQLite hub", lite);
    std::vector<double> one_rates, two_rates;
    for (const auto& f : one) one_rates.push_back(f.rate);
    for (const auto& f : two) two_rates.push_back(f.rate);
    double raw_median = stats(raw).median;
    std::printf("  ingest / raw INSERT: 1 process %.2fx, 2 processes %.2fx   (target >= 0.4x);  ingest / COPY: %.2fx, %.2fx\n",
                stats(one_rates).median / raw_median, stats(two_rates).median / raw_median,
                stats(one_rates).median / stats(copy).median, stats(two_rates).median / stats(copy).median);
    std::filesystem::remove_all(root);
    return 0;
}
