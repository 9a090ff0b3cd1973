// Reading one roster cell into a participant's field: the checks the import makes of every
// row and `muster roster edit` makes of every option.
#include "muster/roster/roster_fields.hpp"

#include "muster/model/field_limits.hpp"
#include "muster/util/text.hpp"

namespace muster::roster {
namespace {

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

// The longest a field's text may be (field_limits.hpp). Fields that are not free text
// (TRN, URN, role, years) have their own format checks; their cap only keeps a runaway
// cell out of the messages that quote it.
std::size_t max_chars(Field f) {
    switch (f) {
        case Field::first_name:
        case Field::last_name:
        case Field::preferred_name: return limits::name_chars;
        case Field::email: return limits::email_chars;
        case Field::school_name: return limits::school_chars;
        default: return limits::label_chars;
    }
}

}  // namespace

const std::vector<Field>& all_fields() {
    static const std::vector<Field> fields = {
        Field::first_name, Field::last_name, Field::preferred_name, Field::email, Field::trn,
        Field::school_name, Field::school_urn, Field::role, Field::programme, Field::cohort,
        Field::programme_year, Field::part_time, Field::lead_provider, Field::delivery_partner};
    return fields;
}

std::string_view field_name(Field f) {
    switch (f) {
        case Field::first_name: return "first name";
        case Field::last_name: return "last name";
        case Field::preferred_name: return "preferred name";
        case Field::email: return "email";
        case Field::trn: return "TRN";
        case Field::school_name: return "school";
        case Field::school_urn: return "URN";
        case Field::role: return "role";
        case Field::programme: return "programme";
        case Field::cohort: return "cohort";
        case Field::programme_year: return "year";
        case Field::part_time: return "part-time";
        case Field::lead_provider: return "lead provider";
        case Field::delivery_partner: return "delivery partner";
    }
    return "?";
}

bool is_optional(Field f) { return f != Field::first_name && f != Field::last_name && f != Field::role && f != Field::part_time; }

CellResult read_cell(Field f, std::string_view cell, Participant& p) {
    CellResult r;
    std::string_view trimmed = text::trim(cell);
    if (auto problem = limits::text_problem(trimmed, max_chars(f))) {
        r.error = *problem;
        return r;
    }
    switch (f) {
        case Field::first_name:
        case Field::last_name: {
            if (trimmed.empty()) {
                r.error = f == Field::first_name ? "first name is missing" : "last name is missing";
                break;
            }
            (f == Field::first_name ? p.first_name : p.last_name) = std::string(trimmed);
            break;
        }
        case Field::preferred_name: p.preferred_name = non_empty(trimmed); break;
        case Field::email: {
            auto e = non_empty(trimmed);
            if (e && !plausible_email(*e)) r.error = "'" + *e + "' is not an email address";
            else p.email = e;
            break;
        }
        case Field::trn: {
            std::string s = strip_excel_decimal(text::replace_all(std::string(trimmed), " ", ""));
            if (s.empty()) {
                p.trn.reset();
                break;
            }
            if (text::all_digits(s) && s.size() == 6) {
                r.warning = "TRN " + s + " has 6 digits: read as 0" + s + " (a spreadsheet dropped the leading zero)";
                s = "0" + s;
            }
            if (!text::all_digits(s) || s.size() != 7) r.error = "TRN must be 7 digits, got '" + std::string(trimmed) + "'";
            else p.trn = s;
            break;
        }
        case Field::school_name: p.school_name = non_empty(trimmed); break;
        case Field::school_urn: {
            std::string s = strip_excel_decimal(std::string(trimmed));
            if (s.empty()) p.school_urn.reset();
            else if (!text::all_digits(s) || s.size() != 6) r.error = "school URN must be 6 digits, got '" + std::string(trimmed) + "'";
            else p.school_urn = s;
            break;
        }
        case Field::role: {
            if (auto role = parse_role(trimmed)) p.role = *role;
            else if (trimmed.empty()) r.error = "role is missing";
            else r.error = "unknown role '" + std::string(trimmed) +
                           "' (expected ECT, mentor, induction tutor, facilitator, NPQ, hub staff or guest)";
            break;
        }
        case Field::programme: p.programme = non_empty(trimmed); break;
        case Field::lead_provider: p.lead_provider = non_empty(trimmed); break;
        case Field::delivery_partner: p.delivery_partner = non_empty(trimmed); break;
        case Field::cohort: {
            if (trimmed.empty()) {
                p.cohort.reset();
                break;
            }
            auto year = parse_small_int(trimmed);
            if (!year || *year < 2018 || *year > 2100) r.error = "cohort must be a year such as 2025, got '" + std::string(trimmed) + "'";
            else p.cohort = year;
            break;
        }
        case Field::programme_year: {
            if (trimmed.empty()) {
                p.programme_year.reset();
                break;
            }
            std::string s = text::to_lower_ascii(trimmed);
            if (s.rfind("year ", 0) == 0) s = s.substr(5);
            auto year = parse_small_int(s);
            if (!year || *year < 1 || *year > 3) r.error = "programme year must be 1, 2 or 3, got '" + std::string(trimmed) + "'";
            else p.programme_year = year;
            break;
        }
        case Field::part_time: {
            auto pt = parse_yes_no(trimmed);
            if (!pt) r.error = "part-time must be yes or no, got '" + std::string(trimmed) + "'";
            else p.part_time = *pt;
            break;
        }
    }
    return r;
}

bool differs(Field f, const Participant& a, const Participant& b) {
    switch (f) {
        case Field::first_name: return a.first_name != b.first_name;
        case Field::last_name: return a.last_name != b.last_name;
        case Field::preferred_name: return a.preferred_name != b.preferred_name;
        case Field::email: return a.email != b.email;
        case Field::trn: return a.trn != b.trn;
        case Field::school_name: return a.school_name != b.school_name;
        case Field::school_urn: return a.school_urn != b.school_urn;
        case Field::role: return a.role != b.role;
        case Field::programme: return a.programme != b.programme;
        case Field::cohort: return a.cohort != b.cohort;
        case Field::programme_year: return a.programme_year != b.programme_year;
        case Field::part_time: return a.part_time != b.part_time;
        case Field::lead_provider: return a.lead_provider != b.lead_provider;
        case Field::delivery_partner: return a.delivery_partner != b.delivery_partner;
    }
    return false;
}

void copy_field(Field f, const Participant& from, Participant& to) {
    switch (f) {
        case Field::first_name: to.first_name = from.first_name; break;
        case Field::last_name: to.last_name = from.last_name; break;
        case Field::preferred_name: to.preferred_name = from.preferred_name; break;
        case Field::email: to.email = from.email; break;
        case Field::trn: to.trn = from.trn; break;
        case Field::school_name: to.school_name = from.school_name; break;
        case Field::school_urn: to.school_urn = from.school_urn; break;
        case Field::role: to.role = from.role; break;
        case Field::programme: to.programme = from.programme; break;
        case Field::cohort: to.cohort = from.cohort; break;
        case Field::programme_year: to.programme_year = from.programme_year; break;
        case Field::part_time: to.part_time = from.part_time; break;
        case Field::lead_provider: to.lead_provider = from.lead_provider; break;
        case Field::delivery_partner: to.delivery_partner = from.delivery_partner; break;
    }
}

bool is_empty(Field f, const Participant& p) {
    switch (f) {
        case Field::preferred_name: return !p.preferred_name;
        case Field::email: return !p.email;
        case Field::trn: return !p.trn;
        case Field::school_name: return !p.school_name;
        case Field::school_urn: return !p.school_urn;
        case Field::programme: return !p.programme;
        case Field::cohort: return !p.cohort;
        case Field::programme_year: return !p.programme_year;
        case Field::lead_provider: return !p.lead_provider;
        case Field::delivery_partner: return !p.delivery_partner;
        default: return false;
    }
}

}  // namespace muster::roster
