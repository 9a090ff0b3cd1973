// `muster device list / move / remove / add (again) / import`: devices over their life, with
// real hub and device databases made by the admin tool itself (`muster demo`).
#include "cli_run.hpp"
#include "kiosk_fixture.hpp"

#include "muster/checkin/check_in_desk.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/store/device_store.hpp"
#include "muster/store/outbox_store.hpp"
#include "muster/store/settings_store.hpp"
#include "muster/util/uuid.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace muster;
using Catch::Contains;

namespace {

struct DeviceHub : test::DemoHub {
    test::CliRun run(std::vector<std::string> args) const {
        args.push_back("--hub");
        args.push_back(hub);
        return test::muster_cli(args);
    }
    std::int64_t count(const std::string& sql) const {
        db::Database d(hub + "/hub.db", db::OpenMode::read_only);
        auto s = d.prepare(sql);
        s.step();
        return s.int64(0);
    }
    store::DeviceRow row(const std::string& id) const {
        auto d = store::open_database(hub + "/hub.db");
        return store::find_device(*d, id).value();
    }
    void report(const std::string& id, const store::DeviceReport& r) const {
        auto d = store::open_database(hub + "/hub.db");
        store::note_device_report(*d, id, r);
    }
    std::string file(const std::string& path) const {
        std::ifstream f(path);
        std::stringstream ss;
        ss << f.rdbuf();
        return ss.str();
    }
    // Real scans through the check-in desk on a device's own database: recorded and queued
    // in its outbox, as a kiosk that never reached the hub leaves them.
    void scan_at(const std::string& db_path, const std::string& device, std::vector<ParticipantId> who) const {
        auto db = store::open_database(db_path);
        checkin::DeviceSetup setup{device, DeviceMode::entrance, 1, 1, std::nullopt, Direction::entry};
        checkin::CheckInDesk desk(*db, key->public_key(), setup);
        for (auto p : who) desk.scan({Method::qr, token(p), ""}, uk_time::now_ms());
    }
};

}  // namespace

