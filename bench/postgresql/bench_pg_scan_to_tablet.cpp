// A scan at a kiosk → on a tablet connected to the OTHER server process (issue 14): two
// muster-sync-server processes on one PostgreSQL database (private cluster, synchronous_commit
// on); a register tablet's live stream (GET /register/api/stream, Server-Sent Events) open on
// process B; a device uploads one scan at a time to process A; the time from the upload's
// send to the stream's event for it (an id past the change it had). p50 / p95 over the scans
// (target p95 <= 1 s), beside the same measured on ONE process (upload and stream on A).
// Plain HTTP on loopback (the test SSE reader has no TLS): the database path is what differs.
// Usage: muster-bench-pg-scan-to-tablet [--scans N]
#include "pg_hub.hpp"
#include "server_process.hpp"
#include "http_probe.hpp"
#include "sse_client.hpp"
#include "stats.hpp"

#include "muster/sync/sync_messages.hpp"
#include "muster/time/uk_time.hpp"

#include <cstring>

using namespace muster;
using namespace muster::bench;

namespace {

// Scan-to-event latencies (ms): each scan uploaded to `upload_port`, waited for on a stream
// of `stream_port`. Missed scans (no event within 10 s) are counted, not timed.
std::vector<double> scan_latencies(PgHub& hub, unsigned short upload_port, unsigned short stream_port, int scans, int& missed) {
    test::SseClient stream(stream_port, "/register/api/stream", {{"Cookie", "muster_register=" + hub.cookies.at(0)}});
    if (!stream.read_head() || stream.status() != 200)
        throw std::runtime_error("the register stream was refused: " + std::to_string(stream.status()));
    auto first = stream.next_event();
    if (!first || !first->id) throw std::runtime_error("no first snapshot on the register stream");
    std::int64_t seen = *first->id;
    auto& device = hub.devices.at(0);
    std::vector<double> ms;
    for (int i = 0; i < scans; ++i) {
        sync::UploadBatch b;
        b.device_time_ms = uk_time::now_ms();
        b.check_ins.push_back(bench_record(device.id, ++device.seq, b.device_time_ms));
        auto body = sync::to_json(b);
        auto t0 = bench_clock::now();
        auto reply = test::signed_request(upload_port, "POST", "/v1/upload", body, test::SignedParts{device.id, device.secret, {}, {}, {}});
        if (reply.status != 200) throw std::runtime_error("upload refused: " + std::to_string(reply.status));
        bool got = false;
        auto until = bench_clock::now() + std::chrono::seconds(10);
        while (!got && bench_clock::now() < until) {
            auto e = stream.next_event(std::chrono::milliseconds(200));
            if (e && e->id && *e->id > seen) {
                seen = *e->id;
                ms.push_back(micros_since(t0) / 1000.0);
                got = true;
            }
        }
        if (!got) ++missed;
    }
    return ms;
}

void print_latency(const char* what, const std::vector<double>& ms, int missed) {
    auto s = stats(ms);
    std::printf("  %-52s p50 %6.1f ms, p95 %6.1f ms, max %6.1f ms (%zu scans%s)\n", what, s.median, s.p95, s.max, ms.size(),
                missed ? ", some MISSED" : "");
    if (missed) std::printf("  !! %d scans never reached the stream within 10 s\n", missed);
}

}  // namespace

int main(int argc, char** argv) {
    int scans = 200;
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--scans") == 0 && i + 1 < argc) scans = std::atoi(argv[++i]);
    auto root = std::filesystem::temp_directory_path() / "muster-bench-pg-scan-to-tablet";
    PgHub hub(root / "hub", 1, 1);
    std::printf("Scan to tablet on PostgreSQL 15 (private cluster, synchronous_commit = on), loopback plain HTTP,\n"
                "one scan at a time, %d scans; the server's default stream_min_interval_ms (250 ms)\n", scans);
    test::ServerProcess a(hub.pg_config(), hub.log("server-a"), /*plain_http=*/true);
    test::ServerProcess b(hub.pg_config(), hub.log("server-b"), /*plain_http=*/true);
    int missed_other = 0, missed_same = 0;
    auto other = scan_latencies(hub, a.port(), b.port(), scans, missed_other);
    auto same = scan_latencies(hub, a.port(), a.port(), scans, missed_same);
    print_latency("upload to A, tablet on B (target p95 <= 1000 ms)", other, missed_other);
    print_latency("reference: upload and tablet both on A", same, missed_same);
    a.terminate();
    b.terminate();
    a.wait(std::chrono::seconds(15));
    b.wait(std::chrono::seconds(15));
    std::filesystem::remove_all(root);
    return 0;
}
