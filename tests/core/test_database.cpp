#include "temp_dir.hpp"

#include "muster/db/database.hpp"
#include "muster/store/schema.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

using namespace muster;

TEST_CASE("a transaction rolls back unless committed, and never throws from its destructor", "[db]") {
    test::TempDir dir;
    db::Database db(dir.file("t.db"));
    db.exec("CREATE TABLE t (x INTEGER)");
    {
        db::Transaction tx(db);
        db.prepare("INSERT INTO t VALUES (1)").run();
    }  // not committed
    auto count = [&] {
        auto s = db.prepare("SELECT count(*) FROM t");
        s.step();
        return s.int64(0);
    };
    CHECK(count() == 0);
    {
        db::Transaction tx(db);
        db.prepare("INSERT INTO t VALUES (2)").run();
        tx.commit();
    }
    CHECK(count() == 1);
}

TEST_CASE("errors carry SQLite's extended result code", "[db]") {
    test::TempDir dir;
    db::Database db(dir.file("t.db"));
    db.exec("CREATE TABLE t (x INTEGER PRIMARY KEY)");
    db.prepare("INSERT INTO t VALUES (1)").run();
    try {
        db.prepare("INSERT INTO t VALUES (1)").run();
        FAIL("a duplicate key must throw");
    } catch (const db::Error& e) {
        CHECK(e.code() == SQLITE_CONSTRAINT);
        CHECK(e.extended_code() == SQLITE_CONSTRAINT_PRIMARYKEY);
    }
    CHECK_THROWS_AS(db.prepare("SELEKT nonsense"), db::Error);
    CHECK_THROWS_AS(db::Database(dir.file("missing/dir/x.db"), db::OpenMode::read_write), db::Error);
}

TEST_CASE("values are bound, never spliced into SQL", "[db]") {
    test::TempDir dir;
    db::Database db(dir.file("t.db"));
    db.exec("CREATE TABLE t (name TEXT)");
    std::string evil = "x'); DROP TABLE t; --";
    db.prepare("INSERT INTO t VALUES (?1)").bind(1, evil).run();
    auto s = db.prepare("SELECT name FROM t");
    REQUIRE(s.step());
    CHECK(s.text(0) == evil);
}

TEST_CASE("migrations run once at open, are recorded, and a newer file is refused", "[db][schema]") {
    test::TempDir dir;
    auto path = dir.file("hub.db");
    {
        auto db = store::open_database(path);
        auto v = db->prepare("PRAGMA user_version");
        v.step();
        CHECK(v.int32(0) == store::latest_schema_version());
        auto mode = db->prepare("PRAGMA journal_mode");
        mode.step();
        CHECK(mode.text(0) == "wal");
        auto sync = db->prepare("PRAGMA synchronous");
        sync.step();
        CHECK(sync.int32(0) == 2);  // FULL
    }
    { auto again = store::open_database(path); }  // reopening applies nothing twice
    {
        db::Database raw(path);
        raw.exec("PRAGMA user_version = 999");
    }
    CHECK_THROWS_WITH(store::open_database(path), Catch::Contains("newer than this program"));
}

TEST_CASE("the schema refuses malformed identity data even if code forgets to check", "[db][schema]") {
    test::TempDir dir;
    auto db = store::open_database(dir.file("hub.db"));
    auto ins = [&](const char* trn, const char* urn) {
        db->prepare("INSERT INTO participants (trn, first_name, last_name, school_urn, role) VALUES (?1, 'A', 'B', ?2, 'ect')")
            .bind(1, trn).bind(2, urn).run();
    };
    CHECK_NOTHROW(ins("0123456", "123456"));
    CHECK_THROWS_AS(ins("123456", "123456"), db::Error);   // 6-digit TRN
    CHECK_THROWS_AS(ins("12345a7", "123456"), db::Error);  // not digits
    CHECK_THROWS_AS(ins("7654321", "12345"), db::Error);   // 5-digit URN
}