TEST_CASE("device list shows each device's status, last seen, records, queue, version and clock", "[cli][devices]") {
    DeviceHub hub;
    auto never = hub.run({"device", "list"});
    REQUIRE(never.code == 0);
    CHECK_THAT(never.out, Contains("LAST SEEN") && Contains("QUEUED") && Contains("VERSION") && Contains("CLOCK"));
    CHECK_THAT(never.out, Contains("never seen"));
    CHECK_THAT(never.out, Contains("Main entrance"));

    // A long name is cut between two characters, never inside an accented one.
    REQUIRE(hub.run({"device", "add", "--id", "zz-long", "--event", "1", "--pin", "2468", "--name",
                     "Entrée principale, côté parking et bâtiment B"}).code == 0);
    CHECK_THAT(hub.run({"device", "list"}).out, Contains("Entrée principale, cô... "));

    TimeMs seen = uk_time::now_ms() - 3 * 60'000 - 5000;
    hub.report("entrance-1", {seen, "0.1.0", 7, 200'000});
    hub.report("room-1", {uk_time::now_ms(), "0.1.0", 0, -1500});
    REQUIRE(hub.run({"device", "revoke", "--id", "room-1"}).code == 0);
    auto listed = hub.run({"device", "list"});
    std::istringstream lines(listed.out);
    std::string header, entrance, room;
    std::getline(lines, header);
    std::getline(lines, entrance);
    std::getline(lines, room);
    CHECK_THAT(entrance, Contains("entrance-1") && Contains("active") && Contains("3 min ago (" + uk_time::format_local(seen) + ")"));
    CHECK_THAT(entrance, Contains(" 7 ") && Contains("0.1.0") && Contains("+200 s CHECK CLOCK"));
    CHECK_THAT(room, Contains("room-1") && Contains("REVOKED") && Contains("1 room 1") && Contains("-1 s"));
    CHECK_THAT(room, !Contains("CHECK CLOCK"));
    // Columns line up: every value of a column starts where its header does.
    CHECK(entrance.find("active") == header.find("STATUS"));
    CHECK(room.find("REVOKED") == header.find("STATUS"));
}

TEST_CASE("device move refuses a device with unsent scans and moves it with a new secret and folder", "[cli][devices]") {
    DeviceHub hub;
    auto old_secret = hub.file(hub.hub + "/devices/entrance-1/device.secret");
    auto old_box = hub.row("entrance-1").secret_box;

    auto never_synced = hub.run({"device", "move", "--id", "entrance-1", "--event", "2"});
    CHECK(never_synced.code == 1);
    CHECK_THAT(never_synced.err, Contains("never synced") && Contains("muster device import"));

    hub.report("entrance-1", {uk_time::now_ms(), "0.1.0", 3, 0});
    auto queued = hub.run({"device", "move", "--id", "entrance-1", "--event", "2"});
    CHECK(queued.code == 1);
    CHECK_THAT(queued.err, Contains("last reported 3 unsent") && Contains("Sync it first") && Contains("--force"));
    CHECK(hub.row("entrance-1").event_id == 1);  // nothing changed
    CHECK(hub.file(hub.hub + "/devices/entrance-1/device.secret") == old_secret);

    auto no_event = hub.run({"device", "move", "--id", "entrance-1", "--event", "99", "--force"});
    CHECK(no_event.code == 2);
    CHECK_THAT(no_event.err, Contains("no event 99"));
    CHECK_FALSE(std::filesystem::exists(hub.hub + "/devices/entrance-1.before-1"));  // nothing set aside

    hub.report("entrance-1", {uk_time::now_ms(), "0.1.0", 0, 0});
    auto moved = hub.run({"device", "move", "--id", "entrance-1", "--event", "2", "--pin", "1357"});
    REQUIRE(moved.code == 0);
    CHECK_THAT(moved.out, Contains("moved from event 1 to event 2") && Contains("entrance-1.before-1"));
    auto row = hub.row("entrance-1");
    CHECK(row.event_id == 2);
    CHECK(row.secret_box != old_box);
    CHECK_FALSE(row.last_seen_ms);  // the new folder has reported nothing yet
    CHECK(hub.file(hub.hub + "/devices/entrance-1/device.secret") != old_secret);
    CHECK(hub.file(hub.hub + "/devices/entrance-1.before-1/device.secret") == old_secret);  // kept for import
    CHECK_THAT(hub.file(hub.hub + "/devices/entrance-1/device.toml"), Contains("event = 2"));
    CHECK(hub.count("SELECT count(*) FROM devices WHERE id = 'entrance-1'") == 1);  // same identity

    auto room_needs_room = hub.run({"device", "move", "--id", "room-1", "--event", "2", "--force"});
    CHECK(room_needs_room.code == 2);
    CHECK_THAT(room_needs_room.err, Contains("needs --room"));
}

TEST_CASE("A moved device's new database starts its sequence above what the hub holds from it", "[cli][devices]") {
    DeviceHub hub;
    // The hub holds entrance-1's scans up to sequence 5 (as if it had synced them).
    {
        auto db = store::open_database(hub.hub + "/hub.db");
        for (int seq = 1; seq <= 5; ++seq) {
            CheckIn c;
            c.uuid = new_uuid(uk_time::now_ms());
            c.device_id = "entrance-1";
            c.device_seq = seq;
            c.event_id = 1;
            c.outcome = Outcome::invalid_badge;
            c.device_ms = uk_time::now_ms();
            store::insert_check_in(*db, c, false);
        }
    }
    REQUIRE(hub.run({"device", "move", "--id", "entrance-1", "--event", "2", "--force"}).code == 0);
    auto dev = store::open_database(hub.hub + "/devices/entrance-1/device.db");
    CHECK(store::setting(*dev, std::string(store::device_seq_floor_key)) == "5");
    CHECK(store::next_device_seq(*dev, "entrance-1") == 6);
    // The device's own records count as before once they pass the floor.
    CheckIn c;
    c.uuid = new_uuid(uk_time::now_ms());
    c.device_id = "entrance-1";
    c.device_seq = 9;
    c.event_id = 2;
    c.outcome = Outcome::invalid_badge;
    store::insert_check_in(*dev, c, true);
    CHECK(store::next_device_seq(*dev, "entrance-1") == 10);
}

TEST_CASE("device remove takes a device out of service, and its folder only with --yes", "[cli][devices]") {
    DeviceHub hub;
    auto removed = hub.run({"device", "remove", "--id", "room-1"});
    REQUIRE(removed.code == 0);
    CHECK_THAT(removed.out, Contains("removed from service") && Contains("records on the hub stay"));
    CHECK(hub.row("room-1").removed_ms);
    CHECK_THAT(hub.run({"device", "list"}).out, Contains("REMOVED"));

    auto again = hub.run({"device", "remove", "--id", "room-1"});
    CHECK(again.code == 1);
    CHECK_THAT(again.err, Contains("already removed"));

    auto unconfirmed = hub.run({"device", "remove", "--id", "room-1", "--delete-folder"});
    CHECK(unconfirmed.code == 0);
    CHECK_THAT(unconfirmed.out, Contains("add --yes"));
    CHECK(std::filesystem::exists(hub.hub + "/devices/room-1/device.toml"));
    auto deleted = hub.run({"device", "remove", "--id", "room-1", "--delete-folder", "--yes"});
    CHECK(deleted.code == 0);
    CHECK_FALSE(std::filesystem::exists(hub.hub + "/devices/room-1"));

    auto unknown = hub.run({"device", "remove", "--id", "nope"});
    CHECK(unknown.code == 2);
    CHECK_THAT(unknown.err, Contains("no device called 'nope'"));
}

TEST_CASE("device add takes back a revoked or removed id with a new secret, never an active one", "[cli][devices]") {
    DeviceHub hub;
    auto active = hub.run({"device", "add", "--id", "entrance-1", "--event", "1"});
    CHECK(active.code == 2);
    CHECK_THAT(active.err, Contains("already exists") && Contains("muster device move"));

    auto old_box = hub.row("entrance-1").secret_box;
    REQUIRE(hub.run({"device", "revoke", "--id", "entrance-1"}).code == 0);
    auto readded = hub.run({"device", "add", "--id", "entrance-1", "--event", "1", "--pin", "2468"});
    REQUIRE(readded.code == 0);
    CHECK_THAT(readded.out, Contains("replaces the revoked device entrance-1"));
    auto row = hub.row("entrance-1");
    CHECK(row.in_service());
    CHECK(row.secret_box != old_box);
    CHECK(std::filesystem::exists(hub.hub + "/devices/entrance-1.before-1/device.toml"));

    REQUIRE(hub.run({"device", "remove", "--id", "room-1", "--delete-folder", "--yes"}).code == 0);
    auto room = hub.run({"device", "add", "--id", "room-1", "--event", "1", "--mode", "room", "--room", "1", "--pin", "2468"});
    REQUIRE(room.code == 0);
    CHECK_THAT(room.out, Contains("replaces the removed device room-1"));
    CHECK(hub.row("room-1").in_service());
}

TEST_CASE("device import of a revoked kiosk's database brings its unsent scans to the hub once, however often it is run",
          "[cli][devices][import]") {
    DeviceHub hub;
    hub.scan_at(hub.device_db(), "entrance-1", {1, 2, 3, 1});  // the last: already checked in, recorded all the same
    {
        auto dev = store::open_database(hub.device_db());
        REQUIRE(store::outbox_counts(*dev).pending == 4);
    }
    REQUIRE(hub.run({"device", "revoke", "--id", "entrance-1"}).code == 0);
    auto before = std::filesystem::last_write_time(hub.device_db());
    std::string folder = hub.hub + "/devices/entrance-1";

    auto first = hub.run({"device", "import", folder});
    INFO(first.out << first.err);
    REQUIRE(first.code == 0);
    CHECK_THAT(first.out, Contains("4 new, 0 already on the hub, 0 refused"));
    CHECK(hub.count("SELECT count(*) FROM check_ins WHERE device_id = 'entrance-1'") == 4);
    CHECK(hub.count("SELECT count(*) FROM check_ins WHERE received_ms IS NOT NULL AND sync_seq IS NOT NULL") == 4);

    for (int i = 0; i < 2; ++i) {
        auto again = hub.run({"device", "import", folder});
        CHECK(again.code == 0);
        CHECK_THAT(again.out, Contains("0 new, 4 already on the hub, 0 refused"));
    }
    CHECK(hub.count("SELECT count(*) FROM check_ins WHERE device_id = 'entrance-1'") == 4);
    // The kiosk's folder is read, never written: its outbox still holds what it never sent.
    CHECK(std::filesystem::last_write_time(hub.device_db()) == before);
    auto dev = store::open_database(hub.device_db());
    CHECK(store::outbox_counts(*dev).pending == 4);
}

TEST_CASE("device import judges records as an upload would and explains what it cannot read", "[cli][devices][import]") {
    DeviceHub hub;
    hub.scan_at(hub.device_db(), "entrance-1", {1});
    {
        // A record naming another device, put in this kiosk's outbox: refused, not stored.
        auto dev = store::open_database(hub.device_db());
        CheckIn c;
        c.uuid = new_uuid(uk_time::now_ms());
        c.device_id = "room-1";
        c.device_seq = 1;
        c.event_id = 1;
        c.outcome = Outcome::invalid_badge;
        c.device_ms = uk_time::now_ms();
        c.device_offset_min = uk_time::offset_minutes(c.device_ms);
        store::insert_check_in(*dev, c, true);
    }
    auto r = hub.run({"device", "import", hub.hub + "/devices/entrance-1"});
    CHECK(r.code == 1);
    CHECK_THAT(r.out, Contains("1 new, 0 already on the hub, 1 refused") && Contains("not_this_device"));
    CHECK(hub.count("SELECT count(*) FROM check_ins") == 1);

    // Nothing in the outbox: nothing to do, said so.
    auto empty = hub.run({"device", "import", hub.hub + "/devices/room-1"});
    CHECK(empty.code == 1);
    CHECK_THAT(empty.err, Contains("nothing to import"));

    auto not_a_folder = hub.run({"device", "import", hub.dir.file("nowhere")});
    CHECK(not_a_folder.code == 2);
    CHECK_THAT(not_a_folder.err, Contains("not a device folder"));

    std::filesystem::remove(hub.device_db("room-1"));
    auto missing = hub.run({"device", "import", hub.hub + "/devices/room-1"});
    CHECK(missing.code == 2);
    CHECK_THAT(missing.err, Contains("no device database"));

    std::ofstream(hub.device_db("room-1")) << "this is not a database, just some text that is long enough to read";
    auto corrupt = hub.run({"device", "import", hub.hub + "/devices/room-1"});
    CHECK(corrupt.code == 2);
    CHECK_THAT(corrupt.err, Contains("cannot be read as a Muster device database"));
}
