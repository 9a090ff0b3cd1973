// The kiosk under faults (issue 15, docs/durability.md "Full disks and damaged files"): its
// device folder on a small tmpfs filled to the last byte, where a scan gets the red "not
// recorded" answer, never a green one, nothing is half-written and the kiosk records again
// once space returns; and a device.db that is missing, empty, garbage, truncated or fails
// quick_check at start, where the kiosk names the file, says what to do, and leaves the file
// byte for byte (never a fresh database in its place).
#include "kiosk_fixture.hpp"
#include "kiosk_model.hpp"
#include "kiosk_process.hpp"
#include "log_lines.hpp"
#include "tmpfs_mount.hpp"

#include "muster/store/database_file.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace std::chrono_literals;
using namespace muster;
using namespace muster::kiosk;
using test::json_field;

namespace {

std::string bytes_of(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The demo's entrance device folder (toml, database, keys) copied onto `to`.
void copy_device_folder(const test::DemoHub& hub, const std::filesystem::path& to) {
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(hub.device_db()).parent_path()))
        std::filesystem::copy_file(entry.path(), to / entry.path().filename());
}

std::int64_t count(db::Database& db, const std::string& sql) {
    return db.prepare(sql).query_one([](const db::Statement& r) { return r.int64(0); }).value();
}

// What a full disk must not leave behind: a damaged file, a scan without its outbox row, a
// reused sequence number.
void check_whole(const std::string& path, std::int64_t expected_check_ins) {
    db::Database db(path, db::OpenMode::read_only);
    CHECK(db.prepare("PRAGMA integrity_check").query_one([](const db::Statement& r) { return r.text(0); }) == "ok");
    CHECK(count(db, "SELECT COUNT(*) FROM check_ins") == expected_check_ins);
    CHECK(count(db, "SELECT COUNT(*) FROM outbox WHERE kind = 'check_in'") == expected_check_ins);
    CHECK(count(db, "SELECT COUNT(DISTINCT device_seq) FROM check_ins") == expected_check_ins);
}

constexpr std::size_t device_volume_kib = 1024;  // the demo device.db is about 300 KiB

}  // namespace

TEST_CASE("A full disk under the headless kiosk gets red not-recorded answers, never green, and it records again when space returns",
          "[kiosk][durability][full_disk]") {
    test::DemoHub hub;
    test::TmpfsMount disk(hub.dir.path() / "disk", device_volume_kib);
    if (!disk.mounted()) {
        WARN("SKIPPED, not tested: " << disk.why_not());
        SUCCEED("the full-disk test needs root to mount a tmpfs");
        return;
    }
    copy_device_folder(hub, disk.dir());
    const std::string log = hub.dir.file("stderr.log");
    test::KioskProcess kiosk(disk.file("device.toml"), log);

    kiosk.send(hub.token(1));
    auto before = kiosk.read_line(20s);
    REQUIRE(before);
    CHECK(json_field(*before, "outcome") == "checked_in");

    INFO("filler: " << disk.fill("filler") << " bytes; free now " << disk.free_bytes());
    for (ParticipantId id : {3, 4, 1}) {  // two new people, and one already in
        kiosk.send(hub.token(id));
        auto answer = kiosk.read_line(20s);
        REQUIRE(answer);
        CHECK(json_field(*answer, "outcome") == "not_recorded");
        CHECK_THAT(json_field(*answer, "reason"), Catch::Contains("storage is full") && Catch::Contains("not recorded"));
        CHECK(json_field(*answer, "check_in").empty());  // no record id: there is no record
    }

    std::filesystem::remove(disk.file("filler"));
    kiosk.send(hub.token(3));  // one that failed, scanned again
    auto again = kiosk.read_line(20s);
    REQUIRE(again);
    CHECK(json_field(*again, "outcome") == "checked_in");
    CHECK(json_field(*again, "participant_id") == "3");
    kiosk.send(hub.token(1));
    CHECK(json_field(kiosk.read_line(20s).value_or(""), "outcome") == "already_checked_in");
    kiosk.close_stdin();
    CHECK(kiosk.wait(20s) == 3);  // exit 3: some scan could not be recorded (docs/kiosk.md)

    // Three recorded (1, 3 after the space returned, 1 again), nothing of the failed three.
    check_whole(disk.file("device.db"), 3);
    db::Database db(disk.file("device.db"), db::OpenMode::read_only);
    CHECK(count(db, "SELECT COUNT(*) FROM check_ins WHERE participant_id = 4") == 0);

    // The log: one error line per failed scan, SQLite's code, no person.
    auto lines = test::log_lines(log);
    std::size_t failures = 0;
    for (const auto& line : lines) {
        if (test::event_of(line) != "scan_not_recorded") continue;
        ++failures;
        CHECK(line.at("level").as_string() == "error");
        CHECK((line.at("sqlite_code").as_int64() & 0xff) == 13);  // SQLITE_FULL
    }
    CHECK(failures == 3);
    auto text = bytes_of(log);
    for (ParticipantId id : {1, 3, 4}) CHECK(text.find(hub.token(id)) == std::string::npos);
    CHECK(text.find(json_field(*before, "name")) == std::string::npos);
}

