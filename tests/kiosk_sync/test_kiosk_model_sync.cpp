// The windowed kiosk's model with sync on (no window needed): what staff see, and a badge
// revoked at the hub being refused at the kiosk after the next download.
#include "kiosk_model.hpp"
#include "sync_world.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using namespace muster::test;

namespace {

void scan(kiosk::KioskModel& model, kiosk::ScanQueue& queue, const std::string& token) {
    queue.on_scan(kiosk::RawScan{kiosk::InputKind::wedge, token, "", std::chrono::steady_clock::now()});
    model.tick(std::chrono::steady_clock::now());
}

}  // namespace

TEST_CASE("A badge revoked at the hub is refused at a syncing kiosk", "[sync][model]") {
    SyncWorld world;
    auto server = world.start_server();
    kiosk::ScanQueue queue;
    kiosk::KioskModel model(kiosk::load_device_config(world.device_toml("entrance-1")), queue);
    auto people = store::enrolments(model.station().database(), 1);
    ParticipantId lost = people.at(5).participant_id;

    scan(model, queue, world.token(people.at(6).participant_id));
    REQUIRE(model.last_result());
    CHECK(model.last_result()->decision.outcome == Outcome::checked_in);
    REQUIRE(eventually([&] { return model.sync_status()->online && model.sync_status()->queued == 0; },
                       std::chrono::seconds(15)));
    CHECK_THAT(kiosk::describe(*model.sync_status()), Catch::StartsWith("online, 0 queued, last sync"));

    std::ostringstream out, err;
    REQUIRE(admin::run_cli({"badges", "revoke", "--hub", world.hub, "--participant", std::to_string(lost), "--reason",
                            "reported lost"},
                           out, err) == 0);
    // The next download (poll 300 ms here) brings the revocation; the model reloads the desk.
    REQUIRE(eventually([&] {
        model.tick(std::chrono::steady_clock::now());
        return world.device_count("entrance-1", "SELECT COUNT(*) FROM badges WHERE participant_id = " + std::to_string(lost) +
                                                    " AND revoked_ms IS NOT NULL") == 1;
    }, std::chrono::seconds(15)));
    model.tick(std::chrono::steady_clock::now());
    scan(model, queue, world.token(lost));
    CHECK(model.last_result()->decision.outcome == Outcome::revoked_badge);
}

TEST_CASE("Without a server in the device file the kiosk says sync is off", "[sync][model]") {
    DemoHub hub;
    kiosk::ScanQueue queue;
    kiosk::KioskModel model(kiosk::load_device_config(hub.entrance()), queue);
    CHECK_FALSE(model.sync_status());
}
