// Roster CSV files, as a hub hands them to `muster roster import`: any bytes at all, given
// to roster::parse_roster (the pure parse-and-validate step import_roster runs before it
// touches the database).
//
// Beyond "no crash, no exception" (parse_roster reports problems as issues, never throws):
//  - every row it accepts is a person the database may hold: within the field limits
//    (limits::problem_in, the check the sync server makes again), with both names, a TRN
//    or an email, and no TRN or email twice in the file;
//  - a file with no errors has at least one row;
//  - what csv::Reader reads, written back with csv::quote (the writer's quoting) and read
//    again, gives the same records; and written by csv::Writer (the exports' writer), the
//    same cells, with its apostrophe before a cell that could start a formula.
#include "muster/csv/csv_reader.hpp"
#include "muster/csv/csv_writer.hpp"
#include "muster/model/field_limits.hpp"
#include "muster/roster/roster_import.hpp"
#include "muster/util/text.hpp"

#include <cstdint>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace muster;

void check(bool condition) {
    if (!condition) std::abort();  // libFuzzer keeps the input as a crash
}

void check_parsed(const roster::ParsedRoster& parsed) {
    if (parsed.errors.empty()) check(!parsed.rows.empty());
    check(parsed.delimiter == ',' || parsed.delimiter == ';' || parsed.delimiter == '\t');
    std::set<std::string> trns, emails;
    for (const auto& row : parsed.rows) {
        const Participant& p = row.person;
        check(row.line > 1);  // line 1 is the header
        check(!limits::problem_in(p));
        check(!p.first_name.empty() && !p.last_name.empty());
        check(p.trn || p.email);
        if (p.trn) {
            check(p.trn->size() == 7);
            check(trns.insert(*p.trn).second);
        }
        if (p.email) check(emails.insert(text::to_lower_ascii(*p.email)).second);
    }
    for (const auto& issue : parsed.errors) (void)roster::format_issue(issue);
    for (const auto& issue : parsed.warnings) (void)roster::format_issue(issue);
}

// The records a reader gives before the end or its first ParseError.
std::vector<csv::Record> read_all(std::string_view text) {
    std::vector<csv::Record> out;
    csv::Reader reader(text);
    try {
        while (auto rec = reader.next()) out.push_back(std::move(*rec));
    } catch (const csv::ParseError&) {
    }
    return out;
}

bool same_fields(const std::vector<csv::Record>& a, const std::vector<csv::Record>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].fields != b[i].fields) return false;
    return true;
}

void check_quote_round_trip(const std::vector<csv::Record>& records) {
    // A byte-order mark first: the reader skips one there, so a first field that itself
    // starts with one (a file with two) is kept.
    std::string out(csv::utf8_bom);
    for (const auto& rec : records) {
        // One empty field alone would be a blank line, which readers skip: quote it.
        if (rec.fields.size() == 1 && rec.fields[0].empty()) {
            out += "\"\"\r\n";
            continue;
        }
        for (std::size_t i = 0; i < rec.fields.size(); ++i) {
            if (i) out += ',';
            out += csv::quote(rec.fields[i]);
        }
        out += "\r\n";
    }
    check(same_fields(read_all(out), records));
}

bool neutralised(std::string_view value) {
    auto first = value.find_first_not_of(' ');
    return first != std::string_view::npos && std::string_view("=+-@\t\r\n").find(value[first]) != std::string_view::npos;
}

void check_writer_round_trip(const std::vector<csv::Record>& records) {
    // With one column, an empty cell is a blank line (skipped when read): exports have more.
    if (records.empty() || records[0].fields.size() < 2) return;
    const auto& names = records[0].fields;
    std::vector<std::string_view> header(names.begin(), names.end());
    std::ostringstream out;
    csv::Writer writer(out, header, csv::IdentifierStyle::plain);
    std::vector<std::vector<std::string>> expected{names};
    for (std::size_t r = 1; r < records.size(); ++r) {
        std::vector<std::string> row = records[r].fields;
        row.resize(header.size());
        for (const auto& cell : row) writer.text(cell);
        writer.end_row();
        expected.push_back(row);
    }
    auto back = read_all(out.str());
    check(back.size() == expected.size());
    for (std::size_t r = 0; r < back.size(); ++r) {
        check(back[r].fields.size() == expected[r].size());
        for (std::size_t i = 0; i < expected[r].size(); ++i) {
            const std::string& want = expected[r][i];
            check(back[r].fields[i] == (neutralised(want) ? "'" + want : want));
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_parsed(roster::parse_roster(text));
    auto records = read_all(text);
    check_quote_round_trip(records);
    check_writer_round_trip(records);
    return 0;
}
