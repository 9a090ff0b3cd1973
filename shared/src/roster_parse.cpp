// Parsing and validating a roster CSV: pure, no database.
#include "muster/csv/csv_reader.hpp"
#include "muster/model/field_limits.hpp"
#include "muster/roster/roster_fields.hpp"
#include "muster/roster/roster_import.hpp"
#include "muster/util/text.hpp"
#include "roster_columns.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace muster::roster {
namespace {

using detail::Column;

// The participant field a column fills (the name column fills first and last name).
std::optional<Field> field_of(Column c) {
    switch (c) {
        case Column::first_name: return Field::first_name;
        case Column::last_name: return Field::last_name;
        case Column::full_name: return std::nullopt;
        case Column::preferred_name: return Field::preferred_name;
        case Column::email: return Field::email;
        case Column::trn: return Field::trn;
        case Column::school_name: return Field::school_name;
        case Column::school_urn: return Field::school_urn;
        case Column::role: return Field::role;
        case Column::programme: return Field::programme;
        case Column::cohort: return Field::cohort;
        case Column::programme_year: return Field::programme_year;
        case Column::part_time: return Field::part_time;
        case Column::lead_provider: return Field::lead_provider;
        case Column::delivery_partner: return Field::delivery_partner;
    }
    return std::nullopt;
}

class RowValidator {
public:
    RowValidator(std::size_t line, std::vector<Issue>& warnings, std::vector<Issue>& errors)
        : line_(line), warnings_(warnings), errors_(errors) {}

    void error(const std::string& column, std::string message) { errors_.push_back({line_, column, std::move(message)}); ++error_count_; }
    void warn(const std::string& column, std::string message) { warnings_.push_back({line_, column, std::move(message)}); }
    bool ok() const { return error_count_ == 0; }

private:
    std::size_t line_;
    std::vector<Issue>& warnings_;
    std::vector<Issue>& errors_;
    int error_count_ = 0;
};

// The longest a column's text may be: the field's limit (roster_fields.cpp), and for the
// single name column room for both names.
std::size_t max_chars(Column c) {
    switch (c) {
        case Column::first_name:
        case Column::last_name:
        case Column::preferred_name: return limits::name_chars;
        case Column::full_name: return 2 * limits::name_chars + 1;
        case Column::email: return limits::email_chars;
        case Column::school_name: return limits::school_chars;
        default: return limits::label_chars;
    }
}

// A workbook or UTF-16 text handed in as CSV: say how to save it, rather than a list of
// garbled rows. nullopt when the bytes could be UTF-8 CSV.
std::optional<std::string> not_csv(std::string_view text) {
    const std::string save_as = "in Excel choose File > Save As > CSV UTF-8 (comma delimited)";
    // .xlsx and .ods are zip files; .xls is an OLE compound file.
    if (text.substr(0, 4) == std::string_view("PK\x03\x04", 4) || text.substr(0, 4) == "\xD0\xCF\x11\xE0")
        return "this is an Excel workbook, not CSV: " + save_as;
    if (text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF")
        return "this file is UTF-16 text (Excel's 'Unicode Text'), not UTF-8: " + save_as;
    return std::nullopt;
}

void split_full_name(std::string_view full, Participant& p) {
    full = text::trim(full);
    auto space = full.rfind(' ');
    if (space == std::string_view::npos) {
        p.first_name = std::string(full);
        return;
    }
    p.first_name = std::string(text::trim(full.substr(0, space)));
    p.last_name = std::string(full.substr(space + 1));
}

}  // namespace

ParsedRoster parse_roster(std::string_view csv_text) {
    ParsedRoster out;
    if (auto problem = not_csv(csv_text)) {
        out.errors.push_back({0, "", *problem});
        return out;
    }
    out.delimiter = csv::guess_delimiter(csv_text);
    csv::Reader reader(csv_text, out.delimiter);
    std::optional<csv::Record> header;
    try {
        header = reader.next();
    } catch (const csv::ParseError& e) {
        out.errors.push_back({e.line(), "", e.what()});
        return out;
    }
    if (!header) {
        out.errors.push_back({0, "", "the file is empty: expected a header row"});
        return out;
    }

    std::map<Column, std::size_t> index;  // column -> field position
    std::vector<std::string> names = header->fields;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (!text::is_valid_utf8(names[i])) {
            out.errors.push_back({header->line, names[i], "header is not UTF-8: save the file as 'CSV UTF-8'"});
            continue;
        }
        auto col = detail::match_header(names[i]);
        if (!col) {
            if (!text::trim(names[i]).empty())
                out.warnings.push_back({header->line, names[i], "column not recognised, ignored"});
            continue;
        }
        if (index.count(*col)) {
            out.errors.push_back({header->line, names[i], "column appears twice"});
            continue;
        }
        index[*col] = i;
    }
    bool has_names = index.count(Column::full_name) || (index.count(Column::first_name) && index.count(Column::last_name));
    if (!has_names) out.errors.push_back({header->line, "", "no name columns: need first_name and last_name (or name)"});
    if (!index.count(Column::role)) out.errors.push_back({header->line, "", "no role column"});
    if (!index.count(Column::trn) && !index.count(Column::email))
        out.errors.push_back({header->line, "", "need a trn or an email column to tell people apart"});
    if (!out.errors.empty()) return out;
    for (const auto& [col, at] : index)
        if (auto f = field_of(col)) out.present.push_back(*f);
    if (index.count(Column::full_name)) {
        out.present.push_back(Field::first_name);
        out.present.push_back(Field::last_name);
    }
    std::sort(out.present.begin(), out.present.end());
    out.present.erase(std::unique(out.present.begin(), out.present.end()), out.present.end());

