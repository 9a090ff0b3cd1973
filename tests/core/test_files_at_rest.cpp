// Files at rest: databases (and their -wal/-shm) are their owner's alone whatever the umask,
// older files are tightened when opened, and the hub's device secrets are sealed in place.
#include "temp_dir.hpp"
#include "test_hub.hpp"

#include "muster/store/device_secrets.hpp"
#include "muster/store/device_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/util/config_error.hpp"
#include "muster/util/private_files.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>
#include <iterator>

using namespace muster;

namespace {

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

// The umask most desktops run with, for the length of a test.
struct UsualUmask {
    mode_t saved = ::umask(022);
    ~UsualUmask() { ::umask(saved); }
};

std::string bytes_of(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("A new database and its WAL and SHM files are made 0600 whatever the umask", "[db][files]") {
    UsualUmask umask;
    test::TempDir dir;
    auto path = dir.path() / "hub.db";
    auto db = store::open_database(path.string());
    db->exec("CREATE TABLE t (x)");
    db->exec("INSERT INTO t VALUES (1)");
    CHECK(mode_of(path) == 0600);
    REQUIRE(std::filesystem::exists(dir.path() / "hub.db-wal"));
    CHECK(mode_of(dir.path() / "hub.db-wal") == 0600);
    CHECK(mode_of(dir.path() / "hub.db-shm") == 0600);
    db::Database memory(":memory:");  // no file to look after
    memory.exec("CREATE TABLE t (x)");
    // A database that cannot be made is still SQLite's error to report, as before.
    CHECK_THROWS_AS(db::Database((dir.path() / "no-such-folder" / "hub.db").string()), db::Error);
}

TEST_CASE("An older database others may read is made 0600 when opened for writing", "[db][files]") {
    UsualUmask umask;
    test::TempDir dir;
    auto path = dir.path() / "device.db";
    { store::open_database(path.string())->exec("CREATE TABLE t (x)"); }
    std::filesystem::permissions(path, static_cast<std::filesystem::perms>(0644));
    std::ofstream(dir.path() / "device.db-journal");  // a leftover, as an old program left it
    std::filesystem::permissions(dir.path() / "device.db-journal", static_cast<std::filesystem::perms>(0666));
    { db::Database read_only(path.string(), db::OpenMode::read_only); }
    CHECK(mode_of(path) == 0644);  // a reader changes nothing
    { auto db = store::open_database(path.string()); }
    CHECK(mode_of(path) == 0600);
    CHECK(mode_of(dir.path() / "device.db-journal") == 0600);
    CHECK_FALSE(restrict_to_owner(path));  // nothing left to do
}

TEST_CASE("A private folder is made 0700 with the parents it had to make", "[files]") {
    UsualUmask umask;
    test::TempDir dir;
    create_private_folder(dir.path() / "hub" / "devices" / "door-1");
    CHECK(mode_of(dir.path() / "hub") == 0700);
    CHECK(mode_of(dir.path() / "hub" / "devices") == 0700);
    CHECK(mode_of(dir.path() / "hub" / "devices" / "door-1") == 0700);
    CHECK(mode_of(dir.path()) != 0700);  // a parent that was there is left alone
    write_new_private_file(dir.path() / "hub" / "key", "abc");
    CHECK(mode_of(dir.path() / "hub" / "key") == 0600);
    CHECK_THROWS(write_new_private_file(dir.path() / "hub" / "key", "again"));
    CHECK(bytes_of(dir.path() / "hub" / "key") == "abc");
}

TEST_CASE("A replaced file is whole or untouched, never partial", "[files]") {
    UsualUmask umask;
    test::TempDir dir;
    auto out = dir.path() / "attendance.csv";
    replace_private_file(out, "first");
    CHECK(bytes_of(out) == "first");
    CHECK(mode_of(out) == 0600);
    replace_private_file(out, "second, longer");
    CHECK(bytes_of(out) == "second, longer");
    // A folder that is not there: the write fails and leaves nothing behind.
    CHECK_THROWS(replace_private_file(dir.path() / "missing" / "x.csv", "rows"));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "missing"));
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
    CHECK(files == 1);  // no .partial file left beside it
}

TEST_CASE("A hub's bare device secrets are sealed in place, once, and still sign", "[store][secrets][engines]") {
    test::TestHub hub;
    auto plain = sync::generate_secret();
    // A device provisioned the old way: its bare secret in devices.secret.
    hub.db->prepare("INSERT INTO devices (id, name, mode, event_id, secret, created_ms) VALUES ('door-1', 'Door', 'entrance', ?1, ?2, 0)")
        .bind(1, hub.event)
        .bind_blob(2, plain.data(), plain.size())
        .run();
    auto key_file = hub.dir.path() / "tls" / "device-secrets.key";
    auto first = store::secure_device_secrets(*hub.db, key_file);
    CHECK(first.key_created);
    CHECK(first.sealed == 1);
    CHECK(mode_of(key_file) == 0600);
    CHECK(mode_of(key_file.parent_path()) == 0700);
    CHECK(std::filesystem::file_size(key_file) == 32);

    auto again = store::secure_device_secrets(*hub.db, key_file);
    CHECK_FALSE(again.key_created);
    CHECK(again.sealed == 0);  // idempotent
    CHECK(again.key == first.key);

    auto row = store::find_device(*hub.db, "door-1");
    REQUIRE(row);
    auto opened = sync::open_device_secret(again.key, "door-1", row->secret_box);
    REQUIRE(opened);
    // A request the device signs with its own (unchanged) copy still verifies on the hub.
    auto signature = sync::sign_request(plain, "POST", "/v1/upload", 1000, "nonce-0123456789ab", "{}");
    CHECK(sync::signature_matches(*opened, "POST", "/v1/upload", 1000, "nonce-0123456789ab", "{}", signature));

    // Neither the database file nor its WAL holds the bare secret any more. (SQLite only: on
    // PostgreSQL the old row version stays until VACUUM, device_secrets.hpp.)
    if (hub.database.on_postgresql()) return;
    hub.db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    std::string needle(plain.begin(), plain.end());
    CHECK(bytes_of(hub.dir.path() / "hub.db").find(needle) == std::string::npos);
    CHECK(bytes_of(hub.dir.path() / "hub.db-wal").find(needle) == std::string::npos);
}

TEST_CASE("A lost device-secrets key is not silently replaced while sealed secrets need it", "[store][secrets][engines]") {
    test::TestHub hub;
    auto key_file = hub.dir.path() / "device-secrets.key";
    auto key = store::create_device_secrets_key(key_file);
    auto box = sync::seal_device_secret(key, "door-1", sync::generate_secret());
    CHECK(store::insert_device(*hub.db, {"door-1", "Door", DeviceMode::entrance, hub.event, std::nullopt, 0, box}));
    std::filesystem::remove(key_file);
    CHECK_THROWS_AS(store::secure_device_secrets(*hub.db, key_file), ConfigError);
    CHECK_FALSE(std::filesystem::exists(key_file));

    std::ofstream(key_file) << "short";
    CHECK_THROWS_WITH(store::read_device_secrets_key(key_file), Catch::Contains("32 bytes"));
}
