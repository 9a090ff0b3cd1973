#pragma once
// What the `muster event ...` commands share: finding the event, room or person an option
// names (or a refusal that says where to look), and the words for times and people.
#include "command.hpp"

#include "muster/model/types.hpp"
#include "muster/store/event_admin_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/time/uk_time.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace muster::admin {

std::vector<Command> event_list_commands();    // event list, event show
std::vector<Command> event_people_commands();  // event enrol, unenrol, facilitators

// A command that finds nothing to do: run_cli prints it and exits 1 (a usage problem is 2).
class NothingToDo : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

inline EventId event_id_argument(const Args& a) {
    if (a.positional().size() != 1) throw UsageError("give the event's id (see: muster event list)");
    try {
        std::size_t used = 0;
        long long id = std::stoll(a.positional()[0], &used);
        if (used == a.positional()[0].size()) return id;
    } catch (const std::exception&) {
    }
    throw UsageError("'" + a.positional()[0] + "' is not an event id (see: muster event list)");
}

inline Event require_event(db::Database& db, EventId id) {
    auto e = store::load_event(db, id);
    if (!e) throw UsageError("no event " + std::to_string(id) + " (see: muster event list)");
    return *e;
}

// Changes to a cancelled event are refused: nobody is expected at it any more.
inline void refuse_cancelled(db::Database& db, const Event& e, const std::string& what) {
    if (auto c = store::event_cancellation(db, e.id))
        throw UsageError("event " + std::to_string(e.id) + " was cancelled on " + uk_time::format_date(c->cancelled_ms) +
                         " (" + c->reason + "): " + what + " is refused");
}

inline Participant require_participant(db::Database& db, ParticipantId id) {
    auto p = store::find_participant(db, id);
    if (!p) throw UsageError("no participant " + std::to_string(id) + " (see: muster roster list)");
    return *p;
}

// A room of the event, or a refusal naming the event's rooms.
inline Room require_room_of(const Event& e, RoomId id) {
    for (const auto& r : e.rooms)
        if (r.id == id) return r;
    std::string known;
    for (const auto& r : e.rooms) known += (known.empty() ? "" : ", ") + std::to_string(r.id) + " " + r.name;
    throw UsageError("room " + std::to_string(id) + " is not a room of event " + std::to_string(e.id) + " (its rooms: " +
                     (known.empty() ? "none" : known) + ")");
}

// "09:30–12:30", with the date when the session is not on the event's day.
inline std::string session_times_text(const Session& s, const std::string& event_date) {
    std::string out = uk_time::format_hhmm(s.starts_ms) + "\u2013" + uk_time::format_hhmm(s.ends_ms);
    if (uk_time::format_date(s.starts_ms) != event_date) out += " on " + uk_time::format_date(s.starts_ms);
    return out;
}

inline std::string person_text(db::Database& db, ParticipantId id) {
    auto p = store::find_participant(db, id);
    return std::to_string(id) + " " + (p ? p->full_name() : std::string("(unknown)"));
}

}  // namespace muster::admin
