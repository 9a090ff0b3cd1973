// The register's live updates (Server-Sent Events, docs/register.md "Live updates") from a real
// muster-sync-server on 127.0.0.1: the stream's opening and snapshots, a device's upload heard
// at once, Last-Event-ID on reconnect, keep-alives, the same refusals as the state, a withdrawn
// link's stream ending, a client that does not read cut at its cap while others carry on, and
// a prompt stop with streams open.
#include "register_fixture.hpp"
#include "sse_client.hpp"

#include "muster/register/register_access.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace muster;
using namespace muster::test;
namespace json = boost::json;

namespace {

std::map<std::string, std::string> cookie_headers(const std::string& cookie) {
    return {{"Cookie", "muster_register=" + cookie}};
}

std::string stream_target(std::optional<RoomId> room = std::nullopt) {
    return "/register/api/stream" + (room ? "?room=" + std::to_string(*room) : std::string());
}

std::set<std::int64_t> here_ids(const json::value& state) {
    std::set<std::int64_t> out;
    for (const auto& p : state.at("here").as_array()) out.insert(p.at("id").as_int64());
    return out;
}

// Opens a stream and reads its head and `retry` line.
std::unique_ptr<SseClient> open_stream(const RegisterServer& s, const std::string& cookie,
                                       std::map<std::string, std::string> extra = {}, int receive_buffer = 0) {
    auto headers = cookie_headers(cookie);
    headers.insert(extra.begin(), extra.end());
    auto c = std::make_unique<SseClient>(s.port(), stream_target(), headers, receive_buffer);
    REQUIRE(c->read_head());
    REQUIRE(c->status() == 200);
    auto retry = c->next();
    REQUIRE(retry);
    REQUIRE(retry->retry == 1000);
    return c;
}

}  // namespace

TEST_CASE("A register stream opens with retry 1000 and a snapshot, and a device's upload brings a newer event",
          "[server][register][stream]") {
    RegisterServer s;
    auto room1 = s.rooms().at(0);
    auto cookie = s.open(room1);
    SseClient c(s.port(), stream_target(), cookie_headers(cookie));
    REQUIRE(c.read_head());
    REQUIRE(c.status() == 200);
    CHECK(c.headers().at("content-type") == "text/event-stream");
    CHECK(c.headers().at("cache-control") == "no-store");
    CHECK(c.headers().at("x-content-type-options") == "nosniff");
    CHECK(c.headers().count("content-security-policy") == 1);
    CHECK(c.headers().count("content-length") == 0);
    CHECK(c.headers().at("transfer-encoding") == "chunked");

    auto retry = c.next();
    REQUIRE(retry);
    CHECK(retry->raw == "retry: 1000");
    auto first = c.next();
    REQUIRE(first);
    CHECK(first->event == "state");
    REQUIRE(first->id);
    auto snapshot = json::parse(first->data);
    CHECK(snapshot.at("change").as_int64() == *first->id);
    CHECK(snapshot.at("room").at("id").as_int64() == room1);
    CHECK(here_ids(snapshot).empty());
    // The same JSON as the state, with the same change.
    auto state = json::parse(s.state(cookie).body);
    CHECK(state.at("change").as_int64() == *first->id);
    CHECK(state.at("expected") == snapshot.at("expected"));

    auto who = *s.enrolled_in(room1).begin();
    s.scan_in_room(room1, who, 1);
    auto next = c.next_event();
    REQUIRE(next);
    REQUIRE(next->id);
    CHECK(*next->id > *first->id);
    auto after = json::parse(next->data);
    CHECK(after.at("change").as_int64() == *next->id);
    CHECK(here_ids(after) == std::set<std::int64_t>{who});
    CHECK(after.at("counts").at("in").as_int64() == 1);
}

TEST_CASE("Last-Event-ID equal to the current change gives no snapshot until the next change, an older one a snapshot",
          "[server][register][stream]") {
    RegisterServer s;
    auto room1 = s.rooms().at(0);
    auto cookie = s.open(room1);
    auto current = json::parse(s.state(cookie).body).at("change").as_int64();

    auto older = open_stream(s, cookie, {{"Last-Event-ID", std::to_string(current - 1)}});
    auto snapshot = older->next_event();
    REQUIRE(snapshot);
    CHECK(snapshot->id == current);

    auto up_to_date = open_stream(s, cookie, {{"Last-Event-ID", std::to_string(current)}});
    auto who = *s.enrolled_in(room1).begin();
    s.scan_in_room(room1, who, 1);
    // The first event it gets is the upload's, not a snapshot of the change it had.
    auto first = up_to_date->next_event();
    REQUIRE(first);
    REQUIRE(first->id);
    CHECK(*first->id > current);
    CHECK(here_ids(json::parse(first->data)) == std::set<std::int64_t>{who});
    // The other stream hears the same change, with the same text.
    auto heard = older->next_event();
    REQUIRE(heard);
    CHECK(heard->id == first->id);
    CHECK(heard->raw == first->raw);
}

