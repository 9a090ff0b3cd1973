// The register's live updates under load (issue 11), against the real muster-sync-server over
// TLS, each figure beside its target:
//   latency: 500 tablets streaming (GET /register/api/stream), a device uploads one scan,
//            the time until all 500 streams got the event it caused (p50 / p95 / max);
//   memory:  the server's resident memory (VmRSS) with 0 and with 500 streams open;
//   ingest:  check-ins/s uploaded in signed batches of 500 with 0 and with 500 streams.
// The 500 sessions are made in the hub database beforehand (store::create_link + exchange, as
// `muster register link` and the tablet's first visit would), spread over the event's rooms
// and the whole event. Usage: muster-bench-server-streams [--streams N] [--scans N] [--ingest-session ID] [--stream-interval MS]
#include "load_generator.hpp"
#include "signed_upload.hpp"
#include "server_process.hpp"
#include "sse_client.hpp"
#include "stats.hpp"

#include "command.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/register_link_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/sync/request_signing.hpp"
#include "muster/sync/sync_messages.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/uuid.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <optional>
#include <fstream>
#include <sstream>
#include <thread>

using namespace muster;
using namespace muster::bench;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr int batch_size = 500;
constexpr int ingest_batches = 100;  // 50,000 check-ins a measure
constexpr int realistic_event_batches = 6;  // 3,000 check-ins: the event while scans are timed
constexpr int ingest_connections = 4;
// The session the bulk uploads are in (--ingest-session): 1 is the one the register shows, so
// every batch grows what each snapshot reads; another session measures the streams alone.
SessionId ingest_session = 1;
// limits.stream_min_interval_ms for the server (--stream-interval; 0: the server's default).
int stream_interval_ms = 0;

struct Hub {
    std::filesystem::path dir;
    sync::DeviceSecret secret{};
    std::vector<std::string> cookies;  // one register session per stream

    Hub(const std::filesystem::path& d, int sessions) : dir(d) {
        std::filesystem::remove_all(dir);
        std::ostringstream out, err;
        if (admin::run_cli({"demo", "--hub", dir.string()}, out, err) != 0) throw std::runtime_error(err.str());
        std::ifstream f(dir / "devices/entrance-1/device.secret");
        std::string hex;
        f >> hex;
        secret = *sync::secret_from_hex(hex);
        auto db = store::open_database((dir / "hub.db").string());
        auto event = store::load_event(*db, 1);
        TimeMs now = uk_time::now_ms();
        for (int i = 0; i < sessions; ++i) {
            // Each room's tablets, and hub staff's whole-event ones.
            auto which = static_cast<std::size_t>(i) % (event->rooms.size() + 1);
            std::optional<RoomId> room;
            if (which < event->rooms.size()) room = event->rooms[which].id;
            auto link = store::create_link(*db, {1, room, std::nullopt}, now);
            if (!link.link) throw std::runtime_error("create_link refused");
            auto ex = store::exchange(*db, link.link->code, now);
            if (!ex.session) throw std::runtime_error("exchange refused");
            cookies.push_back(ex.session->cookie_value);
        }
        // Tablets each have their own address on a venue network; here all 500 come from
        // 127.0.0.1, so the per-address share is raised to carry them.
        std::ofstream(dir / "bench-server.toml")
            << "[server]\nlisten = \"127.0.0.1\"\nport = 0\nthreads = 2\n[tls]\nenabled = true\n"
            << "certificate = \"tls/server-cert.pem\"\nprivate_key = \"tls/server-key.pem\"\n[hub]\ndatabase = \"hub.db\"\n"
            << "[limits]\nbody_bytes = 1048576\nmax_connections = 2000\nmax_connections_per_address = 1000\n"
            << (stream_interval_ms > 0 ? "stream_min_interval_ms = " + std::to_string(stream_interval_ms) + "\n" : "")
            << "[log]\nlevel = \"warn\"\n";
    }
    std::string config() const { return (dir / "bench-server.toml").string(); }
    std::string log() const { return (dir / "server.log").string(); }
    std::string ca() const { return (dir / "tls/server-cert.pem").string(); }
};

CheckIn record(std::int64_t seq, TimeMs now) {
    CheckIn c;
    c.uuid = new_uuid(now);
    c.device_id = "entrance-1";
    c.device_seq = seq;
    c.participant_id = seq % 225 + 1;
    c.event_id = 1;
    c.session_id = ingest_session;
    c.outcome = Outcome::checked_in;
    c.badge_serial = 1;
    c.device_ms = now;
    c.device_offset_min = uk_time::offset_minutes(now);
    return c;
}

LoadRequest upload(const Hub& hub, std::vector<CheckIn> records) {
    return upload_request("entrance-1", hub.secret, std::move(records));
}

