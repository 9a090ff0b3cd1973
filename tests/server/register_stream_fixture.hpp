#pragma once
// A demo hub's server with the register's links at hand, for the register's tests over HTTP:
// links made in the hub database, their codes exchanged for session cookies, state read.
// The stream tests need a server with extra [limits] lines and signed room scans.
#include "http_probe.hpp"
#include "sync_fixture.hpp"

#include "muster/store/register_link_store.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <fstream>
#include <set>

namespace muster::test {

// The hub's server with extra [limits] lines (a short keep-alive, a small stream queue).
struct RegisterStreamServer {
    SyncHub hub;
    ServerProcess server;
    explicit RegisterStreamServer(const std::string& extra_limits = "", std::vector<std::string> args = {})
        : server(config_with(hub, extra_limits), hub.log(), true, 0, std::move(args)) {}

    static std::string config_with(const SyncHub& hub, const std::string& extra_limits) {
        auto path = hub.config();
        std::ofstream(path, std::ios::app) << extra_limits;  // [limits] is the file's last table
        return path;
    }
    unsigned short port() const { return server.port(); }

    std::unique_ptr<db::Database> hub_db() const { return store::open_database(hub.hub + "/hub.db"); }
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
    // A session's cookie value for a new link (its id in *link_id).
    std::string open(std::optional<RoomId> room, std::int64_t* link_id = nullptr) const {
        auto made = link(room);
        if (link_id) *link_id = made.id;
        auto r = http_request(port(), "POST", "/register/session",
                              boost::json::serialize(boost::json::object{{"code", made.code}}));
        REQUIRE(r.status == 200);
        auto set = r.headers["set-cookie"];
        auto start = set.find('=') + 1;
        return set.substr(start, set.find(';') - start);
    }
    HttpReply state(const std::string& cookie, const std::string& query = "") const {
        return http_request(port(), "GET", "/register/api/state" + query, "", {{"Cookie", "muster_register=" + cookie}});
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
        auto up = signed_request(port(), "POST", "/v1/upload", upload_body({scan}), hub.as("room-1"));
        REQUIRE(up.status == 200);
    }
};

}  // namespace muster::test
