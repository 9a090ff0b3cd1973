#pragma once
// A demo hub's muster-sync-server on 127.0.0.1 with register links: the fixtures the register's
// server tests share (test_register_server.cpp, test_register_marks.cpp). docs/register.md.
#include "http_probe.hpp"
#include "sync_fixture.hpp"

#include "muster/register/register_access.hpp"
#include "muster/store/register_link_store.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>

namespace muster::test {

namespace json = boost::json;

inline const std::string csp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// A demo hub with its server running; extra arguments for the server (a log level), extra
// [limits] lines for its configuration (a short keep-alive, a small stream queue).
struct Served {
    SyncHub hub;
    ServerProcess server;
    explicit Served(std::vector<std::string> extra = {}, const std::string& extra_limits = "")
        : server(config_with(hub, extra_limits), hub.log(), true, 0, std::move(extra)) {}
    static std::string config_with(const SyncHub& hub, const std::string& extra_limits) {
        auto path = hub.config();
        if (!extra_limits.empty()) std::ofstream(path, std::ios::app) << extra_limits;  // [limits] is the last table
        return path;
    }
    unsigned short port() const { return server.port(); }
    int health() const { return http_request(server.port(), "GET", "/v1/health").status; }
};

struct RegisterServer {
    Served h;
    explicit RegisterServer(std::vector<std::string> extra = {}) : h(std::move(extra)) {}
    explicit RegisterServer(const std::string& extra_limits) : h({}, extra_limits) {}
    unsigned short port() const { return h.port(); }

    std::unique_ptr<db::Database> hub_db() const { return store::open_database(h.hub.hub + "/hub.db"); }
    std::vector<RoomId> rooms() const {
        auto db = hub_db();
        auto e = store::load_event(*db, 1);
        std::vector<RoomId> out;
        for (const auto& r : e->rooms) out.push_back(r.id);
        return out;
    }
    store::CreatedLink link(std::optional<RoomId> room) const {
        auto db = hub_db();
        auto made = store::create_link(*db, {1, room, std::nullopt}, uk_time::now_ms());
        REQUIRE(made.link);
        return *made.link;
    }
    HttpReply exchange(const std::string& code, std::map<std::string, std::string> headers = {}) const {
        return http_request(h.port(), "POST", "/register/session", json::serialize(json::object{{"code", code}}), headers);
    }
    // A session's cookie value, from the exchange's Set-Cookie (the link's id in *link_id).
    std::string open(std::optional<RoomId> room, std::string* csrf = nullptr, std::int64_t* link_id = nullptr) const {
        auto made = link(room);
        if (link_id) *link_id = made.id;
        auto r = exchange(made.code);
        REQUIRE(r.status == 200);
        auto set = r.headers["set-cookie"];
        auto start = set.find('=') + 1;
        if (csrf) *csrf = std::string(json::parse(r.body).at("csrf_token").as_string());
        return set.substr(start, set.find(';') - start);
    }
    HttpReply state(const std::string& cookie, const std::string& query = "") const {
        std::map<std::string, std::string> headers;
        if (!cookie.empty()) headers["Cookie"] = "theme=dark; muster_register=" + cookie;
        return http_request(h.port(), "GET", "/register/api/state" + query, "", headers);
    }
    std::set<std::int64_t> enrolled_in(RoomId room) const {
        auto db = hub_db();
        std::set<std::int64_t> out;
        for (const auto& e : store::enrolments(*db, 1))
            if (e.room_id == room) out.insert(e.participant_id);
        return out;
    }
    // A scan of `who` at the room-1 kiosk (in `room`), uploaded signed as the device does.
    void scan_in_room(RoomId room, ParticipantId who, std::int64_t seq) const {
        auto scan = make_check_in("room-1", seq, who);
        scan.room_id = room;
        auto up = signed_request(h.port(), "POST", "/v1/upload", upload_body({scan}), h.hub.as("room-1"));
        REQUIRE(up.status == 200);
    }
};

inline std::set<std::int64_t> ids_in(const json::value& state, const char* list) {
    std::set<std::int64_t> out;
    for (const auto& p : state.at(list).as_array()) out.insert(p.at("id").as_int64());
    return out;
}

inline std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

inline void check_security_headers(HttpReply& r) {
    CHECK(r.headers["content-security-policy"] == csp);
    CHECK(r.headers["x-content-type-options"] == "nosniff");
    CHECK(r.headers["referrer-policy"] == "no-referrer");
    CHECK(r.headers["cache-control"] == "no-store");
}

}  // namespace muster::test
