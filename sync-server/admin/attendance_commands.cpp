#include "command.hpp"
#include "reconcile_text.hpp"

#include "muster/attendance/attendance_export.hpp"
#include "muster/store/event_store.hpp"
#include "muster/util/private_files.hpp"

#include <ostream>
#include <sstream>

namespace muster::admin {
namespace {

int export_attendance(const Args& a, Context& ctx) {
    auto db = ctx.hub.open();
    std::optional<EventId> event;
    if (auto e = a.get_int("event")) {
        if (!store::load_event(*db, *e))
            throw UsageError("no event " + std::to_string(*e) + " (muster event list shows the hub's events)");
        event = *e;
    } else if (store::list_events(*db).empty()) {
        ctx.err << "muster attendance export: the hub has no events yet, so there is nothing to export "
                   "(create one with: muster event create)\n";
        return 1;
    }
    // The whole export is made first: nothing is written unless there is something to write,
    // and a file is replaced whole or not at all.
    std::ostringstream csv;
    auto rows = attendance::export_csv(*db, event, csv);
    if (rows == 0) {
        ctx.err << "muster attendance export: "
                << (event ? "event " + std::to_string(*event) + " has" : std::string("the hub's events have"))
                << " nobody expected and no check-ins, so there is nothing to export"
                << (a.get("out") ? "; " + *a.get("out") + " was not written" : "") << "\n";
        return 1;
    }
    if (auto path = a.get("out")) {
        if (path->empty()) throw UsageError("--out needs a file name");
        try {
            replace_private_file(*path, csv.str());
        } catch (const std::exception& e) {
            ctx.err << "muster attendance export: cannot write " << *path << " (" << e.what()
                    << "); any earlier file there is unchanged\n";
            return 1;
        }
        ctx.out << "Wrote " << rows << " row(s) to " << *path << "\n";
    } else {
        ctx.out << csv.str();
    }
    return 0;
}

}  // namespace

std::vector<Command> attendance_commands() {
    std::vector<Command> all = {{"attendance export", "Export attendance as CSV: one row per participant per event",
             "[--event ID] [--out FILE.csv]\n\n"
             "  --event  one event (muster event list); without it, every event\n"
             "  --out    the file to write (replaced whole, or left as it was if the export fails);\n"
             "           without it, the CSV goes to standard output\n"
             "An export that finds nothing (no events, or nobody at the event) fails and writes nothing.",
             {"event", "out"}, {}, export_attendance}};
    // Reconciliation (docs/reconciliation.md): show, history, mark, void.
    for (auto group : {reconcile_commands, correction_commands})
        for (auto& c : group()) all.push_back(std::move(c));
    return all;
}

}  // namespace muster::admin
