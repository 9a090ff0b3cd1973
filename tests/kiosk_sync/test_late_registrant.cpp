// Issue 16's line: a late registrant imported after `event create` checks in at a kiosk as
// expected after the kiosk's next sync. A real hub (`muster demo`), its sync server over
// HTTPS, and the entrance kiosk's model; the person is added with `muster roster import`,
// given a badge with `muster badges issue`, and reaches the kiosk whole (participant,
// enrolment, badge) through /v1/changes.
#include "kiosk_model.hpp"
#include "sync_world.hpp"

#include "muster/store/participant_store.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using namespace muster::test;

namespace {

struct Ran {
    int code = 0;
    std::string out, err;
};

Ran run_muster(std::vector<std::string> args, const std::string& hub) {
    args.push_back("--hub");
    args.push_back(hub);
    std::ostringstream out, err;
    int code = admin::run_cli(args, out, err);
    return {code, out.str(), err.str()};
}

void scan(kiosk::KioskModel& model, kiosk::ScanQueue& queue, const std::string& token) {
    queue.on_scan(kiosk::RawScan{kiosk::InputKind::wedge, token, "", std::chrono::steady_clock::now()});
    model.tick(std::chrono::steady_clock::now());
}

}  // namespace

TEST_CASE("A late registrant imported after event create checks in as expected after the kiosk's next sync", "[sync][model][roster]") {
    SyncWorld world;
    auto server = world.start_server();
    kiosk::ScanQueue queue;
    kiosk::KioskModel model(kiosk::load_device_config(world.device_toml("entrance-1")), queue);
    // The kiosk is in step with the hub before the new person exists.
    REQUIRE(eventually([&] {
        model.tick(std::chrono::steady_clock::now());
        return model.sync_status() && model.sync_status()->online;
    }, std::chrono::seconds(15)));

    // Demo event 1 is today's ECT year-1 conference for the 2025 cohort.
    std::string csv_path = world.dir.file("late.csv");
    std::ofstream(csv_path) << "first_name,last_name,email,trn,school,role,cohort,year\n"
                               "Nia,Late-Registrant,nia.late@oak.sch.uk,7654321,Oakfield Primary,ECT,2025,1\n";
    auto imported = run_muster({"roster", "import", csv_path}, world.hub);
    REQUIRE(imported.code == 0);
    CHECK_THAT(imported.out, Catch::Contains("added: #") && Catch::Contains("enrolled at event 1 ("));
    ParticipantId nia = [&] {
        auto db = store::open_database(world.hub + "/hub.db");
        return *store::find_participant_by_trn(*db, "7654321");
    }();
    REQUIRE(run_muster({"badges", "issue", "--participant", std::to_string(nia)}, world.hub).code == 0);

    // The next download brings the person, the enrolment and the badge.
    std::string who = std::to_string(nia);
    REQUIRE(eventually([&] {
        model.tick(std::chrono::steady_clock::now());
        return world.device_count("entrance-1", "SELECT COUNT(*) FROM participants WHERE id = " + who) == 1 &&
               world.device_count("entrance-1", "SELECT COUNT(*) FROM enrolments WHERE event_id = 1 AND participant_id = " + who) == 1 &&
               world.device_count("entrance-1", "SELECT COUNT(*) FROM badges WHERE participant_id = " + who) == 1;
    }, std::chrono::seconds(15)));
    model.tick(std::chrono::steady_clock::now());

    scan(model, queue, world.token(nia));
    REQUIRE(model.last_result());
    CHECK(model.last_result()->decision.outcome == Outcome::checked_in);
    REQUIRE(model.last_result()->participant);
    CHECK(model.last_result()->participant->id == nia);
    // And the scan reaches the hub as an expected check-in.
    REQUIRE(eventually([&] {
        model.tick(std::chrono::steady_clock::now());
        return world.count("SELECT COUNT(*) FROM check_ins WHERE participant_id = " + who + " AND outcome = 'checked_in'") == 1;
    }, std::chrono::seconds(15)));
}
