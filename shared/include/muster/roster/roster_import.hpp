#pragma once
// Roster import from the CSV exports hubs get (DfE / lead-provider portals, Excel).
// A file imports all-or-nothing: every bad row is reported with its line, column and
// reason, and nothing is written unless every row is good. Re-importing an updated
// roster updates people by TRN (or email where there is no TRN) and never duplicates them;
// a row whose TRN and email belong to different people is an error, never a merge.
// A column the file lacks leaves that field as it was for people already on the roster;
// an empty cell in a column the file has clears the field (a TRN is never cleared: it is
// who the person is). After the rows are written, new people (and people whose role,
// programme, cohort or year changed) are enrolled at the future events whose audience
// they now match (muster/store/enrolment_follow.hpp), in the same transaction.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"
#include "muster/roster/roster_fields.hpp"
#include "muster/store/enrolment_follow.hpp"

#include <map>
#include <optional>

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
    std::vector<Field> present;  // the fields the file has a column for (sorted)
    char delimiter = ',';        // ';' or '\t' when the file was read as such
    std::vector<Issue> warnings;
    std::vector<Issue> errors;
};

// Pure: parse and validate, touching no database.
ParsedRoster parse_roster(std::string_view csv_text);

// One person in the summary: who, and (for a change) which fields.
struct PersonLine {
    ParticipantId id = 0;
    std::string name;  // full name, for the staff member reading the summary
    std::vector<Field> fields;
};

struct ImportReport {
    std::size_t rows = 0;
    std::size_t inserted = 0;
    std::size_t updated = 0;
    std::size_t unchanged = 0;
    std::vector<PersonLine> added;     // ids as written (in a dry run: as they would be)
    std::vector<PersonLine> changed;   // with the fields that changed
    std::vector<PersonLine> same;      // unchanged people
    std::map<Field, std::size_t> cleared;  // field -> people whose value an empty cell cleared
    std::vector<store::FollowedEvent> enrolled;  // future events new or changed people joined
    char delimiter = ',';
    std::vector<Issue> warnings;
    std::vector<Issue> errors;
    bool committed = false;
};

struct ImportOptions {
    bool dry_run = false;  // validate and match, write nothing
    // Called now and then with rows done / total (the CLI shows a progress line).
    std::function<void(std::size_t done, std::size_t total)> progress;
    // The UK date events are "today or later" from (YYYY-MM-DD); unset: today's.
    std::optional<std::string> today;
};

ImportReport import_roster(db::Database& db, std::string_view csv_text, const ImportOptions& options = {});

// "line 14, column TRN: ..." for people reading a report.
std::string format_issue(const Issue& issue);

// The accepted header spellings, for docs and --help.
std::string describe_columns();

}  // namespace muster::roster
