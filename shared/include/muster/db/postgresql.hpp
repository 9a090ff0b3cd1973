#pragma once
// The PostgreSQL engine behind db::Database (library muster_postgresql, libpq). A program
// that may be given a postgresql:// URL (the sync server, the admin tool, their tests)
// calls enable_postgresql() once before opening one; a kiosk never does, and never links
// libpq. Opening such a URL before then throws db::Error saying so.
#include <string>
#include <string_view>

namespace muster::db {

// Idempotent and thread-safe.
void enable_postgresql();

// "postgresql://..." or "postgres://...": a database server, not a file.
bool is_postgresql_url(std::string_view location);

// The URL with any password replaced by "***": what may be shown or logged.
std::string redact_url(const std::string& url);

}  // namespace muster::db
