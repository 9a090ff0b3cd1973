#include "cli_run.hpp"
#include "muster/store/device_secrets.hpp"
#include "muster/store/device_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/schema.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace muster;

using test::muster_cli;

TEST_CASE("muster with no or unknown commands explains itself and fails", "[cli]") {
    auto none = muster_cli({});
    CHECK(none.code == 2);
    CHECK_THAT(none.err, Catch::Contains("roster import"));
    auto unknown = muster_cli({"frobnicate"});
    CHECK(unknown.code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("unknown command 'frobnicate'"));
    auto help = muster_cli({"roster", "import", "--help"});
    CHECK(help.code == 0);
    CHECK_THAT(help.out, Catch::Contains("teacher reference number"));
    auto bad_option = muster_cli({"event", "list", "--colour", "red"});
    CHECK(bad_option.code == 2);
    CHECK_THAT(bad_option.err, Catch::Contains("unknown option --colour"));
}

TEST_CASE("a hub from init to export through the CLI", "[cli]") {
    test::TempDir dir;
    std::string hub = dir.file("hub");
    CHECK(muster_cli({"event", "list", "--hub", hub}).err.find("muster init") != std::string::npos);
    auto init = muster_cli({"init", "--hub", hub, "--name", "Test TSH"});
    REQUIRE(init.code == 0);
    CHECK_THAT(init.out, Catch::Contains("device-secrets.key") && Catch::Contains("back it up"));
    CHECK(muster_cli({"init", "--hub", hub, "--name", "Again"}).code == 2);

    std::ofstream(dir.file("bad.csv")) << "first name,last name,email,role\nA,B,not-email,ECT\nC,D,c@d.org.uk,Wizard\n";
    auto bad = muster_cli({"roster", "import", dir.file("bad.csv"), "--hub", hub});
    CHECK(bad.code == 1);
    CHECK_THAT(bad.err, Catch::Contains("line 2, column email") && Catch::Contains("line 3, column role") &&
                            Catch::Contains("nothing was imported"));

    std::ofstream(dir.file("good.csv")) << "first name,last name,email,trn,role,cohort,year\n"
                                           "Siân,O'Brien,s@o.org.uk,123456,ECT,2025,1\nKwame,Mensah,k@m.org.uk,2345678,Facilitator,,\n";
    auto good = muster_cli({"roster", "import", dir.file("good.csv"), "--hub", hub});
    REQUIRE(good.code == 0);
    CHECK_THAT(good.out, Catch::Contains("2 new"));
    CHECK_THAT(good.err, Catch::Contains("leading zero"));

    auto event = muster_cli({"event", "create", "--hub", hub, "--programme", "ect-y1", "--item", "conference-1", "--cohort",
                             "2025", "--date", "2026-10-14", "--venue", "Leeds", "--rooms", "1"});
    REQUIRE(event.code == 0);
    CHECK_THAT(event.out, Catch::Contains("2 participants expected"));
    CHECK(muster_cli({"event", "create", "--hub", hub, "--programme", "ect-y1"}).code == 2);

    CHECK(muster_cli({"badges", "issue", "--all", "--hub", hub}).code == 0);
    auto sheet = muster_cli({"badges", "print", "--out", dir.file("b.html"), "--hub", hub});
    REQUIRE(sheet.code == 0);
    CHECK_THAT(sheet.out, Catch::Contains("Wrote 2 badge(s)"));
    CHECK(muster_cli({"badges", "revoke", "--participant", "1", "--reason", "lost", "--reissue", "--hub", hub}).code == 0);
    CHECK(muster_cli({"badges", "revoke", "--participant", "1", "--serial", "1", "--reason", "lost", "--hub", hub}).code == 2);
    CHECK(muster_cli({"card", "attach", "--uid", "zz", "--participant", "1", "--hub", hub}).code == 2);
    CHECK(muster_cli({"card", "attach", "--uid", "04:A1:B2:C3", "--participant", "1", "--hub", hub}).code == 0);

    auto device = muster_cli({"device", "add", "--id", "door-1", "--event", "1", "--pin", "1357", "--hub", hub});
    REQUIRE(device.code == 0);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "hub" / "devices" / "door-1" / "hub-key.pem"));
    {
        auto dev = store::open_database(dir.file("hub/devices/door-1/device.db"));
        CHECK(store::count_participants(*dev) == 2);
        auto s = dev->prepare("SELECT count(*) FROM participants WHERE email IS NOT NULL");
        s.step();
        CHECK(s.int64(0) == 0);  // devices never hold emails
    }
    CHECK(muster_cli({"device", "add", "--id", "Bad Id", "--event", "1", "--hub", hub}).code == 2);
    auto twice = muster_cli({"device", "add", "--id", "door-1", "--event", "1", "--pin", "1357", "--out",
                             dir.file("elsewhere"), "--hub", hub});
    CHECK(twice.code == 2);
    CHECK_THAT(twice.err, Catch::Contains("already exists"));
    CHECK_THAT(muster_cli({"device", "list", "--hub", hub}).out,
               Catch::Contains("\ndoor-1  door-1  entrance  1      active  never seen  0       -       -        -\n"));
    CHECK_THAT(muster_cli({"device", "revoke", "--id", "door-1", "--hub", hub}).out, Catch::Contains("door-1 revoked"));
    CHECK_THAT(muster_cli({"device", "revoke", "--id", "door-1", "--hub", hub}).out, Catch::Contains("already revoked"));
    CHECK(muster_cli({"device", "revoke", "--id", "door-9", "--hub", hub}).code == 2);
    CHECK_THAT(muster_cli({"device", "list", "--hub", hub}).out, Catch::Contains("  REVOKED  never seen"));

    auto csv = muster_cli({"attendance", "export", "--hub", hub});
    REQUIRE(csv.code == 0);
    CHECK_THAT(csv.out, Catch::Contains(",absent,"));
}

