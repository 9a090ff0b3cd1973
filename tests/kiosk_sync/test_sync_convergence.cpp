// Three headless kiosks (real muster-kiosk processes) and the real server over HTTPS on
// loopback, through a server SIGKILL in the middle of uploads, a kiosk SIGKILL, and the
// network gone for a stretch of scans. At the end the hub holds exactly the union of every
// scan the kiosks reported, each once, and every kiosk holds the same set.
#include "convergence_kiosks.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using namespace muster::test;

TEST_CASE("Three kiosks converge on the server through a server crash, a kiosk crash and an outage", "[sync][convergence]") {
    SyncWorld world(2);
    auto server = world.start_server();
    Kiosks kiosks(world, {"entrance-1", "entrance-2", "entrance-3"});

    kiosks.round(10);  // online

    // The server dies in the middle of a burst of uploads.
    for (int i = 0; i < 15; ++i)
        for (std::size_t k = 0; k < 3; ++k) {
            kiosks.scan(k);
            if (i == 7 && k == 1) server->kill_hard();
        }
    kiosks.round(5);  // offline: answered at once, kept

    // A kiosk dies too, with records in its outbox, and comes back.
    CHECK(kiosks.queued(1) > 0);
    kiosks.procs[1]->kill_hard();
    kiosks.start(1);
    kiosks.round(3);

    server = world.start_server();  // back, on the same address
    kiosks.round(5);

    // The network goes for a stretch of scans, then returns.
    server->kill_hard();
    kiosks.round(6);
    server = world.start_server();
    kiosks.round(2);

    const auto expected = kiosks.reported;
    REQUIRE(expected.size() == 3 * (10 + 15 + 5 + 3 + 5 + 6 + 2));
    // Backoff after the outages is at most a few seconds; allow for a slow sanitizer build.
    CHECK(eventually([&] { return world.hub_uuids() == expected; }, std::chrono::seconds(60)));
    CHECK(world.stored_check_ins() == static_cast<std::int64_t>(expected.size()));  // each once
    for (std::size_t k = 0; k < 3; ++k) {
        INFO("kiosk " << kiosks.ids[k]);
        CHECK(eventually([&] { return kiosks.queued(k) == 0; }, std::chrono::seconds(30)));
        CHECK(eventually([&] { return world.device_uuids(kiosks.ids[k]) == expected; }, std::chrono::seconds(30)));
    }
    // Every device's numbering is intact: one record per sequence number, none missing.
    for (const auto& id : kiosks.ids)
        CHECK(world.count("SELECT COUNT(*) = MAX(device_seq) FROM check_ins WHERE device_id = '" + id + "'") == 1);
    for (auto& p : kiosks.procs) p->terminate();
    for (auto& p : kiosks.procs) CHECK(p->wait(std::chrono::seconds(15)) == 0);
}

TEST_CASE("Someone checked in at kiosk A is already checked in at kiosk B", "[sync][convergence]") {
    SyncWorld world(1);
    auto server = world.start_server();
    Kiosks kiosks(world, {"entrance-1", "entrance-2"});
    auto who = kiosks.people.at(3);
    REQUIRE(kiosks.scan(0, who) == "checked_in");
    auto uuid = *kiosks.reported.begin();
    // Sent at once, and fetched by B on its next poll (300 ms here, 2 s by default).
    REQUIRE(eventually([&] { return world.device_uuids("entrance-2").count(uuid) == 1; }, std::chrono::seconds(15)));
    CHECK(kiosks.scan(1, who) == "already_checked_in");
    for (auto& p : kiosks.procs) p->terminate();
}