TEST_CASE("A full disk under the kiosk window's model shows the red not-recorded screen, then scans record again",
          "[kiosk][durability][full_disk]") {
    test::DemoHub hub;
    test::TmpfsMount disk(hub.dir.path() / "disk", device_volume_kib);
    if (!disk.mounted()) {
        WARN("SKIPPED, not tested: " << disk.why_not());
        SUCCEED("the full-disk test needs root to mount a tmpfs");
        return;
    }
    copy_device_folder(hub, disk.dir());
    {
        ScanQueue queue;
        KioskModel model(load_device_config(disk.file("device.toml")), queue);
        auto t = KioskModel::Clock::now();
        queue.on_scan(RawScan{InputKind::camera, hub.token(1), "", t});
        model.tick(t);
        REQUIRE(model.last_result());
        CHECK(model.last_result()->decision.outcome == Outcome::checked_in);

        disk.fill("filler");
        queue.on_scan(RawScan{InputKind::camera, hub.token(3), "", t});
        model.tick(t + 1s);
        CHECK(model.screen() == Screen::result);
        CHECK_FALSE(model.last_result());  // nothing that could read as a welcome
        REQUIRE(model.not_recorded());
        CHECK_THAT(*model.not_recorded(), Catch::Contains("storage is full"));
        CHECK(model.scans_not_recorded() == 1);
        CHECK_THAT(model.last_store_error(), Catch::Contains("full"));
        // Staff's own writes say so too, rather than stopping the kiosk.
        model.open_staff();
        CHECK_THAT(model.manual_check_in(4, "forgot badge", "Sam"), Catch::Contains("Not checked in") &&
                                                                       Catch::Contains("storage is full"));
        model.close_staff();

        std::filesystem::remove(disk.file("filler"));
        queue.on_scan(RawScan{InputKind::camera, hub.token(3), "", t});
        model.tick(t + 2s);
        REQUIRE(model.last_result());
        CHECK(model.last_result()->decision.outcome == Outcome::checked_in);
        CHECK_FALSE(model.not_recorded());
        model.tick(t + 2s + KioskModel::result_time + 1s);
        CHECK(model.screen() == Screen::ready);
    }
    check_whole(disk.file("device.db"), 2);
}

