#pragma once
// Which CSV header means which participant field (internal to roster import).
#include <optional>
#include <string_view>
#include <vector>

namespace muster::roster::detail {

enum class Column {
    first_name, last_name, full_name, preferred_name, email, trn, school_name, school_urn,
    role, programme, cohort, programme_year, part_time, lead_provider, delivery_partner
};

struct ColumnSpec {
    Column column;
    std::string_view canonical;  // as documented
    std::vector<std::string_view> aliases;  // normalised spellings
};

const std::vector<ColumnSpec>& column_specs();
std::optional<Column> match_header(std::string_view header);

}  // namespace muster::roster::detail
