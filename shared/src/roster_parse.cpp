// Parsing and validating a roster CSV: pure, no database.
#include "muster/csv/csv_reader.hpp"
#include "muster/model/field_limits.hpp"
#include "muster/roster/roster_import.hpp"
#include "muster/util/text.hpp"
#include "roster_columns.hpp"

#include <map>
#include <unordered_map>

namespace muster::roster {
namespace {

using detail::Column;

// Excel turns 0123456 into 123456 and sometimes 123456 into "123456.0".
std::string strip_excel_decimal(std::string s) {
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
    return s;
}

bool plausible_email(std::string_view e) {
    auto at = e.find('@');
    if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos) return false;
    auto domain = e.substr(at + 1);
    auto dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 2 > domain.size()) return false;
    for (char c : e)
        if (c == ' ' || c == ',' || c == ';' || c == '<' || c == '>' || static_cast<unsigned char>(c) < 0x20) return false;
    return domain.find("..") == std::string_view::npos;
}

std::optional<bool> parse_yes_no(std::string_view raw) {
    std::string s = text::normalise_key(raw);
    if (s.empty() || s == "no" || s == "n" || s == "false" || s == "0" || s == "full time") return false;
    if (s == "yes" || s == "y" || s == "true" || s == "1" || s == "part time") return true;
    return std::nullopt;
}

std::optional<int> parse_small_int(std::string_view s) {
    s = text::trim(s);
    if (!text::all_digits(s) || s.size() > 4) return std::nullopt;
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

std::optional<std::string> non_empty(std::string_view s) {
    s = text::trim(s);
    if (s.empty()) return std::nullopt;
    return std::string(s);
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

void check_trn(RowValidator& v, const std::string& col, std::string_view raw, Participant& p) {
    std::string s = strip_excel_decimal(text::replace_all(std::string(text::trim(raw)), " ", ""));
    if (s.empty()) return;
    if (text::all_digits(s) && s.size() == 6) {
        v.warn(col, "TRN " + s + " has 6 digits: read as 0" + s + " (a spreadsheet dropped the leading zero)");
        s = "0" + s;
    }
    if (!text::all_digits(s) || s.size() != 7) {
        v.error(col, "TRN must be 7 digits, got '" + std::string(text::trim(raw)) + "'");
        return;
    }
    p.trn = s;
}

void check_urn(RowValidator& v, const std::string& col, std::string_view raw, Participant& p) {
    std::string s = strip_excel_decimal(std::string(text::trim(raw)));
    if (s.empty()) return;
    if (!text::all_digits(s) || s.size() != 6) {
        v.error(col, "school URN must be 6 digits, got '" + std::string(text::trim(raw)) + "'");
        return;
    }
    p.school_urn = s;
}

// The longest a column's text may be (field_limits.hpp). Columns that are not free text
// (TRN, URN, role, years) have their own format checks; their cap only keeps a runaway
// cell out of the error messages that quote it.
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
    csv::Reader reader(csv_text);
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
        if (index.count(Column::preferred_name)) p.preferred_name = non_empty(field(Column::preferred_name));

        if (index.count(Column::trn)) check_trn(v, header_of(Column::trn), field(Column::trn), p);
        if (index.count(Column::email)) {
            auto e = non_empty(field(Column::email));
            if (e && !plausible_email(*e)) v.error(header_of(Column::email), "'" + *e + "' is not an email address");
            else if (e) p.email = *e;
        }
        if (!p.trn && !p.email) v.error("", "needs a TRN or an email address to be told apart from others");

        auto role_text = text::trim(field(Column::role));
        if (auto r = parse_role(role_text)) p.role = *r;
        else if (role_text.empty()) v.error(header_of(Column::role), "role is missing");
        else v.error(header_of(Column::role), "unknown role '" + std::string(role_text) + "' (expected ECT, mentor, induction tutor, facilitator, NPQ, hub staff or guest)");

        if (index.count(Column::school_name)) p.school_name = non_empty(field(Column::school_name));
        if (index.count(Column::school_urn)) check_urn(v, header_of(Column::school_urn), field(Column::school_urn), p);
        if (index.count(Column::programme)) p.programme = non_empty(field(Column::programme));
        if (index.count(Column::lead_provider)) p.lead_provider = non_empty(field(Column::lead_provider));
        if (index.count(Column::delivery_partner)) p.delivery_partner = non_empty(field(Column::delivery_partner));
        if (auto c = non_empty(field(Column::cohort))) {
            auto year = parse_small_int(*c);
            if (!year || *year < 2018 || *year > 2100) v.error(header_of(Column::cohort), "cohort must be a year such as 2025, got '" + *c + "'");
            else p.cohort = year;
        }
        if (auto y = non_empty(field(Column::programme_year))) {
            std::string s = text::to_lower_ascii(*y);
            if (s.rfind("year ", 0) == 0) s = s.substr(5);
            auto year = parse_small_int(s);
            if (!year || *year < 1 || *year > 3) v.error(header_of(Column::programme_year), "programme year must be 1, 2 or 3, got '" + *y + "'");
            else p.programme_year = year;
        }
        if (index.count(Column::part_time)) {
            auto pt = parse_yes_no(field(Column::part_time));
            if (!pt) v.error(header_of(Column::part_time), "part-time must be yes or no, got '" + std::string(field(Column::part_time)) + "'");
            else p.part_time = *pt;
        }
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
