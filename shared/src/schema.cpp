#include "muster/store/schema.hpp"

#include "migrations.hpp"  // generated from shared/migrations/*.sql

#include <sqlite3.h>

namespace muster::store {

int latest_schema_version() { return static_cast<int>(generated::migrations.size()); }

void migrate(db::Database& db) {
    int current = db.prepare("PRAGMA user_version").query_one([](const db::Statement& r) { return r.int32(0); }).value();
    if (current > latest_schema_version())
        throw db::Error(SQLITE_MISMATCH, db.path() + " has schema version " + std::to_string(current) +
                                             ", newer than this program knows (" +
                                             std::to_string(latest_schema_version()) + ")");
    for (int v = current + 1; v <= latest_schema_version(); ++v) {
        db::Transaction tx(db);
        db.exec(generated::migrations[static_cast<std::size_t>(v - 1)]);
        db.exec("PRAGMA user_version = " + std::to_string(v));  // a number, not user data
        tx.commit();
    }
}

std::unique_ptr<db::Database> open_database(const std::string& path) {
    auto db = std::make_unique<db::Database>(path);
    db->exec("PRAGMA journal_mode = WAL");
    db->exec("PRAGMA synchronous = FULL");
    db->exec("PRAGMA foreign_keys = ON");
    migrate(*db);
    return db;
}

void use_hub_indexes(db::Database& db) {
    db.exec("DROP INDEX IF EXISTS check_ins_participant");
    db.exec("CREATE INDEX IF NOT EXISTS nfc_cards_participant ON nfc_cards(participant_id)");
}

}  // namespace muster::store
