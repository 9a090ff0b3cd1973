// `muster event list` and `event show`: each event with its sessions (UK times) and rooms
// (ids, facilitators, how many allocated), so staff find every id a command needs here.
#include "event_command_support.hpp"

#include <algorithm>
#include <map>
#include <ostream>
#include <tuple>

namespace muster::admin {
namespace {

void print_event(db::Database& db, const Event& e, std::ostream& out) {
    out << "Event " << e.id << "  " << e.local_date << "  " << e.title << " @ " << e.venue << "  (" << e.programme << " "
        << e.item << ", cohort " << e.cohort << ")  " << store::enrolments(db, e.id).size() << " expected";
    if (auto c = store::event_cancellation(db, e.id))
        out << "  CANCELLED " << uk_time::format_date(c->cancelled_ms) << ": " << c->reason;
    out << "\n";
    for (const auto& s : e.sessions)
        out << "  session " << s.id << "  " << s.name << "  " << session_times_text(s, e.local_date) << "\n";
    for (const auto& r : e.rooms) {
        out << "  room " << r.id << "  " << r.name << "  " << store::count_room_enrolments(db, r.id) << " enrolled  ";
        auto facilitators = store::room_facilitator_list(db, r.id);
        if (facilitators.empty()) out << "no facilitator";
        for (std::size_t i = 0; i < facilitators.size(); ++i)
            out << (i == 0 ? "facilitators: " : ", ") << person_text(db, facilitators[i].participant_id)
                << (facilitators[i].lead ? " (lead)" : "");
        out << "\n";
    }
}

int list(const Args&, Context& ctx) {
    auto db = ctx.hub.open();
    auto events = store::list_events(*db);
    if (events.empty()) {
        ctx.out << "No events yet: muster event create --help\n";
        return 0;
    }
    for (const auto& e : events) print_event(*db, e, ctx.out);
    return 0;
}

int show(const Args& a, Context& ctx) {
    auto db = ctx.hub.open();
    auto e = require_event(*db, event_id_argument(a));
    print_event(*db, e, ctx.out);
    std::map<RoomId, std::string> room_names;
    for (const auto& r : e.rooms) room_names[r.id] = r.name;
    struct Line {
        RoomId room;  // 0: no room, listed last
        std::string last, first, text;
    };
    std::vector<Line> lines;
    for (const auto& en : store::enrolments(*db, e.id)) {
        auto p = store::find_participant(*db, en.participant_id);
        if (!p) continue;
        std::string room = en.room_id ? room_names[*en.room_id] : std::string("no room");
        lines.push_back({en.room_id.value_or(0), p->last_name, p->first_name,
                         std::to_string(p->id) + "  " + p->full_name() + "  " + std::string(label(p->role)) + "  " + room});
    }
    std::sort(lines.begin(), lines.end(),
              [](const Line& x, const Line& y) {
                  return std::tuple(x.room == 0, x.room, x.last, x.first) < std::tuple(y.room == 0, y.room, y.last, y.first);
              });
    ctx.out << (lines.empty() ? "  Nobody is enrolled.\n" : "  Enrolled (id, name, role, room):\n");
    for (const auto& l : lines) ctx.out << "    " << l.text << "\n";
    return 0;
}

}  // namespace

std::vector<Command> event_list_commands() {
    return {
        {"event list", "List the hub's events with their sessions, rooms and facilitators", "", {}, {}, list},
        {"event show", "One event: its sessions, rooms, facilitators and who is enrolled where", "ID", {}, {}, show},
    };
}

}  // namespace muster::admin
