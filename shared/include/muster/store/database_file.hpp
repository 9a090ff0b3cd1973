#pragma once
// Opening a database file that must already be a Muster database: a kiosk's device.db at
// start, a hub's hub.db when the server starts. SQLite itself would take an empty file for a
// new database (and write a fresh schema over it), and report garbage or a truncated file
// only at the first query, in words that name no file. These checks run first, read the
// file without writing to it, and say which file is wrong and how: the caller adds what to
// do (docs/durability.md, "Full disks and damaged files"). A damaged file is never changed.
#include "muster/db/database.hpp"

#include <memory>
#include <stdexcept>
#include <string>

namespace muster::store {

// The file is missing, empty, not SQLite, truncated, or fails SQLite's quick_check. what()
// names the file (its path, nothing from inside it).
class DamagedDatabase : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class IntegrityCheck {
    header,       // size, SQLite header, whole pages, schema present: cheap at any size (a hub)
    quick_check,  // and PRAGMA quick_check: reads every page (a kiosk's small database)
};

// Throws DamagedDatabase when the file is not a usable Muster database, and db::Error
// naming the file when it cannot be opened for another reason (a full disk, an I/O error:
// not the file's fault); otherwise opens it as store::open_database does (pragmas,
// migrations). A postgresql:// URL is opened as is.
std::unique_ptr<db::Database> open_existing_database(const std::string& path, IntegrityCheck check);

// The header checks alone (no SQLite connection is opened): throws DamagedDatabase.
void check_database_file(const std::string& path);

}  // namespace muster::store
