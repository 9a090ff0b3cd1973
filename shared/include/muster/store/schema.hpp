#pragma once
// Opening a Muster database: pragmas chosen for durability, then the numbered migrations
// in shared/migrations/ applied in order and recorded in PRAGMA user_version. A hub's
// database on PostgreSQL (a postgresql:// URL) has its own migrations,
// shared/migrations/postgresql/, recorded in the table muster_schema.
#include "muster/db/database.hpp"

#include <string>

namespace muster::store {

// Number of the newest migration compiled into this binary.
int latest_schema_version();
// The same for the PostgreSQL migrations (shared/migrations/postgresql).
int latest_postgresql_schema_version();

// Applies every migration newer than the database's user_version, each in its own
// transaction. Throws db::Error if the file is from a newer Muster.
void migrate(db::Database& db);

// Opens (creating if needed) a Muster database: WAL, synchronous=FULL (a scan the kiosk
// has confirmed must survive power loss), foreign keys on, schema migrated. A postgresql://
// URL opens that database instead (synchronous_commit on), once the program has called
// db::enable_postgresql(). OpenMode::read_write refuses to create a missing file (a file
// that must exist: store::open_existing_database).
std::unique_ptr<db::Database> open_database(const std::string& path,
                                            db::OpenMode mode = db::OpenMode::read_write_create);

// The hub's indexes differ from a device's in one place: check_ins_participant serves the
// device's question "this person's earlier scans in this session" (the scan hot path);
// the hub never asks it (exports read a whole event), and that index, spread over every
// participant, is the costliest part of storing an uploaded scan (it halved the server's
// ingest rate in bench/server). The hub drops it; devices keep it. The hub adds one a
// device never needs: nfc_cards_participant, for judging an uploaded NFC check-in ("did the
// hub ever give this person a card?", docs/security.md). Idempotent. Nothing to do on
// PostgreSQL, whose hub schema is made with the hub's indexes.
void use_hub_indexes(db::Database& db);

}  // namespace muster::store
