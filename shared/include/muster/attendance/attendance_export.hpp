#pragma once
// Export to the central attendance records: CSV, one row per participant per event.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <optional>
#include <ostream>

namespace muster::attendance {

// Writes the header and one row per participant per event (every event when `event` is
// empty). Returns the number of rows. Text fields are quoted against spreadsheet formula
// injection. Times are UK local.
std::size_t export_csv(db::Database& db, std::optional<EventId> event, std::ostream& out);

}  // namespace muster::attendance
