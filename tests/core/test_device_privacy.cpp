// A kiosk's data at rest (docs/privacy.md): what a provisioned device.db holds and does not,
// TRNs as keyed hashes (and the migration of a database made before), the roster purge after
// the event with a fixed clock, and `muster device wipe`. Real hub and device folders made by
// the admin tool (`muster demo`); the device files are read as bytes, as a thief would.
#include "cli_run.hpp"
#include "kiosk_fixture.hpp"

#include "muster/checkin/check_in_desk.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/store/device_privacy.hpp"
#include "muster/store/device_store.hpp"
#include "muster/store/outbox_store.hpp"
#include "muster/store/settings_store.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>

using namespace muster;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

std::int64_t count(db::Database& db, const std::string& sql) {
    return db.prepare(sql).query_one([](const db::Statement& r) { return r.int64(0); }).value_or(0);
}

std::string bytes_of(const fs::path& file) {
    std::ifstream f(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// The database file and its WAL as they are on disk.
std::string on_disk(const std::string& db_path) {
    std::string all = bytes_of(db_path);
    if (fs::exists(db_path + "-wal")) all += bytes_of(db_path + "-wal");
    return all;
}

struct Person {
    ParticipantId id;
    std::string trn, last_name, email, school;
};

// The event's people as the hub holds them (TRN, surname, email and school in clear).
std::vector<Person> hub_people(const test::DemoHub& h, EventId event = 1) {
    auto db = store::open_database(h.hub + "/hub.db");
    return db->prepare("SELECT p.id, p.trn, p.last_name, COALESCE(p.email, ''), COALESCE(p.school_name, '') FROM participants p "
                       "JOIN enrolments e ON e.participant_id = p.id WHERE e.event_id = ?1 AND p.trn IS NOT NULL")
        .bind(1, event)
        .query_all([](const db::Statement& r) { return Person{r.int64(0), r.text(1), r.text(2), r.text(3), r.text(4)}; });
}

std::string device_dir(const test::DemoHub& h) { return h.hub + "/devices/entrance-1"; }

// Scans through the check-in desk on the device's own database: recorded and queued in its
// outbox, as a kiosk leaves them before the hub has acknowledged them.
void scan(const test::DemoHub& h, std::vector<ParticipantId> who) {
    auto db = store::open_database(h.device_db());
    checkin::DeviceSetup setup{"entrance-1", DeviceMode::entrance, 1, 1, std::nullopt, Direction::entry};
    checkin::CheckInDesk desk(*db, h.key->public_key(), setup);
    for (auto p : who) desk.scan({Method::qr, h.token(p), ""}, uk_time::now_ms());
}

}  // namespace

TEST_CASE("A provisioned device.db holds names and roles, no TRN, email, school or other event's people, in its file",
          "[privacy][devices]") {
    test::DemoHub h;
    auto people = hub_people(h);
    REQUIRE(people.size() >= 5);
    {
        auto db = store::open_database(h.device_db());
        // The tables that hold rows: the event, its people and records, and the device's own.
        const std::set<std::string> allowed{"hub",         "change_clock", "participants", "events",    "sessions",
                                            "rooms",       "room_facilitators", "enrolments", "badges", "nfc_cards",
                                            "check_ins",   "corrections",  "outbox",       "settings", "device_trn_hashes",
                                            "satisfaction_answers"};
        auto tables = db->prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'")
                          .query_all([](const db::Statement& r) { return r.text(0); });
        REQUIRE(std::count(tables.begin(), tables.end(), "device_trn_hashes") == 1);
        for (const auto& t : tables) {
            INFO("table " << t);
            if (!allowed.count(t)) CHECK(count(*db, "SELECT count(*) FROM \"" + t + "\"") == 0);
        }
        CHECK(count(*db, "SELECT count(*) FROM participants WHERE trn IS NOT NULL OR email IS NOT NULL OR school_name IS NOT NULL "
                         "OR school_urn IS NOT NULL OR programme IS NOT NULL OR cohort IS NOT NULL OR programme_year IS NOT NULL "
                         "OR lead_provider IS NOT NULL OR delivery_partner IS NOT NULL") == 0);
        // Only event 1's people: enrolled there or facilitating one of its rooms.
        CHECK(count(*db, "SELECT count(*) FROM participants WHERE id NOT IN (SELECT participant_id FROM enrolments "
                         "UNION SELECT participant_id FROM room_facilitators)") == 0);
        CHECK(count(*db, "SELECT count(*) FROM participants WHERE first_name = '' OR last_name = ''") == 0);
        CHECK(count(*db, "SELECT count(*) FROM device_trn_hashes WHERE length(digest) = 32") >= static_cast<std::int64_t>(people.size()));
    }
    // The file itself, as a thief would read it.
    auto disk = on_disk(h.device_db());
    for (const auto& p : people) {
        INFO("participant " << p.id);
        CHECK(disk.find(p.trn) == std::string::npos);
        if (!p.email.empty()) CHECK(disk.find(p.email) == std::string::npos);
        if (p.school.size() >= 6) CHECK(disk.find(p.school) == std::string::npos);
    }
    // The key is the device's own, beside its database, its owner's alone.
    auto key_file = device_dir(h) + "/trn.key";
    REQUIRE(fs::exists(key_file));
    CHECK(fs::file_size(key_file) == 32);
    CHECK((fs::status(key_file).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
    CHECK(bytes_of(key_file) != bytes_of(h.hub + "/devices/room-1/trn.key"));
    CHECK_THAT(bytes_of(h.entrance()), Contains("[privacy]") && Contains("purge_after_days = 7"));
}

TEST_CASE("Staff search at a device finds a typed TRN by its hash, with or without its leading zero, and never by a prefix",
          "[privacy][devices]") {
    test::DemoHub h;
    auto people = hub_people(h);
    REQUIRE_FALSE(people.empty());
    auto db = store::open_database(h.device_db());
    auto key = store::read_trn_key(device_dir(h) + "/trn.key");
    REQUIRE(key);
    for (const auto& p : people) {
        auto found = store::search_device_participants(*db, *key, " " + p.trn + " ");
        REQUIRE(found.size() == 1);
        CHECK(found[0].id == p.id);
        CHECK_FALSE(found[0].trn);
        CHECK(store::search_device_participants(*db, *key, p.trn.substr(0, 4)).empty());
        if (p.trn[0] == '0') CHECK(store::search_device_participants(*db, *key, p.trn.substr(1)).size() == 1);
    }
    // Another device's key does not find them: its hashes cannot be matched here.
    auto other = store::read_trn_key(h.hub + "/devices/room-1/trn.key");
    REQUIRE(other);
    CHECK(store::search_device_participants(*db, *other, people[0].trn).empty());
    // Names still work as before.
    auto by_name = store::search_device_participants(*db, *key, people[0].last_name);
    CHECK(std::any_of(by_name.begin(), by_name.end(), [&](const Participant& x) { return x.id == people[0].id; }));
}

TEST_CASE("A device.db made before TRNs were hashed has them hashed in place at its next start, once", "[privacy][devices]") {
    test::DemoHub h;
    auto people = hub_people(h);
    const std::string key_file = device_dir(h) + "/trn.key";
    {
        // As the previous version left a device: TRNs in clear, no hash table, no key file.
        auto db = store::open_database(h.device_db());
        db->exec("DROP TABLE device_trn_hashes");
        db->exec("DELETE FROM settings WHERE key LIKE 'privacy.%'");
        auto put = db->prepare("UPDATE participants SET trn = ?2 WHERE id = ?1");
        for (const auto& p : people) {
            put.bind(1, p.id).bind(2, p.trn);
            put.run();
        }
    }
    fs::remove(key_file);
    REQUIRE(on_disk(h.device_db()).find(people[0].trn) != std::string::npos);  // the test's premise

    {
        auto db = store::open_database(h.device_db());
        auto first = store::secure_device_trns(*db, key_file);
        CHECK(first.hashed_now == people.size());
        CHECK(count(*db, "SELECT count(*) FROM participants WHERE trn IS NOT NULL") == 0);
        auto again = store::secure_device_trns(*db, key_file);
        CHECK(again.hashed_now == 0);
        CHECK(again.key == first.key);
        auto found = store::search_device_participants(*db, first.key, people[0].trn);
        REQUIRE(found.size() == 1);
        CHECK(found[0].id == people[0].id);
    }
    auto disk = on_disk(h.device_db());
    for (const auto& p : people) CHECK(disk.find(p.trn) == std::string::npos);

    // The key file lost while the database holds hashes under it: refused, naming the file.
    fs::remove(key_file);
    auto db = store::open_database(h.device_db());
    CHECK_THROWS_WITH(store::secure_device_trns(*db, key_file), Contains("trn.key is missing"));
    CHECK_FALSE(fs::exists(key_file));
}

TEST_CASE("The roster is due for purging at UK midnight after the event's last day plus the configured days",
          "[privacy][purge]") {
    test::DemoHub h;
    auto db = store::open_database(h.device_db());
    db->exec("UPDATE events SET local_date = '2025-10-14' WHERE id = 1");
    auto start = uk_time::from_local({2025, 10, 14, 9, 0, 0});
    db->prepare("UPDATE sessions SET starts_ms = ?1, ends_ms = ?2 WHERE event_id = 1").bind(1, start).bind(2, start + 3'600'000).run();
    auto due = store::roster_purge_due(*db, 1, 7);
    REQUIRE(due);
    CHECK(uk_time::format_iso_utc(*due) == "2025-10-21T23:00:00.000Z");  // 22 Oct 00:00 BST
    CHECK(uk_time::format_iso_utc(*store::roster_purge_due(*db, 1, 0)) == "2025-10-14T23:00:00.000Z");
    // A session that runs past midnight moves the last day on.
    db->prepare("UPDATE sessions SET ends_ms = ?1 WHERE event_id = 1").bind(1, uk_time::from_local({2025, 10, 15, 1, 0, 0})).run();
    CHECK(uk_time::format_iso_utc(*store::roster_purge_due(*db, 1, 7)) == "2025-10-22T23:00:00.000Z");
    CHECK_FALSE(store::roster_purge_due(*db, 99, 7));
}

TEST_CASE("A purge deletes the people and acknowledged records, keeps unacknowledged ones, and leaves no names in the file",
          "[privacy][purge]") {
    test::DemoHub h;
    auto people = hub_people(h);
    REQUIRE(people.size() >= 4);
    scan(h, {people[0].id, people[1].id, people[2].id});
    std::string acked_uuid;
    std::int64_t seq_before = 0;
    {
        auto db = store::open_database(h.device_db());
        REQUIRE(store::unacknowledged_records(*db) == 3);
        // The hub acknowledged the first scan: it leaves the outbox (as DeviceSyncStore does).
        acked_uuid = db->prepare("SELECT uuid FROM check_ins WHERE device_id = 'entrance-1' ORDER BY device_seq LIMIT 1")
                         .query_one([](const db::Statement& r) { return r.text(0); })
                         .value();
        store::outbox_remove(*db, acked_uuid);
        seq_before = count(*db, "SELECT max(device_seq) FROM check_ins WHERE device_id = 'entrance-1'");
    }
    auto names_before = on_disk(h.device_db());
    std::vector<std::string> long_names;
    for (const auto& p : people)
        if (p.last_name.size() >= 6 && names_before.find(p.last_name) != std::string::npos) long_names.push_back(p.last_name);
    REQUIRE_FALSE(long_names.empty());  // the test's premise: the names were there

    {
        auto db = store::open_database(h.device_db());
        const TimeMs now = uk_time::from_local({2030, 1, 1, 12, 0, 0});  // a fixed clock, long after
        auto due = store::roster_purge_due(*db, 1, 7);
        REQUIRE(due);
        REQUIRE(*due <= now);
        auto purge = store::purge_device_roster(*db, "entrance-1", now);
        CHECK(purge.people > 0);
        CHECK(purge.records_kept == 2);
        CHECK(purge.vacuumed);
        for (const char* t : {"participants", "device_trn_hashes", "badges", "nfc_cards", "enrolments", "room_facilitators"})
            CHECK(count(*db, std::string("SELECT count(*) FROM ") + t) == 0);
        CHECK(count(*db, "SELECT count(*) FROM check_ins") == 2);
        CHECK(count(*db, "SELECT count(*) FROM check_ins WHERE uuid = '" + acked_uuid + "'") == 0);
        CHECK(count(*db, "SELECT count(*) FROM check_ins WHERE uuid IN (SELECT uuid FROM outbox)") == 2);
        CHECK(store::roster_purged_at(*db) == now);
        CHECK(count(*db, "SELECT count(*) FROM events") == 1);  // the event stays: the screen names it
        // A later record never reuses a sequence number.
        CHECK(store::next_device_seq(*db, "entrance-1") == seq_before + 1);
    }
    // Closed: SQLite removes the WAL; what is left on disk has none of their names.
    auto disk = on_disk(h.device_db());
    CHECK_FALSE(fs::exists(h.device_db() + "-wal"));
    for (const auto& n : long_names) CHECK(disk.find(n) == std::string::npos);
}

TEST_CASE("device wipe refuses while records are unacknowledged, then overwrites and removes the folder's data and keys",
          "[privacy][cli][devices]") {
    test::DemoHub h;
    auto people = hub_people(h);
    scan(h, {people[0].id, people[1].id});
    auto run = [&](std::vector<std::string> args) {
        args.push_back("--hub");
        args.push_back(h.hub);
        return test::muster_cli(args);
    };
    const std::string dir = device_dir(h);

    auto refused = run({"device", "wipe", dir});
    CHECK(refused.code == 1);
    CHECK_THAT(refused.err, Contains("holds 2 record(s) the hub has not acknowledged") && Contains("muster device import") &&
                                Contains("--force"));
    CHECK(fs::exists(dir + "/device.db"));  // nothing touched
    CHECK(fs::exists(dir + "/device.secret"));

    auto not_a_device = run({"device", "wipe", h.hub});
    CHECK(not_a_device.code == 2);
    CHECK_THAT(not_a_device.err, Contains("not a device folder"));

    auto wiped = run({"device", "wipe", dir, "--force", "--revoke"});
    REQUIRE(wiped.code == 0);
    CHECK_THAT(wiped.out, Contains("Wiped device entrance-1") && Contains("2 unacknowledged record(s) lost") &&
                              Contains("the folder is gone") && Contains("full-disk encryption") &&
                              Contains("revoked at the hub"));
    CHECK_FALSE(fs::exists(dir));
    // Revoked at the hub: the sync server refuses its secret from now on.
    auto hub_db = store::open_database(h.hub + "/hub.db");
    CHECK(store::find_device(*hub_db, "entrance-1")->revoked_ms);
    CHECK_FALSE(store::find_device(*hub_db, "room-1")->revoked_ms);

    // A folder with nothing unsent is wiped without --force, and the hint names revoke.
    auto room = run({"device", "wipe", h.hub + "/devices/room-1"});
    REQUIRE(room.code == 0);
    CHECK_THAT(room.out, Contains("muster device revoke --id room-1"));
    CHECK_FALSE(fs::exists(h.hub + "/devices/room-1/device.db"));
    CHECK_FALSE(fs::exists(h.hub + "/devices/room-1/trn.key"));
}
