#pragma once
// Export to the central attendance records: CSV, one row per participant per event.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <optional>
#include <ostream>
#include <span>
#include <string_view>

namespace muster::attendance {

struct ExportColumn {
    std::string_view name;     // the header cell
    std::string_view meaning;  // for `muster help columns`
};
// The export's columns, in order: the header is written from this table.
std::span<const ExportColumn> export_columns();

// Writes the header and one row per participant per event (every event when `event` is
// empty). Returns the number of rows. Written by csv::Writer (csv_writer.hpp): UTF-8 with a
// byte-order mark, CRLF, text neutralised against formula injection, TRN and URN kept as
// text for Excel. Times are UK local.
std::size_t export_csv(db::Database& db, std::optional<EventId> event, std::ostream& out);

}  // namespace muster::attendance