TEST_CASE("muster demo builds a believable hub and refuses to clobber a real one", "[cli][demo]") {
    test::TempDir dir;
    std::string hub = dir.file("demo");
    auto demo = muster_cli({"demo", "--hub", hub});
    REQUIRE(demo.code == 0);
    CHECK_THAT(demo.out, Catch::Contains("225 participants"));
    CHECK(std::filesystem::exists(dir.path() / "demo" / "devices" / "entrance-1" / "device.toml"));
    {
        // A device holds its event's people only (enrolled, or facilitating one of its
        // rooms), with their badges: not the hub's 225.
        auto device = store::open_database(dir.file("demo/devices/entrance-1/device.db"));
        auto hub_db = store::open_database(dir.file("demo/hub.db"));
        auto count = [](db::Database& d, const std::string& sql) { return d.prepare(sql).query_one([](const db::Statement& r) { return r.int64(0); }).value_or(-1); };
        const std::string scope = "SELECT participant_id FROM enrolments WHERE event_id = 1 UNION SELECT f.participant_id FROM "
                                  "room_facilitators f JOIN rooms r ON r.id = f.room_id WHERE r.event_id = 1";
        auto expected = count(*hub_db, "SELECT COUNT(*) FROM (" + scope + ")");
        CHECK(expected > 0);
        CHECK(expected < 225);
        CHECK(count(*device, "SELECT COUNT(*) FROM participants") == expected);
        CHECK(count(*device, "SELECT COUNT(*) FROM participants WHERE id NOT IN (" + scope + ")") == 0);
        CHECK(count(*device, "SELECT COUNT(*) FROM badges WHERE participant_id NOT IN (" + scope + ")") == 0);
        CHECK(count(*device, "SELECT COUNT(*) FROM badges") > 0);
    }
    CHECK(muster_cli({"demo", "--hub", hub}).code == 2);
    CHECK(muster_cli({"demo", "--hub", hub, "--replace"}).code == 0);
    std::string real = dir.file("real");
    REQUIRE(muster_cli({"init", "--hub", real, "--name", "Real hub"}).code == 0);
    auto refused = muster_cli({"demo", "--hub", real, "--replace"});
    CHECK(refused.code == 2);
    CHECK_THAT(refused.err, Catch::Contains("real hub"));
}

TEST_CASE("free text options over the field limits are refused like other bad arguments", "[cli][limits]") {
    test::TempDir dir;
    std::string hub = dir.file("hub");
    auto tab_name = muster_cli({"init", "--hub", hub, "--name", "Test\tTSH"});
    CHECK(tab_name.code == 2);
    CHECK_THAT(tab_name.err, Catch::Contains("--name: holds a control character"));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "hub"));  // nothing made
    REQUIRE(muster_cli({"init", "--hub", hub, "--name", "Test TSH"}).code == 0);

    std::ofstream(dir.file("good.csv")) << "first name,last name,email,trn,role,cohort,year\n"
                                           "Siân,O'Brien,s@o.org.uk,1234567,ECT,2025,1\n";
    REQUIRE(muster_cli({"roster", "import", dir.file("good.csv"), "--hub", hub}).code == 0);
    auto long_venue = muster_cli({"event", "create", "--hub", hub, "--programme", "ect-y1", "--item", "conference-1",
                                  "--cohort", "2025", "--date", "2026-10-14", "--venue", std::string(201, 'v')});
    CHECK(long_venue.code == 2);
    CHECK_THAT(long_venue.err, Catch::Contains("--venue: longer than 200 characters"));
    REQUIRE(muster_cli({"event", "create", "--hub", hub, "--programme", "ect-y1", "--item", "conference-1", "--cohort",
                        "2025", "--date", "2026-10-14", "--venue", "Leeds"})
                .code == 0);
    REQUIRE(muster_cli({"badges", "issue", "--all", "--hub", hub}).code == 0);

    auto long_reason = muster_cli({"badges", "revoke", "--participant", "1", "--reason", std::string(501, 'r'), "--hub", hub});
    CHECK(long_reason.code == 2);
    CHECK_THAT(long_reason.err, Catch::Contains("--reason: longer than 500 characters"));
    auto nul_reason =
        muster_cli({"badges", "revoke", "--participant", "1", "--reason", std::string("lost\0", 5), "--hub", hub});
    CHECK(nul_reason.code == 2);
    CHECK_THAT(nul_reason.err, Catch::Contains("--reason: holds a control character"));
    CHECK(muster_cli({"badges", "revoke", "--participant", "1", "--reason", "lost", "--hub", hub}).code == 0);  // still there

    auto bad_device = muster_cli({"device", "add", "--id", "door-1", "--event", "1", "--name", "Door\n1", "--hub", hub});
    CHECK(bad_device.code == 2);
    CHECK_THAT(bad_device.err, Catch::Contains("--name: holds a control character"));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "hub" / "devices" / "door-1"));
}