// Check-ins per second through the server, as the sync bench measures it: batches of 500 on
// 4 keep-alive connections, as fast as replies come back.
double ingest_rate(unsigned short port, const Hub& hub, std::int64_t& seq, int count = ingest_batches) {
    std::vector<std::vector<CheckIn>> batches(static_cast<std::size_t>(count));
    TimeMs now = uk_time::now_ms() - static_cast<TimeMs>(count) * batch_size;
    for (auto& b : batches)
        for (int i = 0; i < batch_size; ++i, ++now) b.push_back(record(++seq, now));
    return upload_rate(port, hub.ca(), "entrance-1", hub.secret, std::move(batches), ingest_connections);
}

// 500 EventSource-like readers over TLS on one thread: each sends its GET, then decodes the
// chunked body into SSE blocks and notes the newest event id and when it came.
class Tablets {
public:
    Tablets(unsigned short port, const std::vector<std::string>& cookies) : tls_(ssl::context::tls_client) {
        // The bench trusts its own hub's server; the certificate is not what is measured.
        tls_.set_verify_mode(ssl::verify_none);
        for (const auto& cookie : cookies) {
            auto t = std::make_unique<Tablet>(ioc_, tls_);
            t->request = "GET /register/api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                         "Cookie: muster_register=" + cookie + "\r\n\r\n";
            tablets_.push_back(std::move(t));
        }
        for (auto& t : tablets_) connect(*t, port);
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~Tablets() {
        asio::post(ioc_, [this] {
            for (auto& t : tablets_) {
                boost::system::error_code ignored;
                t->s.lowest_layer().close(ignored);
            }
        });
        ioc_.stop();
        thread_.join();
    }
    std::size_t size() const { return tablets_.size(); }
    // How many streams have an event newer than `id`; the latest arrival among them.
    std::size_t above(std::int64_t id, bench_clock::time_point* latest = nullptr) const {
        std::size_t n = 0;
        std::int64_t last_us = 0;
        for (const auto& t : tablets_)
            if (t->last_id.load() > id) {
                ++n;
                last_us = std::max(last_us, t->last_at_us.load());
            }
        if (latest) *latest = bench_clock::time_point(std::chrono::microseconds(last_us));
        return n;
    }
    std::int64_t newest() const {
        std::int64_t id = -1;
        for (const auto& t : tablets_) id = std::max(id, t->last_id.load());
        return id;
    }
    std::size_t failed() const { return failed_.load(); }

private:
    struct Tablet {
        Tablet(asio::io_context& ioc, ssl::context& tls) : s(ioc, tls) {}
        ssl::stream<tcp::socket> s;
        std::string request, head;
        std::array<char, 16384> buf{};
        std::optional<test::SseParser> parser;
        std::atomic<std::int64_t> last_id{-1};
        std::atomic<std::int64_t> last_at_us{0};
    };

    void connect(Tablet& t, unsigned short port) {
        t.s.lowest_layer().async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                         [this, &t](boost::system::error_code ec) {
                                             if (ec) return fail();
                                             t.s.async_handshake(ssl::stream_base::client, [this, &t](boost::system::error_code hec) {
                                                 if (hec) return fail();
                                                 asio::async_write(t.s, asio::buffer(t.request),
                                                                   [this, &t](boost::system::error_code wec, std::size_t) {
                                                                       if (wec) return fail();
                                                                       read(t);
                                                                   });
                                             });
                                         });
    }
    void read(Tablet& t) {
        t.s.async_read_some(asio::buffer(t.buf), [this, &t](boost::system::error_code ec, std::size_t n) {
            if (ec) return fail();
            const char* at = t.buf.data();
            if (!t.parser) {
                t.head.append(at, n);
                auto end = t.head.find("\r\n\r\n");
                if (end == std::string::npos) return read(t);
                if (t.head.rfind("HTTP/1.1 200", 0) != 0) return fail();
                t.parser.emplace(true);
                auto rest = t.head.substr(end + 4);
                t.parser->feed(rest.data(), rest.size());
            } else {
                t.parser->feed(at, n);
            }
            while (auto b = t.parser->next()) {
                if (!b->id) continue;
                t.last_at_us = std::chrono::duration_cast<std::chrono::microseconds>(bench_clock::now().time_since_epoch()).count();
                t.last_id = *b->id;
            }
            read(t);
        });
    }
    void fail() { ++failed_; }

    asio::io_context ioc_;
    ssl::context tls_;
    std::vector<std::unique_ptr<Tablet>> tablets_;
    std::atomic<std::size_t> failed_{0};
    std::thread thread_;
};

