#include "muster/store/schema.hpp"

#include "migrations.hpp"  // generated from shared/migrations/*.sql and shared/migrations/postgresql/*.sql

#include <sqlite3.h>

namespace muster::store {
namespace {

[[noreturn]] void too_new(db::Database& db, int current, int latest) {
    throw db::Error(SQLITE_MISMATCH, db.path() + " has schema version " + std::to_string(current) +
                                         ", newer than this program knows (" + std::to_string(latest) + ")");
}

void migrate_sqlite(db::Database& db) {
    int current = db.prepare("PRAGMA user_version").query_one([](const db::Statement& r) { return r.int32(0); }).value();
    if (current > latest_schema_version()) too_new(db, current, latest_schema_version());
    for (int v = current + 1; v <= latest_schema_version(); ++v) {
        db::Transaction tx(db);
        db.exec(generated::migrations[static_cast<std::size_t>(v - 1)]);
        db.exec("PRAGMA user_version = " + std::to_string(v));  // a number, not user data
        tx.commit();
    }
}

// PostgreSQL has its own numbered migrations (shared/migrations/postgresql), recorded in the
// one row of muster_schema (made by the first). The write transaction's advisory lock makes
// two server processes starting at once migrate one after the other: the second finds the
// work done.
void migrate_postgresql(db::Database& db) {
    const int latest = latest_postgresql_schema_version();
    db::Transaction tx(db);
    auto read_int = [](const db::Statement& r) { return r.int32(0); };
    bool made = db.prepare("SELECT to_regclass('muster_schema') IS NOT NULL").query_one(read_int).value_or(0) != 0;
    int from = made ? db.prepare("SELECT version FROM muster_schema").query_one(read_int).value_or(0) : 0;
    if (from > latest) too_new(db, from, latest);
    for (int v = from + 1; v <= latest; ++v) {
        db.exec(generated::postgresql_migrations[static_cast<std::size_t>(v - 1)]);
        db.prepare("UPDATE muster_schema SET version = ?1").bind(1, std::int64_t{v}).run();
    }
    tx.commit();
}

}  // namespace

int latest_schema_version() { return static_cast<int>(generated::migrations.size()); }
int latest_postgresql_schema_version() { return static_cast<int>(generated::postgresql_migrations.size()); }

void migrate(db::Database& db) {
    if (db.engine() == db::Engine::postgresql) migrate_postgresql(db);
    else migrate_sqlite(db);
}

std::unique_ptr<db::Database> open_database(const std::string& path, db::OpenMode mode) {
    auto db = std::make_unique<db::Database>(path, mode);
    if (db->engine() == db::Engine::sqlite) {
        db->exec("PRAGMA journal_mode = WAL");
        db->exec("PRAGMA synchronous = FULL");
        db->exec("PRAGMA foreign_keys = ON");
    } else {
        // A scan the hub acknowledged must survive a crash: never commit asynchronously,
        // whatever the server's default says.
        db->exec("SET synchronous_commit = on");
    }
    migrate(*db);
    return db;
}

void use_hub_indexes(db::Database& db) {
    // A PostgreSQL hub has these from its first migration (0001_hub.sql). Not run there
    // anyway: CREATE INDEX takes a lock on the table that waits for, and holds up, other
    // processes' writes, even when the index is already there.
    if (db.engine() == db::Engine::postgresql) return;
    db.exec("DROP INDEX IF EXISTS check_ins_participant");
    db.exec("CREATE INDEX IF NOT EXISTS nfc_cards_participant ON nfc_cards(participant_id)");
}

}  // namespace muster::store