TEST_CASE("muster makes an older hub's folder and files owner-only when it opens it", "[cli][secrets]") {
    test::TempDir dir;
    std::string hub = dir.file("hub");
    REQUIRE(muster_cli({"init", "--hub", hub, "--name", "Old hub"}).code == 0);
    using std::filesystem::perms;
    // As an older muster left it under umask 022.
    std::filesystem::permissions(dir.path() / "hub", perms(0755));
    std::filesystem::permissions(dir.path() / "hub" / "tls", perms(0755));
    std::filesystem::permissions(dir.path() / "hub" / "hub-key.pem", perms(0644));
    std::filesystem::permissions(dir.path() / "hub" / "sync-server.toml", perms(0644));

    CHECK(muster_cli({"device", "list", "--hub", hub}).code == 0);
    for (const auto& p : {dir.path() / "hub", dir.path() / "hub" / "tls"})
        CHECK(std::filesystem::status(p).permissions() == perms(0700));
    for (const auto& p : {dir.path() / "hub" / "hub-key.pem", dir.path() / "hub" / "sync-server.toml"})
        CHECK(std::filesystem::status(p).permissions() == perms(0600));
}

TEST_CASE("muster seals the bare device secrets of an older hub when it opens it, making a lost key anew", "[cli][secrets]") {
    test::TempDir dir;
    std::string hub = dir.file("hub");
    REQUIRE(muster_cli({"init", "--hub", hub, "--name", "Old hub"}).code == 0);
    REQUIRE(muster_cli({"event", "create", "--hub", hub, "--programme", "ect-y1", "--item", "conference-1", "--cohort",
                        "2025", "--date", "2026-10-14", "--venue", "Leeds", "--rooms", "1"})
                .code == 0);
    REQUIRE(muster_cli({"device", "add", "--id", "door-1", "--event", "1", "--pin", "1357", "--hub", hub}).code == 0);
    std::string hex;
    std::ifstream(dir.file("hub/devices/door-1/device.secret")) >> hex;
    auto secret = sync::secret_from_hex(hex);
    REQUIRE(secret);
    auto key_file = dir.path() / "hub" / "tls" / "device-secrets.key";
    {
        // As an older muster left it: the bare secret in the row, no key file.
        auto db = store::open_database(dir.file("hub/hub.db"));
        db->prepare("UPDATE devices SET secret = ?1").bind_blob(1, secret->data(), secret->size()).run();
    }
    std::filesystem::remove(key_file);

    CHECK(muster_cli({"device", "list", "--hub", hub}).code == 0);  // any command that opens the hub
    auto key = store::read_device_secrets_key(key_file);
    REQUIRE(key);
    auto db = store::open_database(dir.file("hub/hub.db"));
    auto row = store::find_device(*db, "door-1");
    REQUIRE(row);
    CHECK(row->secret_box.size() == sync::secret_box_size);
    CHECK(sync::open_device_secret(*key, "door-1", row->secret_box) == secret);

    // Sealed secrets and the key lost: not replaced by a key that opens nothing.
    std::filesystem::remove(key_file);
    CHECK(muster_cli({"device", "list", "--hub", hub}).code == 0);  // the roster and exports still work
    auto refused = muster_cli({"device", "add", "--id", "door-2", "--event", "1", "--hub", hub});
    CHECK(refused.code == 2);
    CHECK_THAT(refused.err, Catch::Contains("restore it from the backup"));
    CHECK_FALSE(std::filesystem::exists(key_file));
}
