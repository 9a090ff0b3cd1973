#pragma once
// A participant's fields as the roster knows them, and the one reading of a cell into a
// field. Roster import and `muster roster edit` both go through read_cell, so a value the
// import refuses is refused by the edit in the same words.
#include "muster/model/types.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace muster::roster {

enum class Field {
    first_name, last_name, preferred_name, email, trn, school_name, school_urn, role,
    programme, cohort, programme_year, part_time, lead_provider, delivery_partner
};

// Every field, in the order summaries list them.
const std::vector<Field>& all_fields();
// The short word staff read in summaries ("school", "urn", "year").
std::string_view field_name(Field f);
// Optional fields may be cleared (an empty cell, `edit --school ""`); names and role may not.
bool is_optional(Field f);

struct CellResult {
    std::optional<std::string> error;    // the cell is refused; the field is left as it was
    std::optional<std::string> warning;  // read, with a repair worth mentioning
};

// Reads one cell into `p`'s field as a roster import does: trimmed, within the field
// limits, checked for its format (7-digit TRN, 6-digit URN, an email address, a known
// role, a cohort year, programme year 1 to 3, yes/no). An empty cell clears an optional
// field; for a required one it is an error.
CellResult read_cell(Field f, std::string_view cell, Participant& p);

// Does the field differ between two people? (for "changed: #12 ...: email, school")
bool differs(Field f, const Participant& a, const Participant& b);
// Copies one field from `from` to `to`.
void copy_field(Field f, const Participant& from, Participant& to);
// Is this field empty (nullopt) in `p`?
bool is_empty(Field f, const Participant& p);

}  // namespace muster::roster
