#include "command.hpp"

#include "muster/roster/roster_import.hpp"

#include <fstream>
#include <ostream>
#include <sstream>

namespace muster::admin {
namespace {

int import(const Args& a, Context& ctx) {
    if (a.positional().size() != 1) throw UsageError("give one CSV file");
    const std::string& path = a.positional()[0];
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError("cannot read " + path);
    std::stringstream buf;
    buf << in.rdbuf();
    std::string text = buf.str();

    auto db = ctx.hub.open();
    roster::ImportOptions opts;
    opts.dry_run = a.flag("dry-run");
    opts.progress = [&](std::size_t done, std::size_t total) {
        if (total >= 5000) ctx.err << "\r  importing: " << done << " / " << total << " rows" << (done == total ? "\n" : "") << std::flush;
    };
    auto report = roster::import_roster(*db, text, opts);
    for (const auto& w : report.warnings) ctx.err << "warning: " << roster::format_issue(w) << "\n";
    for (const auto& e : report.errors) ctx.err << "error: " << roster::format_issue(e) << "\n";
    if (!report.errors.empty()) {
        ctx.err << path << ": " << report.errors.size() << " error(s); nothing was imported. Fix the rows above and import again.\n";
        return 1;
    }
    ctx.out << path << ": " << report.rows << " rows: " << report.inserted << " new, " << report.updated << " updated, "
            << report.unchanged << " unchanged" << (report.warnings.empty() ? "" : ", with warnings (above)")
            << (opts.dry_run ? " (dry run: nothing written)" : "") << "\n";
    return 0;
}

}  // namespace

std::vector<Command> roster_commands() {
    return {{"roster import", "Import or update participants from a CSV file (all or nothing)",
             "FILE.csv [--dry-run] [--hub DIR]\n\nColumns (any order, header names matched case-insensitively):\n" +
                 roster::describe_columns(),
             {}, {"dry-run"}, import}};
}

}  // namespace muster::admin
