// The HTTP layer against the real server process, with raw sockets: request framing that
// cannot be trusted is refused (RFC 9112 §6.3), and one client address cannot take every
// connection. Loopback is all of 127/8 on Linux, so 127.0.0.1 and 127.0.0.2 are two clients.
#include "http_probe.hpp"
#include "sync_fixture.hpp"

#include "muster/store/participant_store.hpp"
#include "muster/store/schema.hpp"

#include <boost/asio.hpp>

#include <catch2/catch.hpp>

#include <poll.h>

#include <fstream>
#include <thread>

using namespace muster;
using namespace muster::test;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

// A connection from `local` (any 127.x.y.z) to the server, or a closed socket if refused.
tcp::socket connect_from(asio::io_context& ioc, const std::string& local, unsigned short port) {
    tcp::socket s(ioc);
    s.open(tcp::v4());
    s.bind({asio::ip::make_address(local), 0});
    boost::system::error_code ec;
    s.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
    if (ec) s.close();
    return s;
}

// GET /v1/health from `local`: the status, or 0 when the server closed without a reply.
int health_from(const std::string& local, unsigned short port) {
    asio::io_context ioc;
    auto s = connect_from(ioc, local, port);
    if (!s.is_open()) return 0;
    boost::system::error_code ec;
    asio::write(s, asio::buffer(std::string("GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")), ec);
    std::string reply;
    std::array<char, 4096> buf{};
    while (!ec) {
        auto n = s.read_some(asio::buffer(buf), ec);
        reply.append(buf.data(), n);
    }
    if (reply.rfind("HTTP/1.1 ", 0) != 0 || reply.size() < 12) return 0;
    return std::stoi(reply.substr(9, 3));
}

// Waits until the server has closed `want` of the sockets (read gives EOF or an error), or
// `timeout` passes; returns how many it closed.
std::size_t wait_closed_by_server(std::vector<tcp::socket>& sockets, std::size_t want, std::chrono::milliseconds timeout) {
    std::vector<bool> closed(sockets.size(), false);
    std::size_t n = 0;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (n < want && std::chrono::steady_clock::now() < deadline) {
        std::vector<pollfd> fds;
        std::vector<std::size_t> which;
        for (std::size_t i = 0; i < sockets.size(); ++i)
            if (!closed[i]) fds.push_back({sockets[i].native_handle(), POLLIN, 0}), which.push_back(i);
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (::poll(fds.data(), fds.size(), static_cast<int>(std::max<std::int64_t>(left.count(), 0))) <= 0) break;
        for (std::size_t k = 0; k < fds.size(); ++k) {
            if (!fds[k].revents) continue;
            auto& s = sockets[which[k]];
            s.non_blocking(true);
            char c;
            boost::system::error_code ec;
            s.read_some(asio::buffer(&c, 1), ec);
            if (ec && ec != asio::error::would_block) closed[which[k]] = true, ++n;
        }
    }
    return n;
}

}  // namespace

