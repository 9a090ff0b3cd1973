#include "command.hpp"
#include "roster_people_commands.hpp"

#include "muster/roster/roster_import.hpp"

#include <fstream>
#include <ostream>
#include <sstream>

namespace muster::admin {
namespace {

// A list in the summary stays readable for a 2,000-row roster: this many lines, then a count.
constexpr std::size_t list_cap = 50;
// Unchanged people are listed only when this few (or with --verbose).
constexpr std::size_t few_unchanged = 10;

std::string fields_text(const std::vector<roster::Field>& fields) {
    std::string out;
    for (auto f : fields) out += (out.empty() ? "" : ", ") + std::string(roster::field_name(f));
    return out;
}

void print_people(std::ostream& out, const char* what, const std::vector<roster::PersonLine>& people) {
    for (std::size_t i = 0; i < people.size() && i < list_cap; ++i) {
        out << what << ": #" << people[i].id << " " << people[i].name;
        if (!people[i].fields.empty()) out << ": " << fields_text(people[i].fields);
        out << "\n";
    }
    if (people.size() > list_cap) out << "... and " << people.size() - list_cap << " more " << what << "\n";
}

void print_summary(std::ostream& out, const std::string& path, const roster::ImportReport& report, bool verbose,
                   bool dry_run) {
    out << path << ": " << report.rows << " rows: " << report.inserted << " new, " << report.updated << " updated, "
        << report.unchanged << " unchanged" << (report.warnings.empty() ? "" : ", with warnings (above)") << "\n";
    if (report.delimiter == ';') out << "read as semicolon-separated (the header has semicolons and no comma)\n";
    if (report.delimiter == '\t') out << "read as tab-separated (the header has tabs and no comma)\n";
    print_people(out, "added", report.added);
    print_people(out, "changed", report.changed);
    for (const auto& [field, n] : report.cleared)
        out << "cleared: " << roster::field_name(field) << " for " << n << (n == 1 ? " person" : " people")
            << " (an empty cell in that column)\n";
    if (verbose || report.same.size() <= few_unchanged) print_people(out, "unchanged", report.same);
    else out << "unchanged: " << report.same.size() << " people (list them with --verbose)\n";
    for (const auto& e : report.enrolled)
        out << "enrolled at event " << e.event_id << " (" << e.local_date << " " << e.title << "): " << e.participants.size()
            << (e.participants.size() == 1 ? " person" : " people") << "\n";
    if (dry_run) out << "(dry run: nothing written)\n";
}

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
        ctx.err << path << ": " << report.errors.size() << " error(s); nothing was imported. Fix what is listed above and import again.\n";
        return 1;
    }
    print_summary(ctx.out, path, report, a.flag("verbose"), opts.dry_run);
    return 0;
}

}  // namespace

std::vector<Command> roster_commands() {
    std::vector<Command> out = {
        {"roster import", "Import or update participants from a CSV file (all or nothing)",
         "FILE.csv [--dry-run] [--verbose] [--hub DIR]\n\n"
         "People already on the roster are found by TRN (else email) and updated. A column the file\n"
         "lacks leaves that field as it was; an empty cell in a column the file has clears it (a TRN\n"
         "is never cleared). The summary lists who was added, who changed (which fields) and how many\n"
         "are unchanged (--verbose lists them). New people, and people whose role, programme, cohort\n"
         "or year changed, are enrolled at the future events whose audience they match; nobody is\n"
         "taken off an event by an import (muster event unenrol does that).\n"
         "Save spreadsheets as 'CSV UTF-8 (comma delimited)'; a file with semicolons or tabs between\n"
         "its columns (and no comma in its header) is read as such.\n\n"
         "Columns (any order, header names matched case-insensitively):\n" +
             roster::describe_columns(),
         {}, {"dry-run", "verbose"}, import}};
    for (auto& c : roster_people_commands()) out.push_back(std::move(c));
    return out;
}

}  // namespace muster::admin
