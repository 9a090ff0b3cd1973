// How the client narrows a 400 down to the one record the server cannot read, against a
// small fake server (plain HTTP on loopback) that decides what to refuse.
#include "device_config.hpp"
#include "fake_hub.hpp"
#include "sync_client.hpp"
#include "sync_world.hpp"

#include "muster/store/check_in_store.hpp"

#include <catch2/catch.hpp>

#include <atomic>

using namespace muster;
using namespace muster::test;

namespace {

std::string bad_request() { return sync::to_json(sync::ErrorReply{"body: check_ins[0].uuid: expected a string", uk_time::now_ms()}); }

std::vector<std::string> queue_scans(const std::string& db_path, int n) {
    auto db = store::open_database(db_path);
    db::Transaction tx(*db);
    std::vector<std::string> uuids;
    for (int i = 1; i <= n; ++i) {
        auto c = make_check_in("entrance-1", i, i);
        c.device_ms = 1'000 + i;
        store::insert_check_in(*db, c, true);
        uuids.push_back(c.uuid);
    }
    tx.commit();
    return uuids;
}

}  // namespace

TEST_CASE("A server that refuses every upload as malformed gets no record refused for good", "[sync][client]") {
    SyncWorld world;
    std::atomic<std::size_t> smallest{1000};  // the fewest records in a non-empty upload
    FakeHub hub([&](const sync::UploadBatch& b) {
        if (auto n = b.check_ins.size() + b.corrections.size(); n > 0 && n < smallest) smallest = n;
        return std::pair{400, bad_request()};
    });
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    config.server_urls = {hub.url()};
    config.sync_push = false;  // the fake hub serves one connection at a time, and holds no long poll
    queue_scans(config.database, 30);
    kiosk::SyncClient client(config.sync_settings());
    client.start();
    REQUIRE(eventually([&] { return !client.status().last_error.empty() && hub.uploads() > 0; }, std::chrono::seconds(10)));
    auto st = client.status();
    CHECK_FALSE(st.online);
    CHECK(st.rejected == 0);
    CHECK(st.queued == 30);
    CHECK_THAT(st.last_error, Catch::Contains("400"));
    CHECK(smallest == 30);  // the empty probe was refused too: no narrowing down
    client.stop();
}

TEST_CASE("A 400 for a batch is narrowed down to the one record, which alone is refused", "[sync][client]") {
    SyncWorld world;
    auto config = kiosk::load_device_config(world.device_toml("entrance-1"));
    auto uuids = queue_scans(config.database, 40);
    std::string poison = uuids[22];
    FakeHub hub([&](const sync::UploadBatch& b) {
        sync::UploadReply reply;
        reply.server_time_ms = uk_time::now_ms();
        for (const auto& c : b.check_ins) {
            if (c.uuid == poison) return std::pair{400, bad_request()};
            reply.acked.push_back(c.uuid);
        }
        return std::pair{200, sync::to_json(reply)};
    });
    config.server_urls = {hub.url()};
    config.sync_push = false;  // the fake hub serves one connection at a time, and holds no long poll
    kiosk::SyncClient client(config.sync_settings());
    client.start();
    REQUIRE(eventually([&] { return client.status().queued == 0; }, std::chrono::seconds(10)));
    auto st = client.status();
    CHECK(st.rejected == 1);
    CHECK(st.sent == 39);
    auto db = store::open_database(config.database);
    auto s = db->prepare("SELECT uuid, rejected_reason FROM outbox");
    REQUIRE(s.step());
    CHECK(s.text(0) == poison);
    CHECK_THAT(s.text(1), Catch::Contains("400") && Catch::Contains("expected a string"));
    CHECK_FALSE(s.step());
    client.stop();
}
