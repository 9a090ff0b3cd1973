#pragma once
// Roster import from the CSV exports hubs get (DfE / lead-provider portals, Excel).
// A file imports all-or-nothing: every bad row is reported with its line, column and
// reason, and nothing is written unless every row is good. Re-importing an updated
// roster updates people by TRN (or email where there is no TRN) and never duplicates them;
// a row whose TRN and email belong to different people is an error, never a merge.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace muster::roster {

struct Issue {
    std::size_t line = 0;  // 1-based line in the file; 0 for the file as a whole
    std::string column;    // the header as written in the file ("" if none)
    std::string message;
};

struct Row {
    std::size_t line = 0;
    Participant person;  // id unset
};

struct ParsedRoster {
    std::vector<Row> rows;
    std::string email_column;  // the email header as written, for matching errors
    std::vector<Issue> warnings;
    std::vector<Issue> errors;
};

// Pure: parse and validate, touching no database.
ParsedRoster parse_roster(std::string_view csv_text);

struct ImportReport {
    std::size_t rows = 0;
    std::size_t inserted = 0;
    std::size_t updated = 0;
    std::size_t unchanged = 0;
    std::vector<Issue> warnings;
    std::vector<Issue> errors;
    bool committed = false;
};

struct ImportOptions {
    bool dry_run = false;  // validate and match, write nothing
    // Called now and then with rows done / total (the CLI shows a progress line).
    std::function<void(std::size_t done, std::size_t total)> progress;
};

ImportReport import_roster(db::Database& db, std::string_view csv_text, const ImportOptions& options = {});

// "line 14, column TRN: ..." for people reading a report.
std::string format_issue(const Issue& issue);

// The accepted header spellings, for docs and --help.
std::string describe_columns();

}  // namespace muster::roster
