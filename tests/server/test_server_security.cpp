// Only our devices may write: every refusal over real HTTP to a real muster-sync-server,
// each checked to have stored nothing. The first case proves the same request, signed
// properly, is stored, so the refusals are not vacuous.
#include "http_probe.hpp"
#include "sync_fixture.hpp"

#include "command.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace muster;
using namespace muster::test;

TEST_CASE("A signed upload from a provisioned device is stored and acknowledged", "[sync][security]") {
    RunningHub h;
    auto records = std::vector<CheckIn>{make_check_in("entrance-1", 1), make_check_in("entrance-1", 2)};
    auto reply = signed_request(h.port(), "POST", "/v1/upload", upload_body(records), h.hub.as());
    REQUIRE(reply.status == 200);
    auto parsed = sync::parse_upload_reply(reply.body);
    CHECK(parsed.acked.size() == 2);
    CHECK(reply.headers.count("x-muster-server-time") == 1);
    CHECK(h.hub.stored_check_ins() == 2);
    auto changes = signed_request(h.port(), "GET", "/v1/changes?since=0", "", h.hub.as("room-1"));
    REQUIRE(changes.status == 200);
    CHECK(sync::parse_changes(changes.body).check_ins.size() == 2);
}

TEST_CASE("Unknown devices, wrong secrets and missing headers are refused with 401", "[sync][security]") {
    RunningHub h;
    auto body = upload_body({make_check_in("entrance-1", 1)});
    auto stranger = h.hub.as();
    stranger.device = "entrance-9";
    CHECK(signed_request(h.port(), "POST", "/v1/upload", body, stranger).status == 401);
    auto wrong_secret = h.hub.as();
    wrong_secret.secret = sync::generate_secret();
    auto r = signed_request(h.port(), "POST", "/v1/upload", body, wrong_secret);
    CHECK(r.status == 401);
    auto unknown = signed_request(h.port(), "POST", "/v1/upload", body, stranger);
    CHECK(unknown.status == 401);
    CHECK(sync::parse_error_reply(unknown.body).error == sync::parse_error_reply(r.body).error);
    CHECK(sync::parse_error_reply(unknown.body).code == sync::parse_error_reply(r.body).code);
    CHECK_THAT(sync::parse_error_reply(r.body).error, Catch::Contains("authentication failed"));
    auto someone_elses = h.hub.as();
    someone_elses.secret = h.hub.secret("room-1");  // room-1's secret in entrance-1's name
    CHECK(signed_request(h.port(), "POST", "/v1/upload", body, someone_elses).status == 401);
    CHECK(http_request(h.port(), "POST", "/v1/upload", body).status == 401);
    CHECK(h.hub.stored_check_ins() == 0);
}

TEST_CASE("A replayed request is refused, even after a server restart", "[sync][security]") {
    SyncHub hub;
    std::map<std::string, std::string> sent;
    auto body = upload_body({make_check_in("entrance-1", 1)});
    auto parts = hub.as();
    parts.nonce = sync::random_nonce();
    parts.time = uk_time::now_ms();
    {
        ServerProcess server(hub.config(), hub.log());
        CHECK(signed_request(server.port(), "POST", "/v1/upload", body, parts, &sent).status == 200);
        auto replay = http_request(server.port(), "POST", "/v1/upload", body, sent);
        CHECK(replay.status == 401);
        CHECK_THAT(sync::parse_error_reply(replay.body).error, Catch::Contains("replayed"));
        CHECK(sync::parse_error_reply(replay.body).code == sync::ErrorCode::replayed);
        server.kill_hard();
    }
    ServerProcess restarted(hub.config(), hub.log());
    CHECK(http_request(restarted.port(), "POST", "/v1/upload", body, sent).status == 401);
    CHECK(hub.stored_check_ins() == 1);
}

TEST_CASE("A tampered body breaks the signature and nothing is stored", "[sync][security]") {
    RunningHub h;
    auto honest = upload_body({make_check_in("entrance-1", 1, 1)});
    auto forged = upload_body({make_check_in("entrance-1", 1, 2)});
    auto parts = h.hub.as();
    parts.sign_body = honest;  // signed for one body, sent with another
    auto r = signed_request(h.port(), "POST", "/v1/upload", forged, parts);
    CHECK(r.status == 401);
    CHECK(h.hub.stored_check_ins() == 0);
}

TEST_CASE("A request time outside five minutes is refused and the reply gives the server time", "[sync][security]") {
    RunningHub h;
    auto body = upload_body({make_check_in("entrance-1", 1)});
    for (TimeMs off : {-10 * 60'000LL, 10 * 60'000LL}) {
        auto parts = h.hub.as();
        parts.time = uk_time::now_ms() + off;
        auto r = signed_request(h.port(), "POST", "/v1/upload", body, parts);
        CHECK(r.status == 401);
        CHECK_THAT(sync::parse_error_reply(r.body).error, Catch::Contains("time outside"));
        CHECK(sync::parse_error_reply(r.body).code == sync::ErrorCode::clock_skew);
        auto server_time = std::stoll(r.headers.at("x-muster-server-time"));
        CHECK(std::llabs(server_time - uk_time::now_ms()) < 5000);
    }
    CHECK(h.hub.stored_check_ins() == 0);
}

TEST_CASE("A revoked device is cut off at once with 403", "[sync][security]") {
    RunningHub h;
    auto first = upload_body({make_check_in("entrance-1", 1)});
    REQUIRE(signed_request(h.port(), "POST", "/v1/upload", first, h.hub.as()).status == 200);
    std::ostringstream out, err;
    REQUIRE(admin::run_cli({"device", "revoke", "--hub", h.hub.hub, "--id", "entrance-1"}, out, err) == 0);
    auto after = upload_body({make_check_in("entrance-1", 2)});
    auto r = signed_request(h.port(), "POST", "/v1/upload", after, h.hub.as());
    CHECK(r.status == 403);
    CHECK_THAT(sync::parse_error_reply(r.body).error, Catch::Contains("revoked"));
    CHECK(sync::parse_error_reply(r.body).code == sync::ErrorCode::revoked);
    CHECK(signed_request(h.port(), "GET", "/v1/changes?since=0", "", h.hub.as()).status == 403);
    CHECK(h.hub.stored_check_ins() == 1);  // what it sent before stays
    // The other device is unaffected.
    CHECK(signed_request(h.port(), "GET", "/v1/changes?since=0", "", h.hub.as("room-1")).status == 200);
}

TEST_CASE("Over HTTPS the pinned hub certificate is trusted and nothing else", "[sync][security]") {
    SyncHub hub;
    ServerProcess server(hub.config(), hub.log(), /*plain_http=*/false);
    auto url = "https://localhost:" + std::to_string(server.port()) + "/v1/health";
    auto pinned = "curl -sf --max-time 10 --cacert " + hub.hub + "/tls/server-cert.pem " + url + " > /dev/null";
    CHECK(std::system(pinned.c_str()) == 0);
    auto system_store = "curl -sf --max-time 10 " + url + " > /dev/null 2>&1";
    CHECK(std::system(system_store.c_str()) != 0);  // self-signed: only a device that pins it connects
    CHECK(http_request(server.port(), "GET", "/v1/health").status == 0);  // plain HTTP to a TLS port gets nothing
}
