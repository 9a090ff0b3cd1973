// Marks from the facilitators' tablets over a real muster-sync-server on 127.0.0.1
// (docs/register.md, "Marks from the tablet"): mark present and left early, the retried
// POST, the uuid reused with other content, the CSRF token, another room's person, the undo
// (only by the link that marked), and the mark reaching a device in GET /v1/changes.
#include "register_fixture.hpp"

#include "muster/sync/sync_messages.hpp"

using namespace muster;
using namespace muster::test;

namespace {

constexpr const char* uuid1 = "0b6c2f1e-8a4d-4c3b-9f7e-1d2a3b4c5d6e";
constexpr const char* uuid2 = "1c7d3a2f-9b5e-4d4c-8a8f-2e3b4c5d6e7f";
constexpr const char* uuid3 = "2d8e4b3a-ac6f-4e5d-9b9a-3f4c5d6e7f80";
constexpr const char* uuid4 = "3e9f5c4b-bd7a-4f6e-8cab-4a5d6e7f8091";

// A tablet: its session cookie and CSRF token.
struct Tablet {
    const RegisterServer& s;
    std::string csrf;
    std::string cookie;
    Tablet(const RegisterServer& server, std::optional<RoomId> room) : s(server) { cookie = s.open(room, &csrf); }

    HttpReply post(const std::string& path, const json::object& body, bool with_token = true) const {
        std::map<std::string, std::string> headers{{"Cookie", "muster_register=" + cookie},
                                                   {"Content-Type", "application/json"}};
        if (with_token) headers["X-CSRF-Token"] = csrf;
        return http_request(s.h.port(), "POST", path, json::serialize(body), headers);
    }
    json::value state() const {
        auto r = s.state(cookie);
        REQUIRE(r.status == 200);
        return json::parse(r.body);
    }
};

json::object present(const char* uuid, std::int64_t who, const json::value& state) {
    return json::object{{"uuid", uuid},
                        {"participant_id", who},
                        {"kind", "present"},
                        {"reason", "forgot_badge"},
                        {"note", "left it at home"},
                        {"author", "Ms Jones"},
                        {"session_id", state.at("session").at("id")},
                        {"room_id", state.at("room").is_null() ? json::value(nullptr) : state.at("room").at("id")}};
}

const json::object* row_of(const json::value& state, const char* list, std::int64_t who) {
    for (const auto& p : state.at(list).as_array())
        if (p.at("id").as_int64() == who) return &p.as_object();
    return nullptr;
}

std::int64_t corrections_with(const RegisterServer& s, const std::string& uuid) {
    auto db = s.hub_db();
    auto q = db->prepare("SELECT count(*) FROM corrections WHERE uuid = ?1");
    q.bind(1, uuid);
    q.step();
    return q.int64(0);
}

}  // namespace

TEST_CASE("A tablet marks someone present by hand, a retry makes one record, and only its own link undoes it",
          "[server][register][marks]") {
    RegisterServer s;
    auto room1 = s.rooms().at(0);
    Tablet tablet(s, room1);
    auto state = tablet.state();
    REQUIRE(state.at("session").is_object());
    CHECK(state.at("counted_at").is_string());
    REQUIRE_FALSE(state.at("expected").as_array().empty());
    auto who = state.at("expected").as_array().at(0).at("id").as_int64();

    auto made = tablet.post("/register/api/marks", present(uuid1, who, state));
    REQUIRE(made.status == 201);
    auto made_body = json::parse(made.body);
    CHECK(made_body.at("uuid") == uuid1);
    auto change = made_body.at("change").as_int64();
    CHECK(change > 0);

    auto after = tablet.state();
    auto* row = row_of(after, "here", who);
    REQUIRE(row);
    CHECK_FALSE(row_of(after, "expected", who));
    REQUIRE(row->at("by_hand").is_object());
    CHECK(row->at("by_hand").at("uuid") == uuid1);
    CHECK(row->at("by_hand").at("author") == "Ms Jones");
    CHECK(row->at("by_hand").at("reason") == "forgot_badge");
    CHECK(row->at("by_hand").at("note") == "left it at home");
    CHECK(row->at("by_hand").at("undoable") == true);
    CHECK(row->at("arrived_ms") == row->at("by_hand").at("at_ms"));
    CHECK(row->at("left_ms").is_null());

    // A retried POST: one record, the same change.
    auto retry = tablet.post("/register/api/marks", present(uuid1, who, state));
    CHECK(retry.status == 200);
    CHECK(json::parse(retry.body).at("change").as_int64() == change);
    CHECK(corrections_with(s, uuid1) == 1);
    // The same uuid with other content.
    auto other = present(uuid1, who, state);
    other["note"] = "another story";
    auto clash = tablet.post("/register/api/marks", other);
    CHECK(clash.status == 409);
    CHECK(json::parse(clash.body).at("code") == "conflict");
    // Without the session's CSRF token: refused before anything is done.
    CHECK(tablet.post("/register/api/marks", present(uuid2, who, state), false).status == 403);
    CHECK(corrections_with(s, uuid2) == 0);

    // Another tablet of the same room sees the mark but may not undo it.
    Tablet second(s, room1);
    auto seen = second.state();
    REQUIRE(row_of(seen, "here", who));
    CHECK(row_of(seen, "here", who)->at("by_hand").at("undoable") == false);
    auto foreign = second.post("/register/api/marks/undo",
                               json::object{{"uuid", uuid3}, {"target_uuid", uuid1}, {"author", "Mr Khan"}});
    CHECK(foreign.status == 403);

    // Left early, then the undo of the present mark.
    auto left = tablet.post("/register/api/marks", json::object{{"uuid", uuid4},
                                                                {"participant_id", who},
                                                                {"kind", "left_early"},
                                                                {"reason", "left_early"},
                                                                {"note", ""},
                                                                {"author", "Ms Jones"},
                                                                {"session_id", state.at("session").at("id")},
                                                                {"room_id", room1}});
    REQUIRE(left.status == 201);
    auto gone_early = tablet.state();
    REQUIRE(row_of(gone_early, "here", who));
    CHECK(row_of(gone_early, "here", who)->at("left_ms").is_int64());
    CHECK(row_of(gone_early, "here", who)->at("left_mark").at("uuid") == uuid4);
    CHECK(row_of(gone_early, "here", who)->at("left_mark").at("undoable") == true);

    auto undo = tablet.post("/register/api/marks/undo",
                            json::object{{"uuid", uuid2}, {"target_uuid", uuid1}, {"author", "Ms Jones"}});
    REQUIRE(undo.status == 201);
    CHECK(json::parse(undo.body).at("change").as_int64() > change);
    auto undone = tablet.state();
    CHECK_FALSE(row_of(undone, "here", who));
    CHECK(row_of(undone, "expected", who));
    // Undoing again is harmless.
    CHECK(tablet.post("/register/api/marks/undo",
                      json::object{{"uuid", uuid2}, {"target_uuid", uuid1}, {"author", "Ms Jones"}})
              .status == 200);
    CHECK(tablet.post("/register/api/marks/undo",
                      json::object{{"uuid", uuid3}, {"target_uuid", uuid1}, {"author", "Ms Jones"}})
              .status == 200);
    CHECK(corrections_with(s, uuid3) == 0);

    // The log says what was marked, by which link, of whom: never the author's name or the note.
    REQUIRE(wait_until([&] { return read_text_file(s.h.hub.log()).find("mark_undone") != std::string::npos; },
                       std::chrono::seconds(5)));
    auto log = read_text_file(s.h.hub.log());
    CHECK(log.find("\"mark_recorded\"") != std::string::npos);
    CHECK(log.find("Ms Jones") == std::string::npos);
    CHECK(log.find("Mr Khan") == std::string::npos);
    CHECK(log.find("left it at home") == std::string::npos);
}