    auto header_of = [&](Column c) { return text::trim(names[index.at(c)]).empty() ? std::string() : std::string(text::trim(names[index.at(c)])); };
    std::unordered_map<std::string, std::size_t> seen_trn, seen_email;
    if (index.count(Column::email)) out.email_column = header_of(Column::email);

    for (;;) {
        std::optional<csv::Record> rec;
        try {
            rec = reader.next();
        } catch (const csv::ParseError& e) {
            out.errors.push_back({e.line(), "", e.what()});
            break;  // the rest of the file cannot be split into rows reliably
        }
        if (!rec) break;
        RowValidator v(rec->line, out.warnings, out.errors);
        if (rec->fields.size() > names.size()) {
            bool extra_blank = true;
            for (std::size_t i = names.size(); i < rec->fields.size(); ++i)
                extra_blank = extra_blank && text::trim(rec->fields[i]).empty();
            if (!extra_blank) {
                v.error("", "row has " + std::to_string(rec->fields.size()) + " fields but the header has " +
                                std::to_string(names.size()) + " (an unquoted comma?)");
                continue;
            }
        }
        auto field = [&](Column c) -> std::string_view {
            auto it = index.find(c);
            if (it == index.end() || it->second >= rec->fields.size()) return {};
            return rec->fields[it->second];
        };
        bool utf8_ok = true;
        for (const auto& f : rec->fields) utf8_ok = utf8_ok && text::is_valid_utf8(f);
        if (!utf8_ok) {
            v.error("", "row is not valid UTF-8: save the file as 'CSV UTF-8'");
            continue;
        }
        // Within the field limits before anything is read from the row, so no message
        // quotes an over-long cell or a control character. Spaces, tabs and line breaks
        // around a value are trimmed (as below); one left inside it is refused, and a NUL
        // anywhere in the row, even in a column not imported, means the file is not text.
        for (std::size_t i = 0; i < rec->fields.size(); ++i)
            if (rec->fields[i].find('\0') != std::string::npos)
                v.error(i < names.size() ? std::string(text::trim(names[i])) : std::string(), "holds a NUL character");
        for (const auto& [col, at] : index)
            if (at < rec->fields.size())
                if (auto problem = limits::text_problem(text::trim(rec->fields[at]), max_chars(col)))
                    if (rec->fields[at].find('\0') == std::string::npos) v.error(header_of(col), *problem);
        if (!v.ok()) continue;

        Participant p;
        if (index.count(Column::first_name)) {
            p.first_name = std::string(text::trim(field(Column::first_name)));
            p.last_name = std::string(text::trim(field(Column::last_name)));
        }
        if ((p.first_name.empty() || p.last_name.empty()) && index.count(Column::full_name))
            split_full_name(field(Column::full_name), p);
        if (p.first_name.empty()) v.error(index.count(Column::first_name) ? header_of(Column::first_name) : header_of(Column::full_name), "first name is missing");
        if (p.last_name.empty()) v.error(index.count(Column::last_name) ? header_of(Column::last_name) : header_of(Column::full_name), "last name is missing");
        // Every other column through the one reading of a cell (roster_fields.cpp).
        for (const auto& [col, at] : index) {
            auto f = field_of(col);
            if (!f || *f == Field::first_name || *f == Field::last_name) continue;
            auto r = read_cell(*f, field(col), p);
            if (r.warning) v.warn(header_of(col), *r.warning);
            if (r.error) v.error(header_of(col), *r.error);
        }
        if (!p.trn && !p.email) v.error("", "needs a TRN or an email address to be told apart from others");
        if (p.trn) {
            auto [it, fresh] = seen_trn.emplace(*p.trn, rec->line);
            if (!fresh) v.error(header_of(Column::trn), "TRN " + *p.trn + " is also on line " + std::to_string(it->second));
        }
        if (p.email) {
            auto [it, fresh] = seen_email.emplace(text::to_lower_ascii(*p.email), rec->line);
            if (!fresh) v.error(header_of(Column::email), "email " + *p.email + " is also on line " + std::to_string(it->second));
        }
        if (v.ok()) out.rows.push_back({rec->line, std::move(p)});
    }
    if (out.rows.empty() && out.errors.empty()) out.errors.push_back({0, "", "the file has a header but no participants"});
    return out;
}

std::string format_issue(const Issue& issue) {
    std::string out = issue.line ? "line " + std::to_string(issue.line) : std::string("file");
    if (!issue.column.empty()) out += ", column " + issue.column;
    return out + ": " + issue.message;
}

std::string describe_columns() {
    std::string out;
    for (const auto& spec : detail::column_specs()) {
        out += "  " + std::string(spec.canonical) + ":";
        const char* sep = " ";
        for (auto a : spec.aliases) {
            out += sep + std::string("\"") + std::string(a) + "\"";
            sep = ", ";
        }
        out += "\n";
    }
    return out;
}

}  // namespace muster::roster