template <class Condition>
bool wait_for(Condition c, std::chrono::milliseconds limit) {
    auto until = bench_clock::now() + limit;
    while (!c()) {
        if (bench_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

double mb(std::size_t kib) { return static_cast<double>(kib) / 1024.0; }

}  // namespace

int main(int argc, char** argv) {
    int streams = 500, scans = 40;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--streams") == 0 && i + 1 < argc) streams = std::atoi(argv[++i]);
        if (std::strcmp(argv[i], "--scans") == 0 && i + 1 < argc) scans = std::atoi(argv[++i]);
        if (std::strcmp(argv[i], "--ingest-session") == 0 && i + 1 < argc) ingest_session = std::atoi(argv[++i]);
        if (std::strcmp(argv[i], "--stream-interval") == 0 && i + 1 < argc) stream_interval_ms = std::atoi(argv[++i]);
    }
    auto root = std::filesystem::temp_directory_path() / "muster-bench-server-streams";
    Hub hub(root / "hub", streams);
    test::ServerProcess server(hub.config(), hub.log(), /*plain_http=*/false);
    std::printf("Register streams, loopback, TLS, 2 server threads: %d tablets streaming\n", streams);

    // The event first holds what a big conference does (3,000 check-ins: 1,000 people, a few
    // scans each) while the scans are timed; the bulk ingest measures come after, with the
    // streams open, and without them before and after (the event grows by 50,000 check-ins a
    // measure, and a bigger table ingests a little slower: the two bracket it).
    std::int64_t seq = 0;
    ingest_rate(server.port(), hub, seq, realistic_event_batches);
    auto rss_idle = server.resident_kib();

    std::optional<Tablets> tablets;
    tablets.emplace(server.port(), hub.cookies);
    if (!wait_for([&] { return tablets->above(-1) == tablets->size(); }, std::chrono::seconds(60)))
        std::printf("  !! only %zu of %zu streams opened (%zu failed)\n", tablets->above(-1), tablets->size(), tablets->failed());
    auto rss_streams = server.resident_kib();

    // One scan at a time: uploaded, then timed until every stream has an event newer than
    // what they all had before it.
    std::vector<double> latency_ms;
    auto held = seq;  // check-ins in the event while the scans are timed
    {
        LoadGenerator load(server.port(), hub.ca());
        int sent = 0;
        std::int64_t before = 0;
        bench_clock::time_point t0;
        load.add_connection([&]() -> std::optional<LoadRequest> {
            if (sent > 0) {
                bench_clock::time_point last;
                if (wait_for([&] { return tablets->above(before, &last) == tablets->size(); }, std::chrono::seconds(10)))
                    latency_ms.push_back(std::chrono::duration<double, std::milli>(last - t0).count());
                else
                    std::printf("  !! scan %d reached %zu of %zu streams in 10 s\n", sent, tablets->above(before), tablets->size());
            }
            if (sent == scans) return std::nullopt;
            ++sent;
            before = tablets->newest();
            auto r = upload(hub, {record(++seq, uk_time::now_ms())});
            t0 = bench_clock::now();
            return r;
        });
        load.run(std::chrono::minutes(5));
    }
    auto rss_after = server.resident_kib();
    tablets.reset();  // closed: the first "without" measure has no stream open
    double ingest_without_before = ingest_rate(server.port(), hub, seq);
    tablets.emplace(server.port(), hub.cookies);
    if (!wait_for([&] { return tablets->above(-1) == tablets->size(); }, std::chrono::seconds(60)))
        std::printf("  !! only %zu of %zu streams reopened\n", tablets->above(-1), tablets->size());
    double ingest_with = ingest_rate(server.port(), hub, seq);
    bool all_still_open = tablets->failed() == 0;
    auto failed = tablets->failed();
    tablets.reset();
    double ingest_without_after = ingest_rate(server.port(), hub, seq);
    double ingest_without = (ingest_without_before + ingest_without_after) / 2;

    auto l = stats(latency_ms);
    std::printf("  (the event held %lld check-ins while the scans were timed: the register's read grows with them)\n",
                static_cast<long long>(held));
    std::printf("  scan to all %d streams (%zu scans): p50 %.1f ms, p95 %.1f ms, max %.1f ms   (target p95 <= 1000 ms)\n",
                streams, latency_ms.size(), l.median, l.p95, l.max);
    std::printf("  server resident memory: 0 streams %.1f MB, %d streams %.1f MB, after the scans %.1f MB   (target <= 150 MB)\n",
                mb(rss_idle), streams, mb(rss_streams), mb(rss_after));
    double drop = 100.0 * (ingest_without - ingest_with) / ingest_without;
    std::printf("  ingest: 0 streams %.0f check-ins/s (%.0f before, %.0f after), %d streams %.0f check-ins/s, drop %.1f%%   "
                "(target drop < 20%%)\n",
                ingest_without, ingest_without_before, ingest_without_after, streams, ingest_with, drop);
    if (!all_still_open) std::printf("  !! %zu streams failed or were cut\n", failed);
    server.terminate();
    server.wait(std::chrono::seconds(15));
    std::filesystem::remove_all(root);
    return 0;
}
