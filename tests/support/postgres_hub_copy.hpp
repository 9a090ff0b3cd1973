#pragma once
// A SQLite hub's rows copied into a PostgreSQL database, for the tests and benches that run
// muster-sync-server processes on PostgreSQL (issue 14): the hub is made the ordinary way
// (`muster demo`, register links, devices) in hub.db, then copied with the product's own
// copy (store::copy_hub, what `muster hub migrate` runs), into a test's fresh database.
#include <string>

namespace muster::test {

// store::copy_hub from the SQLite file into `postgres_url` (migrated first); throws when the
// copy is refused or fails.
void copy_hub_to_postgres(const std::string& sqlite_file, const std::string& postgres_url);

}  // namespace muster::test
