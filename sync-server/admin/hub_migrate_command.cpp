// `muster hub migrate --to postgresql://...`: the hub's SQLite database copied whole into
// PostgreSQL (store::copy_hub, all or nothing), then sync-server.toml pointed at it. The old
// hub.db is left as it was: the backup until the operator is satisfied (docs/scale.md,
// "Moving a hub to PostgreSQL").
#include "command.hpp"

#include "muster/db/postgresql.hpp"
#include "muster/store/hub_copy.hpp"
#include "muster/store/schema.hpp"
#include "muster/util/config_error.hpp"

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <ostream>

namespace muster::admin {
namespace {

int hub_migrate(const Args& a, Context& ctx) {
    const std::string url = a.require("to");
    if (!db::is_postgresql_url(url))
        throw UsageError("--to: expected a postgresql:// URL (postgresql://USER@HOST:PORT/DATABASE), not '" + url + "'");
    const std::string shown = db::redact_url(url);
    // The same rule as `muster init --database` and the server: sync-server.toml is no place
    // for a password.
    if (shown != url)
        throw UsageError("--to: leave the password out of the URL; put it in ~/.pgpass (or the file PGPASSFILE "
                         "names, mode 600): " + shown);
    std::string source = ctx.hub.database_location();
    if (db::is_postgresql_url(source))
        throw UsageError("this hub is already on PostgreSQL (" + ctx.hub.server_config_path().string() + " names " +
                         db::redact_url(source) + ")");
    if (!std::filesystem::exists(source))
        throw UsageError("no hub database at " + source + " (pass --hub DIR for the hub's folder)");

    // The source at this muster's schema (a hub from an older muster is brought up to date,
    // as any command would), then the target made and migrated.
    auto from = store::open_database(source);
    db::enable_postgresql();
    std::unique_ptr<db::Database> to;
    try {
        to = store::open_database(url);
    } catch (const db::Error& e) {
        ctx.err << "muster hub migrate: cannot open " << shown << ": " << e.what()
                << "\nNothing was changed: the hub still runs on " << source << ".\n";
        return 1;
    }

    ctx.out << "Copying " << source << " into " << shown << " (one transaction: all or nothing)\n";
    auto started = std::chrono::steady_clock::now();
    store::HubCopyReport report;
    try {
        report = store::copy_hub(*from, *to, [&](const std::string& table, std::int64_t rows) {
            ctx.out << "  " << std::left << std::setw(24) << table << std::right << std::setw(10) << rows << "\n";
        });
    } catch (const store::HubCopyRefused& e) {
        throw UsageError(std::string(e.what()) + ". Nothing was changed");
    } catch (const db::Error& e) {
        ctx.err << "muster hub migrate: the copy failed and was rolled back: " << e.what()
                << "\nNothing was kept in " << shown << "; the hub still runs on " << source << ".\n";
        return 1;
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    ctx.out << "  " << std::left << std::setw(24) << "total" << std::right << std::setw(10) << report.total_rows << " rows in "
            << std::fixed << std::setprecision(1) << seconds << " s; every table's count checked\n";
    from.reset();  // closed before the file is named the backup

    try {
        ctx.hub.set_database_location(url);
    } catch (const UsageError& e) {
        ctx.err << "muster hub migrate: the hub is copied into " << shown << ", but " << e.what() << " to \"" << shown
                << "\" (with its password).\n";
        return 1;
    }
    ctx.out << "[hub] database in " << ctx.hub.server_config_path().string() << " is now " << shown << "\n"
            << source << " is left as it was: keep it as the backup of the hub before the move.\n"
            << "Restart muster-sync-server to serve the hub from PostgreSQL.\n";
    return 0;
}

}  // namespace

std::vector<Command> hub_migrate_commands() {
    return {{"hub migrate",
             "Copy the hub's SQLite database into an empty PostgreSQL database and point the sync server at it",
             "--to postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE [--hub DIR]\n\n"
             "  --to  an empty database (made with createdb) that the hub will live in; its URL (no\n"
             "        password: libpq reads it from ~/.pgpass or PGPASSFILE) goes into sync-server.toml.\n"
             "        Stop muster-sync-server first.\n"
             "Every table is copied in one transaction with its ids, change clock and sync positions (devices\n"
             "carry on where they were), and each table's row count is checked before it commits. hub.db is\n"
             "not changed: it stays as the backup. Refused, with nothing changed, when the database already\n"
             "holds hub data or the hub is already on PostgreSQL. docs/scale.md, \"Moving a hub to PostgreSQL\".",
             {"to"}, {}, hub_migrate}};
}

}  // namespace muster::admin
