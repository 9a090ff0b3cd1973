#include "command.hpp"

#include "muster/store/event_store.hpp"
#include "muster/time/uk_time.hpp"

#include <ostream>

namespace muster::admin {
namespace {

int create(const Args& a, Context& ctx) {
    store::NewEvent spec;
    spec.programme = a.require("programme");
    spec.item = a.require("item");
    spec.cohort = static_cast<int>(a.require_int("cohort"));
    spec.local_date = a.require("date");
    spec.venue = a.require_text("venue", limits::venue_chars);
    spec.rooms = static_cast<int>(a.get_int("rooms").value_or(0));
    spec.late_after_min = static_cast<int>(a.get_int("late-after").value_or(10));
    auto db = ctx.hub.open();
    EventId id = store::create_event(*db, spec);
    auto event = store::load_event(*db, id);
    auto expected = store::enrolments(*db, id).size();
    ctx.out << "Created event " << id << ": " << event->title << ", " << event->local_date << " at " << event->venue << "\n";
    for (const auto& s : event->sessions)
        ctx.out << "  session " << s.id << ": " << s.name << " " << uk_time::format_hhmm(s.starts_ms) << "-"
                << uk_time::format_hhmm(s.ends_ms) << "\n";
    for (const auto& r : event->rooms) ctx.out << "  room " << r.id << ": " << r.name << "\n";
    ctx.out << "  " << expected << " participants expected\n";
    return 0;
}

int list(const Args&, Context& ctx) {
    auto db = ctx.hub.open();
    auto events = store::list_events(*db);
    if (events.empty()) ctx.out << "No events yet: muster event create --help\n";
    for (const auto& e : events)
        ctx.out << e.id << "  " << e.local_date << "  " << e.programme << "/" << e.item << "  cohort " << e.cohort << "  "
                << e.title << " @ " << e.venue << "  (" << store::enrolments(*db, e.id).size() << " expected, "
                << e.sessions.size() << " sessions, " << e.rooms.size() << " rooms)\n";
    return 0;
}

}  // namespace

std::vector<Command> event_commands() {
    return {
        {"event create", "Create an event from a programme template and enrol who is expected",
         "--programme ect-y1|ect-y2|mentor|npq --item ITEM --cohort YEAR --date YYYY-MM-DD --venue TEXT "
         "[--rooms N] [--late-after MINUTES]",
         {"programme", "item", "cohort", "date", "venue", "rooms", "late-after"}, {}, create},
        {"event list", "List the hub's events", "[--hub DIR]", {}, {}, list},
    };
}

}  // namespace muster::admin
