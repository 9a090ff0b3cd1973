#pragma once
// Events, their sessions and rooms, and who is expected at them.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"
#include "muster/programme/templates.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace muster::store {

// An event row's columns in the order read_event expects them (sessions and rooms are
// read separately).
inline constexpr std::string_view event_columns =
    "id, programme, item, cohort, kind, title, venue, local_date, late_after_min";
Event read_event(const db::Statement& row);
inline constexpr std::string_view session_columns =
    "id, event_id, name, starts_ms, ends_ms, opens_before_min, closes_after_min";
Session read_session(const db::Statement& row);
inline constexpr std::string_view room_columns = "id, event_id, name";
Room read_room(const db::Statement& row);

class EventError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The event asked for exists already (same programme item, cohort and date, not cancelled).
class DuplicateEvent : public EventError {
public:
    DuplicateEvent(EventId same, const std::string& what) : EventError(what), existing(same) {}
    EventId existing;
};

// A session's UK local times for one event, overriding its template's ("Morning", "09:30", "12:30").
struct SessionTime {
    std::string name;
    std::string start;
    std::string end;
};

struct NewEvent {
    std::string programme;  // template code, e.g. "ect-y1"
    std::string item;       // template item code, e.g. "conference-1"
    int cohort = 0;
    std::string local_date;  // YYYY-MM-DD
    std::string venue;
    int rooms = 0;  // breakout rooms to create ("Room 1".."Room N")
    int late_after_min = 10;
    std::vector<SessionTime> session_times = {};  // by template session name; others keep the template's
};

// Creates the event and its sessions from the template, then enrols the expected
// participants (the template's audience for that cohort) and shares them out between
// the rooms, and the facilitators with them (share_facilitators). Throws EventError with a
// clear message, DuplicateEvent when the same event exists.
EventId create_event(db::Database& db, const NewEvent& spec);

std::optional<Event> load_event(db::Database& db, EventId id);
std::vector<Event> list_events(db::Database& db);
std::optional<Session> load_session(db::Database& db, SessionId id);
// Moves a session to new times (the demo opens its check-in now).
void reschedule_session(db::Database& db, SessionId session, TimeMs starts_ms, TimeMs ends_ms, std::int64_t change);
// The session of `event` whose check-in window contains `now`, else the next one to
// open, else the last one.
std::optional<Session> current_session(const Event& event, TimeMs now);

std::optional<Enrolment> find_enrolment(db::Database& db, EventId event, ParticipantId participant);
std::vector<Enrolment> enrolments(db::Database& db, EventId event);
// Enrols the event's audience, and gives rooms without a lead (or without a co-facilitator)
// facilitators not yet in any of its rooms. Nothing for a cancelled event.
std::size_t enrol_expected(db::Database& db, EventId event, std::int64_t change);
// Enrols (or moves to `room`) one participant; a removal of the same enrolment is forgotten.
void enrol(db::Database& db, EventId event, ParticipantId participant, std::optional<RoomId> room, std::int64_t change);
// Takes an enrolment away and remembers it in enrolment_removals at `change`, so devices
// hear of it. False when the participant was not enrolled there.
bool unenrol(db::Database& db, EventId event, ParticipantId participant, std::int64_t change);
std::optional<std::string> room_name(db::Database& db, RoomId room);
std::vector<ParticipantId> room_facilitators(db::Database& db, RoomId room);  // lead first

struct RoomFacilitator {
    ParticipantId participant_id = 0;
    bool lead = false;
};
// Replaces the room's whole list of facilitators and moves the room's changed_at to
// `change`, so devices are sent the room and its new list (docs/api.md, "Changes").
// Enrolment is the caller's: a facilitator is also enrolled at the event in that room.
void set_room_facilitators(db::Database& db, RoomId room, const std::vector<RoomFacilitator>& facilitators,
                           std::int64_t change);
std::vector<RoomFacilitator> room_facilitator_list(db::Database& db, RoomId room);  // lead first

// Shares facilitators out between rooms, given each room's list now: first a lead for every
// room that has nobody (one each, in room order), then a co-facilitator for every room that
// has one person, from `available` in order. Nobody is moved; rooms beyond the people
// available stay as they were. Returns the rooms' new lists, in the same order.
std::vector<std::vector<RoomFacilitator>> share_facilitators(std::vector<std::vector<RoomFacilitator>> rooms,
                                                             const std::vector<ParticipantId>& available);

}  // namespace muster::store