TEST_CASE("A quiet stream gets a keep-alive comment after the configured interval", "[server][register][stream]") {
    RegisterServer s("stream_heartbeat_ms = 200\n");
    auto cookie = s.open(std::nullopt);
    auto c = open_stream(s, cookie);
    REQUIRE(c->next_event());  // the snapshot
    auto beat = c->next(std::chrono::seconds(5));
    REQUIRE(beat);
    CHECK(beat->raw == ": keep-alive");
    CHECK_FALSE(beat->id);
    auto again = c->next(std::chrono::seconds(5));
    REQUIRE(again);
    CHECK(again->comment == "keep-alive");
}

TEST_CASE("A stream is refused like the state: no session 401, another room 403, before any stream starts",
          "[server][register][stream]") {
    RegisterServer s;
    auto rooms = s.rooms();
    REQUIRE(rooms.size() >= 2);
    auto room_cookie = s.open(rooms[0]);

    SseClient other(s.port(), stream_target(rooms[1]), cookie_headers(room_cookie));
    REQUIRE(other.read_head());
    CHECK(other.status() == 403);
    CHECK(other.headers().at("content-type") == "application/json; charset=utf-8");
    CHECK(json::parse(other.body()).at("code").as_string() == "forbidden");

    SseClient none(s.port(), stream_target(), {});
    REQUIRE(none.read_head());
    CHECK(none.status() == 401);
    CHECK(json::parse(none.body()).at("code").as_string() == "unknown");

    SseClient own(s.port(), stream_target(rooms[0]), cookie_headers(room_cookie));
    REQUIRE(own.read_head());
    CHECK(own.status() == 200);
}

TEST_CASE("A withdrawn link's stream ends", "[server][register][stream]") {
    RegisterServer s("stream_heartbeat_ms = 200\n");
    std::int64_t link_id = 0;
    auto cookie = s.open(std::nullopt, nullptr, &link_id);
    auto c = open_stream(s, cookie);
    REQUIRE(c->next_event());
    {
        auto db = s.hub_db();
        REQUIRE(store::revoke_link(*db, link_id, uk_time::now_ms()) == store::LinkRevocation::revoked);
    }
    CHECK(c->wait_closed(std::chrono::seconds(10)));
    // Reconnecting is refused, so the page can say why.
    SseClient again(s.port(), stream_target(), cookie_headers(cookie));
    REQUIRE(again.read_head());
    CHECK(again.status() == 403);
    CHECK(json::parse(again.body()).at("code").as_string() == "revoked");
}

TEST_CASE("A client that never reads is cut at its queue cap while another keeps getting events",
          "[server][register][stream]") {
    RegisterServer s("stream_queue_bytes = 4096\n");
    auto rooms = s.rooms();
    auto cookie = s.open(std::nullopt);
    auto reader = open_stream(s, cookie);
    REQUIRE(reader->next_event());
    // A small receive buffer: the kernel holds little for it, so the server's queue fills.
    SseClient stalled(s.port(), stream_target(), cookie_headers(cookie), 2048);

    auto people = s.enrolled_in(rooms.at(0));
    REQUIRE_FALSE(people.empty());
    std::int64_t seq = 0;
    bool cut = false;
    auto it = people.begin();
    std::int64_t last_id = 0;
    while (!cut && seq < 400) {
        s.scan_in_room(rooms.at(0), *it, ++seq);
        if (++it == people.end()) it = people.begin();
        auto event = reader->next_event();
        REQUIRE(event);
        REQUIRE(event->id);
        CHECK(*event->id > last_id);
        last_id = *event->id;
        cut = read_text_file(s.h.hub.log()).find("client_too_slow") != std::string::npos;
    }
    REQUIRE(cut);
    // The stalled client's connection was closed (what it holds drains, then the end).
    CHECK(stalled.wait_closed(std::chrono::seconds(10)));
    // The reader carries on.
    s.scan_in_room(rooms.at(0), *people.begin(), ++seq);
    auto later = reader->next_event();
    REQUIRE(later);
    CHECK(*later->id > last_id);
    auto log = read_text_file(s.h.hub.log());
    CHECK(log.find(cookie) == std::string::npos);
}

TEST_CASE("The server stops at once with streams open, not after its stop grace", "[server][register][stream]") {
    RegisterServer s;
    auto cookie = s.open(std::nullopt);
    std::vector<std::unique_ptr<SseClient>> streams;
    for (int i = 0; i < 3; ++i) {
        streams.push_back(open_stream(s, cookie));
        REQUIRE(streams.back()->next_event());
    }
    auto started = std::chrono::steady_clock::now();
    s.h.server.terminate();
    CHECK(s.h.server.wait(std::chrono::seconds(5)) == 0);
    auto took = std::chrono::steady_clock::now() - started;
    CHECK(took < std::chrono::seconds(5));  // the test configuration's stop grace is 10 s
    for (auto& c : streams) CHECK(c->wait_closed(std::chrono::seconds(2)));
}
