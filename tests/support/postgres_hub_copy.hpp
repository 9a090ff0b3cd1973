#pragma once
// A SQLite hub's rows copied into a PostgreSQL database, for the tests and benches that run
// muster-sync-server processes on PostgreSQL (issue 14): the hub is made the ordinary way
// (`muster demo`, register links, devices) in hub.db, then copied, so the setup needs no
// store function to speak PostgreSQL. Not the product's `muster hub migrate`: no count
// check, no refusal of a non-empty target; a test's fresh database only.
#include <string>

namespace muster::test {

// Migrates `postgres_url` (store::open_database), then, in one transaction with foreign-key
// triggers off (session_replication_role = replica: the cluster's user is a superuser),
// empties every hub table and fills it with the SQLite file's rows (every value sent as text,
// blobs as bytea hex, so PostgreSQL types each by its column), and moves each identity
// sequence past the ids copied. Tables SQLite has and PostgreSQL lacks are skipped.
void copy_hub_to_postgres(const std::string& sqlite_file, const std::string& postgres_url);

}  // namespace muster::test
