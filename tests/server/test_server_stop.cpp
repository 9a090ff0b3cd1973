// Stopping with a connection that outlives the stop grace: the server cuts it and exits
// cleanly. Sessions cut this way are destroyed with the io_context's pending handlers, after
// run() has returned; they must find the server's session list still alive (run this under
// ASan: -DMUSTER_SANITIZE=ON).
#include "sync_fixture.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <catch2/catch.hpp>

using namespace muster;
using namespace muster::test;

TEST_CASE("A TLS connection held open past the stop grace is cut, and the server exits cleanly", "[sync][stop]") {
    namespace asio = boost::asio;
    namespace ssl = asio::ssl;
    SyncHub hub;
    // A stop grace of 100 ms, well under the 1 s a closing TLS connection waits for the
    // client's close_notify: the connection below is still open when the grace runs out.
    ServerProcess server(hub.config(65536, 1000, 200, /*stop_grace_ms=*/100), hub.log(), /*plain_http=*/false);

    // An idle plain connection is closed at once on stop; a TLS one is closed with a
    // close_notify and an answer awaited, which this client never sends.
    asio::io_context ioc;
    ssl::context tls(ssl::context::tls_client);
    tls.load_verify_file(hub.hub + "/tls/server-cert.pem");
    tls.set_verify_mode(ssl::verify_peer);
    ssl::stream<asio::ip::tcp::socket> client(ioc, tls);
    client.next_layer().connect({asio::ip::make_address("127.0.0.1"), server.port()});
    client.handshake(ssl::stream_base::client);
    // One whole exchange: once its reply is here, the server is reading the next request.
    asio::write(client, asio::buffer(std::string("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")));
    asio::streambuf reply;
    asio::read_until(client, reply, "}");
    REQUIRE(std::string(asio::buffers_begin(reply.data()), asio::buffers_end(reply.data())).rfind("HTTP/1.1 200", 0) == 0);

    server.terminate();
    CHECK(server.wait(std::chrono::seconds(15)) == 0);
    auto log = read_text_file(hub.log());
    INFO(log);
    CHECK_THAT(log, Catch::Contains("\"event\":\"stopping\""));
    CHECK_THAT(log, Catch::Contains("\"event\":\"stop_deadline\""));
    CHECK_THAT(log, Catch::Contains("\"event\":\"stopped\""));
    CHECK_THAT(log, !Catch::Contains("AddressSanitizer"));
}
