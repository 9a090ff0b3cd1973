#pragma once
// What the facilitators' live register shows (docs/register.md, "The page"): for an event, a
// room (or the whole event) and the current session, who is here and since when (late
// flagged), who is expected and not here yet, and who is here but not on the list (a
// visitor). Built by a pure function from the facts; store::load_register_view
// (muster/store/register_view_store.hpp) reads them from the hub database. A person carries only what a facilitator needs to recognise them: first
// name (the preferred one when set), surname, school and role; never an email or a TRN.
#include "muster/model/types.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace muster::register_view {

struct Person {
    ParticipantId id = 0;
    std::string first_name;  // the preferred name when set
    std::string surname;
    std::optional<std::string> school;
    Role role = Role::ect;
    // Facts the view needs, never shown: where they are expected, and since when they are not.
    std::optional<TimeMs> withdrawn_ms;
};

struct Here {
    Person person;
    TimeMs arrived_ms = 0;           // their first counted, not voided entry scan this session
    std::optional<int> minutes_late;  // attendance::minutes_late for this session
};

enum class VisitorReason { other_room, not_expected };
std::string_view to_string(VisitorReason);

struct Visitor {
    Person person;
    TimeMs arrived_ms = 0;
    VisitorReason reason = VisitorReason::not_expected;
    std::optional<RoomId> expected_room;  // other_room: the room they are on the list of
    std::optional<std::string> expected_room_name;
};

struct Counts {
    int in = 0;        // expected and here (the *here* list)
    int expected = 0;  // on the list
    int late = 0;      // of those here, late
    int missing = 0;   // expected, not here yet
    int visitors = 0;  // here, not on the list
};

struct View {
    Event event;                     // with its sessions and rooms
    std::optional<Room> room;        // nullopt: the whole event
    std::optional<Session> session;  // nullopt: an event without sessions
    Counts counts;
    std::vector<Here> here;          // newest arrival first
    std::vector<Person> missing;     // expected, not here yet: by surname, then first name
    std::vector<Visitor> visitors;   // newest arrival first
};

struct Arrival {
    ParticipantId participant_id = 0;
    TimeMs first_ms = 0;
};

// Everything the view is made from. `arrivals` are the first counted, not voided entry scans
// in `session` at the place the register covers (the room's own kiosk for a room; any place
// of the event for the whole event), one per person; `people` holds at least everyone in
// `enrolments` and `arrivals`.
struct Facts {
    Event event;
    std::optional<RoomId> room;
    std::optional<Session> session;
    std::vector<Enrolment> enrolments;  // the whole event's
    std::vector<Arrival> arrivals;
    std::map<ParticipantId, Person> people;
    TimeMs now = 0;
};

// The expected are the room's enrolments (every enrolment of the event for the whole event),
// less anyone withdrawn by `now`. A person who arrived is *here* when expected, else a
// visitor: `other_room` when enrolled in another room of the event (or in none, for a room's
// register), `not_expected` when not enrolled at the event at all.
View build_view(const Facts& facts);

}  // namespace muster::register_view