TEST_CASE("A request framed by anything but Content-Length or one chunked encoding is refused with 400", "[sync][http]") {
    RunningHub h;
    // The body of each is a whole second request: it must never be answered.
    const std::string smuggled = "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n";
    for (std::string framing : {"Transfer-Encoding: gzip\r\n", "Transfer-Encoding: chunked, identity\r\n",
                                "Transfer-Encoding: identity\r\n", "Transfer-Encoding: gzip, chunked\r\n",
                                "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
                                "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                                "Transfer-Encoding: identity\r\nContent-Length: 36\r\n",
                                "Content-Length: 36\r\nTransfer-Encoding: chunked\r\n"}) {
        INFO(framing);
        auto reply = raw_exchange(h.port(), "POST /v1/upload HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n" + smuggled,
                                  std::chrono::seconds(5));
        CHECK_THAT(reply, Catch::StartsWith("HTTP/1.1 400"));
        CHECK_THAT(reply, Catch::Contains("\"code\":\"bad_request\""));
        CHECK(count_of(reply, "Server: muster-sync-server") == 1);  // one reply: the smuggled request was not read
        CHECK_THAT(reply, !Catch::Contains("\"status\":\"ok\""));
    }
    // One chunked encoding is fine (and the connection serves the next request).
    auto ok = raw_exchange(h.port(),
                           "GET /v1/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n"
                           "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                           std::chrono::seconds(5));
    CHECK(count_of(ok, "Server: muster-sync-server") == 2);
    CHECK(count_of(ok, "\"status\":\"ok\"") == 2);
    CHECK_THAT(read_text_file(h.hub.log()), Catch::Contains("request framing"));
    CHECK(h.health() == 200);
}

TEST_CASE("One address holding its share of idle connections does not lock out another", "[sync][http]") {
    SyncHub hub;
    // At most 8 connections, 4 from one address; idle ones are kept 5 s, longer than the test.
    ServerProcess server(hub.config(65536, 5000, 8, 10'000, 4), hub.log());
    REQUIRE(health_from("127.0.0.2", server.port()) == 200);
    asio::io_context ioc;
    std::vector<tcp::socket> greedy;
    for (int i = 0; i < 8; ++i) greedy.push_back(connect_from(ioc, "127.0.0.1", server.port()));
    // The server keeps 4 and closes the other 4 at once.
    CHECK(wait_closed_by_server(greedy, 4, std::chrono::seconds(3)) == 4);
    // Another address is answered at once (with one global cap of 8 it would have been shut out).
    auto started = std::chrono::steady_clock::now();
    CHECK(health_from("127.0.0.2", server.port()) == 200);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(500));
    // The greedy address gets nothing more while it holds its share.
    CHECK(health_from("127.0.0.1", server.port()) == 0);
    // The cap over all addresses still holds: 4 + 4 idle, then a third address is refused.
    std::vector<tcp::socket> second;
    for (int i = 0; i < 4; ++i) second.push_back(connect_from(ioc, "127.0.0.2", server.port()));
    CHECK(health_from("127.0.0.2", server.port()) == 0);  // .2 holds its share too
    CHECK(health_from("127.0.0.3", server.port()) == 0);  // and all 8 are taken
    CHECK(wait_closed_by_server(second, 1, std::chrono::milliseconds(300)) == 0);  // kept, not closed
    second.clear();  // closing them frees the cap for others
    CHECK(wait_until([&] { return health_from("127.0.0.3", server.port()) == 200; }, std::chrono::seconds(3)));
    auto log = read_text_file(hub.log());
    CHECK_THAT(log, Catch::Contains("\"limit\":\"address\""));
    CHECK_THAT(log, Catch::Contains("\"limit\":\"all\""));
}

TEST_CASE("A large reply to a slow reader outlives the request timeout, in proportion to its size", "[sync][http]") {
    SyncHub hub;
    auto config = hub.config();  // request timeout 1 s: the old deadline for writing any reply
    std::ofstream(config, std::ios::app) << "changes_bytes = 33554432\n";  // one page for all of it
    std::int64_t since = 0;
    {
        // 14 scans with a 900 KB reason each (one upload each), from entrance-1: ~12.6 MB
        // for room-1, far more than the kernel's socket buffers hold.
        auto db = store::open_database(hub.hub + "/hub.db");
        db::Transaction tx(*db);
        since = store::current_change(*db);
        auto s = db->prepare("INSERT INTO check_ins (uuid, device_id, device_seq, participant_id, event_id, session_id, "
                             "direction, method, outcome, reason, device_ms, device_offset_min, received_ms, sync_seq) "
                             "VALUES (?1, 'entrance-1', ?2, 1, 1, 1, 'entry', 'manual', 'checked_in', ?3, ?4, 0, ?4, ?5)");
        const std::string reason(900'000, 'r');
        TimeMs now = uk_time::now_ms();
        for (int i = 1; i <= 14; ++i) {
            s.bind(1, new_uuid(now + i)).bind(2, i).bind(3, reason).bind(4, now + i).bind(5, store::next_change(*db));
            s.run();
        }
        tx.commit();
    }
    ServerProcess server(config, hub.log());
    asio::io_context ioc;
    tcp::socket s(ioc);
    s.open(tcp::v4());
    s.set_option(asio::socket_base::receive_buffer_size(64 * 1024));  // a small window: the reader sets the pace
    s.connect({asio::ip::make_address("127.0.0.1"), server.port()});
    TimeMs now = uk_time::now_ms();
    std::string target = "/v1/changes?since=" + std::to_string(since), nonce = sync::random_nonce();
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
                          std::string(sync::header_device) + ": room-1\r\n" + std::string(sync::header_time) + ": " +
                          std::to_string(now) + "\r\n" + std::string(sync::header_nonce) + ": " + nonce + "\r\n" +
                          std::string(sync::header_signature) + ": " +
                          sync::sign_request(hub.secret("room-1"), "GET", target, now, nonce, "") + "\r\n\r\n";
    asio::write(s, asio::buffer(request));
    // Read at about 4 MB/s: some 3 s for the whole reply, three times the request timeout.
    auto started = std::chrono::steady_clock::now();
    std::string reply;
    std::vector<char> chunk(64 * 1024);
    boost::system::error_code ec;
    while (!ec) {
        auto n = s.read_some(asio::buffer(chunk), ec);
        reply.append(chunk.data(), n);
        std::this_thread::sleep_for(std::chrono::milliseconds(15));  // the slow reader's pace, not a wait
    }
    auto took = std::chrono::steady_clock::now() - started;
    REQUIRE_THAT(reply, Catch::StartsWith("HTTP/1.1 200"));
    auto body_at = reply.find("\r\n\r\n");
    REQUIRE(body_at != std::string::npos);
    auto changes = sync::parse_changes(reply.substr(body_at + 4));  // whole, or this throws
    CHECK(changes.check_ins.size() == 14);
    CHECK_FALSE(changes.more);
    CHECK(took > std::chrono::milliseconds(1500));  // it did outlive the 1 s request timeout
}
