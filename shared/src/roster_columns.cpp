#include "roster_columns.hpp"

#include "muster/util/text.hpp"

namespace muster::roster::detail {

const std::vector<ColumnSpec>& column_specs() {
    // Aliases are in normalised form (lower case, '_', '-', '.' folded to spaces).
    static const std::vector<ColumnSpec> specs = {
        {Column::first_name, "first_name", {"first name", "firstname", "forename", "forenames", "given name", "first"}},
        {Column::last_name, "last_name", {"last name", "lastname", "surname", "family name", "last"}},
        {Column::full_name, "name", {"name", "full name", "participant name"}},
        {Column::preferred_name, "preferred_name", {"preferred name", "known as", "preferred first name"}},
        {Column::email, "email", {"email", "email address", "e mail", "e mail address", "work email"}},
        {Column::trn, "trn", {"trn", "teacher reference number", "teacher reference", "teacher ref", "dfe number"}},
        {Column::school_name, "school", {"school", "school name", "establishment", "establishment name"}},
        {Column::school_urn, "urn", {"urn", "school urn", "establishment urn"}},
        {Column::role, "role", {"role", "participant role", "participant type", "type"}},
        {Column::programme, "programme", {"programme", "program", "course", "programme name"}},
        {Column::cohort, "cohort", {"cohort", "cohort year", "start year"}},
        {Column::programme_year, "programme_year", {"programme year", "year", "year of programme", "ect year", "induction year"}},
        {Column::part_time, "part_time", {"part time", "three year", "three year schedule", "3 year"}},
        {Column::lead_provider, "lead_provider", {"lead provider", "provider"}},
        {Column::delivery_partner, "delivery_partner", {"delivery partner", "hub", "teaching school hub"}},
    };
    return specs;
}

std::optional<Column> match_header(std::string_view header) {
    std::string key = text::normalise_key(header);
    for (const auto& spec : column_specs())
        for (auto alias : spec.aliases)
            if (alias == key) return spec.column;
    return std::nullopt;
}

}  // namespace muster::roster::detail