TEST_CASE("A room tablet cannot mark another room's person, nor post a mark that is not JSON from its own page",
          "[server][register][marks]") {
    RegisterServer s;
    auto rooms = s.rooms();
    REQUIRE(rooms.size() >= 2);
    Tablet tablet(s, rooms.at(0));
    auto state = tablet.state();
    auto of_room2 = s.enrolled_in(rooms.at(1));
    REQUIRE_FALSE(of_room2.empty());
    auto who = *of_room2.begin();

    auto refused = tablet.post("/register/api/marks", present(uuid1, who, state));
    CHECK(refused.status == 403);
    CHECK(json::parse(refused.body).at("code") == "forbidden");
    auto in_room2 = present(uuid1, who, state);
    in_room2["room_id"] = rooms.at(1);
    CHECK(tablet.post("/register/api/marks", in_room2).status == 403);
    CHECK(corrections_with(s, uuid1) == 0);

    // The whole event's tablet (hub staff) may.
    Tablet hub_desk(s, std::nullopt);
    auto whole = hub_desk.state();
    CHECK(hub_desk.post("/register/api/marks", present(uuid1, who, whole)).status == 201);

    std::map<std::string, std::string> headers{{"Cookie", "muster_register=" + tablet.cookie},
                                               {"X-CSRF-Token", tablet.csrf}};
    headers["Content-Type"] = "text/plain";
    CHECK(http_request(s.h.port(), "POST", "/register/api/marks", "{}", headers).status == 415);
    headers["Content-Type"] = "application/json";
    headers["Origin"] = "https://evil.example";
    CHECK(http_request(s.h.port(), "POST", "/register/api/marks", "{}", headers).status == 403);
    headers.erase("Origin");
    CHECK(http_request(s.h.port(), "POST", "/register/api/marks", "{\"uuid\": 3}", headers).status == 400);
}

TEST_CASE("A mark from the tablet reaches a device in its changes download", "[server][register][marks]") {
    RegisterServer s;
    auto first = signed_request(s.h.port(), "GET", "/v1/changes?since=0", "", s.h.hub.as("entrance-1"));
    REQUIRE(first.status == 200);
    auto cursor = sync::parse_changes(first.body).cursor;

    Tablet tablet(s, std::nullopt);
    auto state = tablet.state();
    auto who = state.at("expected").as_array().at(0).at("id").as_int64();
    auto made = tablet.post("/register/api/marks", present(uuid1, who, state));
    REQUIRE(made.status == 201);
    CHECK(json::parse(made.body).at("change").as_int64() > cursor);

    auto next = signed_request(s.h.port(), "GET", "/v1/changes?since=" + std::to_string(cursor), "",
                               s.h.hub.as("entrance-1"));
    REQUIRE(next.status == 200);
    auto changes = sync::parse_changes(next.body);
    REQUIRE(changes.corrections.size() == 1);
    CHECK(changes.corrections[0].uuid == uuid1);
    CHECK(changes.corrections[0].participant_id == who);
    CHECK(changes.corrections[0].status == AttendanceStatus::present);
    CHECK_FALSE(changes.corrections[0].device_id);
    CHECK(changes.cursor >= json::parse(made.body).at("change").as_int64());
}
