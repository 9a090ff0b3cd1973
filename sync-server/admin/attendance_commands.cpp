#include "command.hpp"

#include "muster/attendance/attendance_export.hpp"

#include <fstream>
#include <ostream>

namespace muster::admin {
namespace {

int export_attendance(const Args& a, Context& ctx) {
    auto db = ctx.hub.open();
    std::optional<EventId> event;
    if (auto e = a.get_int("event")) event = *e;
    if (auto path = a.get("out")) {
        std::ofstream f(*path, std::ios::binary);
        if (!f) throw UsageError("cannot write " + *path);
        auto rows = attendance::export_csv(*db, event, f);
        if (!f.flush()) throw UsageError("cannot write " + *path);
        ctx.out << "Wrote " << rows << " row(s) to " << *path << "\n";
    } else {
        attendance::export_csv(*db, event, ctx.out);
    }
    return 0;
}

}  // namespace

std::vector<Command> attendance_commands() {
    return {{"attendance export", "Export attendance as CSV: one row per participant per event",
             "[--event ID] [--out FILE.csv]", {"event", "out"}, {}, export_attendance}};
}

}  // namespace muster::admin