TEST_CASE("A damaged device database at start is named, kept byte for byte, and never replaced by a fresh one",
          "[kiosk][durability][damaged]") {
    test::DemoHub hub;
    const std::string path = hub.device_db();
    const std::string good = bytes_of(path);
    REQUIRE(good.size() > 8 * 4096);
    std::string damaged;
    std::string expected;  // words of the error
    SECTION("an empty file (SQLite would make a new database in it)") {
        expected = "is empty (0 bytes)";
    }
    SECTION("garbage bytes") {
        damaged = good;
        for (std::size_t i = 0; i < damaged.size(); ++i) damaged[i] = static_cast<char>((i * 7919 + 13) & 0xff);
        expected = "is not an SQLite database";
    }
    SECTION("a file cut off in the middle of a page") {
        damaged = good.substr(0, good.size() - 1000);
        expected = "is truncated";
    }
    SECTION("a file cut off at a page boundary") {
        damaged = good.substr(0, good.size() - 2 * 4096);
        expected = "is truncated";
    }
    SECTION("a file that opens but fails quick_check (its last pages overwritten)") {
        damaged = good;
        std::fill(damaged.end() - 3 * 4096, damaged.end(), '\x5a');
        expected = "integrity check";
    }
    write_bytes(path, damaged);
    const std::string log = hub.dir.file("stderr.log");
    test::KioskProcess kiosk(hub.entrance(), log);
    kiosk.send(hub.token(1));
    kiosk.close_stdin();
    CHECK(kiosk.wait(20s) == 2);
    CHECK_FALSE(kiosk.read_line(1s));  // no answer to the scan: it never started
    auto error = test::find_log(log, "device_database_unusable");
    REQUIRE(error);
    auto text = test::text_of(*error, "error");
    CHECK_THAT(text, Catch::Contains(path) && Catch::Contains(expected) && Catch::Contains("muster device add") &&
                         Catch::Contains("docs/kiosk.md"));
    CHECK(bytes_of(path) == damaged);  // left exactly as found
    CHECK_FALSE(test::find_log(log, "ready"));
}

TEST_CASE("A missing device database at start is named and not created", "[kiosk][durability][damaged]") {
    test::DemoHub hub;
    std::filesystem::remove(hub.device_db());
    const std::string log = hub.dir.file("stderr.log");
    test::KioskProcess kiosk(hub.entrance(), log);
    kiosk.close_stdin();
    CHECK(kiosk.wait(20s) == 2);
    auto error = test::find_log(log, "config_error");
    REQUIRE(error);
    CHECK_THAT(test::text_of(*error, "error"),
               Catch::Contains(hub.device_db()) && Catch::Contains("does not exist") && Catch::Contains("muster device add"));
    CHECK_FALSE(std::filesystem::exists(hub.device_db()));
}

TEST_CASE("open_device_database refuses an empty file in process too, and writes nothing into it", "[kiosk][durability][damaged]") {
    test::TempDir dir;
    const std::string path = dir.file("device.db");
    write_bytes(path, "");
    CHECK_THROWS_AS(open_device_database(path), store::DamagedDatabase);
    CHECK(std::filesystem::file_size(path) == 0);
    CHECK_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST_CASE("A kiosk started on a full disk says the disk, not the file, is the problem, and starts once space returns",
          "[kiosk][durability][full_disk]") {
    test::DemoHub hub;
    test::TmpfsMount disk(hub.dir.path() / "disk", device_volume_kib);
    if (!disk.mounted()) {
        WARN("SKIPPED, not tested: " << disk.why_not());
        SUCCEED("the full-disk test needs root to mount a tmpfs");
        return;
    }
    copy_device_folder(hub, disk.dir());
    const std::string database = disk.file("device.db");
    const std::string before = bytes_of(database);
    disk.fill("filler");
    const std::string log = hub.dir.file("stderr.log");
    {
        test::KioskProcess kiosk(disk.file("device.toml"), log);
        kiosk.close_stdin();
        CHECK(kiosk.wait(20s) == 2);
    }
    // Not "damaged, re-provision": that advice would throw a good database away.
    CHECK_FALSE(test::find_log(log, "device_database_unusable"));
    auto error = test::find_log(log, "config_error");
    REQUIRE(error);
    CHECK_THAT(test::text_of(*error, "error"), Catch::Contains(database) && Catch::Contains("not full"));
    CHECK(bytes_of(database) == before);

    std::filesystem::remove(disk.file("filler"));
    test::KioskProcess kiosk(disk.file("device.toml"), log);
    kiosk.send(hub.token(1));
    CHECK(json_field(kiosk.read_line(20s).value_or(""), "outcome") == "checked_in");
    kiosk.close_stdin();
    CHECK(kiosk.wait(20s) == 0);
}
