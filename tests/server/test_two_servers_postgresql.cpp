// Two real muster-sync-server processes on one PostgreSQL database (issue 14, docs/scale.md
// "Several server processes"): a hub made by `muster init --database URL`, devices written
// into it, and both servers started from its sync-server.toml. What one process stores the
// other serves; a request replayed to the other is refused; a batch sent to both is stored
// once; a long poll held by one hears an upload to the other; one killed, the other serves.
#include "http_probe.hpp"
#include "postgres_cluster.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"
#include "test_hub.hpp"
#include "wait_until.hpp"

#include "command.hpp"

#include "muster/db/postgresql.hpp"
#include "muster/store/badge_store.hpp"
#include "muster/store/device_secrets.hpp"
#include "muster/store/device_store.hpp"
#include "muster/sync/device_secret_box.hpp"
#include "muster/sync/request_signing.hpp"
#include "muster/sync/sync_messages.hpp"
#include "muster/util/uuid.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <future>
#include <sstream>

using namespace muster;
using namespace muster::test;

namespace {

// A hub whose store is a fresh PostgreSQL database: `muster init --database`, then a roster,
// one event with a session open now, a badge for the first person and two entrance devices.
struct PostgresHub {
    TempDir dir;
    PostgresDatabase database = fresh_postgres_database();
    std::string hub = dir.file("hub");
    EventId event = 0;
    SessionId session = 0;
    ParticipantId person = 0;
    std::map<std::string, sync::DeviceSecret> secrets;

    PostgresHub() {
        db::enable_postgresql();
        std::ostringstream out, err;
        if (admin::run_cli({"init", "--hub", hub, "--name", "Two servers hub", "--listen", "127.0.0.1",
                            "--database", database.url()},
                           out, err) != 0)
            throw std::runtime_error("muster init --database failed: " + err.str());
        auto db = store::open_database(database.url());
        if (!roster::import_roster(*db, small_roster_csv).committed) throw std::runtime_error("roster did not import");
        TimeMs now = uk_time::now_ms();
        event = store::create_event(*db, {"ect-y1", "conference-1", 2025, uk_time::format_date(now), "Test venue", 2, 10});
        auto e = store::load_event(*db, event);
        session = e->sessions.front().id;
        auto len = e->sessions.front().ends_ms - e->sessions.front().starts_ms;
        store::reschedule_session(*db, session, now - 30 * 60'000LL, now - 30 * 60'000LL + len, store::next_change(*db));
        person = *store::find_participant_by_trn(*db, "1234567");
        {
            db::Transaction tx(*db);
            store::issue_badge(*db, person, now, store::next_change(*db));
            tx.commit();
        }
        auto key = store::read_device_secrets_key(hub + "/tls/device-secrets.key").value();
        for (const char* id : {"entrance-1", "entrance-2"}) {
            auto secret = sync::generate_secret();
            store::NewDevice row{id, id, DeviceMode::entrance, event, std::nullopt, now,
                                 sync::seal_device_secret(key, id, secret)};
            if (!store::insert_device(*db, row)) throw std::runtime_error("device not added");
            secrets[id] = secret;
        }
    }

    std::string config() const { return hub + "/sync-server.toml"; }
    SignedParts as(const std::string& device) const { return SignedParts{device, secrets.at(device), {}, {}, {}}; }

    CheckIn check_in(const std::string& device, std::int64_t seq) const {
        CheckIn c;
        TimeMs now = uk_time::now_ms();
        c.uuid = new_uuid(now);
        c.device_id = device;
        c.device_seq = seq;
        c.participant_id = person;
        c.event_id = event;
        c.session_id = session;
        c.direction = Direction::entry;
        c.method = Method::qr;
        c.outcome = Outcome::checked_in;
        c.badge_serial = 1;
        c.device_ms = now;
        c.device_offset_min = uk_time::offset_minutes(now);
        return c;
    }

    std::int64_t count(const std::string& sql) const {
        db::Database d(database.url(), db::OpenMode::read_only);
        auto s = d.prepare(sql);
        s.step();
        return s.int64(0);
    }
};

std::string upload(const std::vector<CheckIn>& records) {
    sync::UploadBatch b;
    b.device_time_ms = uk_time::now_ms();
    b.check_ins = records;
    return sync::to_json(b);
}

bool acked(const HttpReply& reply, const std::string& uuid) {
    if (reply.status != 200) return false;
    auto r = sync::parse_upload_reply(reply.body);
    return std::find(r.acked.begin(), r.acked.end(), uuid) != r.acked.end();
}

// Every check-in the device is served from `since` on, paging to the end.
std::vector<std::string> served_check_ins(unsigned short port, const PostgresHub& h, const std::string& device) {
    std::vector<std::string> out;
    std::int64_t cursor = 0;
    for (;;) {
        auto reply = signed_request(port, "GET", "/v1/changes?since=" + std::to_string(cursor), "", h.as(device));
        REQUIRE(reply.status == 200);
        auto page = sync::parse_changes(reply.body);
        for (const auto& c : page.check_ins) out.push_back(c.uuid);
        cursor = page.cursor;
        if (!page.more) return out;
    }
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

struct TwoServers {
    PostgresHub h;
    ServerProcess a{h.config(), h.hub + "/a.log"};
    ServerProcess b{h.config(), h.hub + "/b.log"};
};

}  // namespace

TEST_CASE("two servers on one PostgreSQL database: an upload to one is served by the other", "[server][postgres]") {
    TwoServers s;
    auto record = s.h.check_in("entrance-1", 1);
    REQUIRE(acked(signed_request(s.a.port(), "POST", "/v1/upload", upload({record}), s.h.as("entrance-1")), record.uuid));
    CHECK(has(served_check_ins(s.b.port(), s.h, "entrance-2"), record.uuid));
    CHECK(s.h.count("SELECT COUNT(*) FROM check_ins") == 1);
    CHECK(read_text_file(s.h.hub + "/a.log").find("\"engine\":\"postgresql\"") != std::string::npos);
}

TEST_CASE("two servers on one PostgreSQL database: a request replayed to the other is refused", "[server][postgres]") {
    TwoServers s;
    auto record = s.h.check_in("entrance-1", 1);
    auto body = upload({record});
    auto parts = s.h.as("entrance-1");
    parts.time = uk_time::now_ms();
    parts.nonce = "replayed-nonce-0123456789abcdef";
    REQUIRE(acked(signed_request(s.a.port(), "POST", "/v1/upload", body, parts), record.uuid));
    auto again = signed_request(s.b.port(), "POST", "/v1/upload", body, parts);
    CHECK(again.status == 401);
    CHECK(again.body.find("replayed") != std::string::npos);
    CHECK(s.h.count("SELECT COUNT(*) FROM check_ins") == 1);
}

TEST_CASE("two servers on one PostgreSQL database: a batch sent to both at once is stored once", "[server][postgres]") {
    TwoServers s;
    std::vector<CheckIn> batch;
    for (int i = 1; i <= 200; ++i) batch.push_back(s.h.check_in("entrance-1", i));
    auto body = upload(batch);
    for (int round = 0; round < 3; ++round) {
        auto to_a = std::async(std::launch::async, [&] { return signed_request(s.a.port(), "POST", "/v1/upload", body, s.h.as("entrance-1")); });
        auto to_b = std::async(std::launch::async, [&] { return signed_request(s.b.port(), "POST", "/v1/upload", body, s.h.as("entrance-1")); });
        auto ra = to_a.get(), rb = to_b.get();
        REQUIRE(ra.status == 200);
        REQUIRE(rb.status == 200);
        CHECK(sync::parse_upload_reply(ra.body).acked.size() == batch.size());
        CHECK(sync::parse_upload_reply(rb.body).acked.size() == batch.size());
    }
    CHECK(s.h.count("SELECT COUNT(*) FROM check_ins") == 200);
    CHECK(s.h.count("SELECT COUNT(DISTINCT sync_seq) FROM check_ins") >= 1);
    // Readers see the sequence in commit order: every record is served once, paging included.
    auto served = served_check_ins(s.b.port(), s.h, "entrance-2");
    CHECK(served.size() == 200);
}

TEST_CASE("two servers on one PostgreSQL database: a long poll held by one hears an upload to the other", "[server][postgres]") {
    TwoServers s;
    std::int64_t cursor = 0;
    {
        auto reply = signed_request(s.b.port(), "GET", "/v1/changes?since=0", "", s.h.as("entrance-2"));
        REQUIRE(reply.status == 200);
        cursor = sync::parse_changes(reply.body).cursor;
    }
    REQUIRE(wait_until([&] { return read_text_file(s.h.hub + "/b.log").find("change_listen_started") != std::string::npos; },
                       std::chrono::seconds(10)));
    auto poll = std::async(std::launch::async, [&] {
        auto t0 = std::chrono::steady_clock::now();
        auto reply = signed_request(s.b.port(), "GET", "/v1/changes?since=" + std::to_string(cursor) + "&wait_ms=20000", "",
                                    s.h.as("entrance-2"));
        return std::make_pair(reply, std::chrono::steady_clock::now() - t0);
    });
    // The poll is held (nothing new yet) before the upload goes to the other process.
    CHECK(poll.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout);
    auto record = s.h.check_in("entrance-1", 1);
    auto sent = std::chrono::steady_clock::now();
    REQUIRE(acked(signed_request(s.a.port(), "POST", "/v1/upload", upload({record}), s.h.as("entrance-1")), record.uuid));
    REQUIRE(poll.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    auto [reply, took] = poll.get();
    REQUIRE(reply.status == 200);
    auto page = sync::parse_changes(reply.body);
    REQUIRE(page.check_ins.size() == 1);
    CHECK(page.check_ins.front().uuid == record.uuid);
    // Answered within the second the register promises (the fallback read alone is 250 ms).
    CHECK(std::chrono::steady_clock::now() - sent < std::chrono::seconds(1));
    CHECK(took < std::chrono::seconds(20));
}

TEST_CASE("two servers on one PostgreSQL database: one killed, the other keeps serving", "[server][postgres]") {
    TwoServers s;
    auto first = s.h.check_in("entrance-1", 1);
    REQUIRE(acked(signed_request(s.a.port(), "POST", "/v1/upload", upload({first}), s.h.as("entrance-1")), first.uuid));
    s.a.kill_hard();
    auto second = s.h.check_in("entrance-1", 2);
    REQUIRE(acked(signed_request(s.b.port(), "POST", "/v1/upload", upload({second}), s.h.as("entrance-1")), second.uuid));
    auto served = served_check_ins(s.b.port(), s.h, "entrance-2");
    CHECK(has(served, first.uuid));
    CHECK(has(served, second.uuid));
    CHECK(http_request(s.b.port(), "GET", "/v1/health").status == 200);
}

TEST_CASE("muster init --database refuses a URL with a password and a database that holds a hub", "[server][postgres]") {
    PostgresHub h;
    TempDir other;
    std::ostringstream out, err;
    CHECK(admin::run_cli({"init", "--hub", other.file("hub"), "--name", "Second", "--database", h.database.url()}, out, err) != 0);
    CHECK(err.str().find("already holds a hub") != std::string::npos);
    std::ostringstream out2, err2;
    CHECK(admin::run_cli({"init", "--hub", other.file("hub2"), "--name", "Third", "--database",
                          "postgresql://muster:secret@127.0.0.1:1/x"},
                         out2, err2) != 0);
    CHECK(err2.str().find("secret") == std::string::npos);
    CHECK(err2.str().find("pgpass") != std::string::npos);
    // The hub's own commands open the database sync-server.toml names.
    std::ostringstream out3, err3;
    CHECK(admin::run_cli({"event", "list", "--hub", h.hub}, out3, err3) == 0);
    CHECK(out3.str().find("conference-1") != std::string::npos);
}
