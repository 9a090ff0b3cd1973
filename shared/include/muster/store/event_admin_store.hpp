#pragma once
// An event's life after `event create`: its date, venue, session times and rooms changed,
// its cancellation, and the questions the admin tool asks before it changes anything (who
// or what still holds a room, has anyone checked in yet). Every writer takes the change
// clock value of the caller's transaction, so devices learn what changed.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"
#include "muster/store/event_store.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace muster::store {

struct Cancellation {
    TimeMs cancelled_ms = 0;
    std::string reason;
};
std::optional<Cancellation> event_cancellation(db::Database& db, EventId event);

// The event, not cancelled, that is the same run of a programme item for a cohort on a
// date: `event create` refuses to make it twice.
std::optional<EventId> find_same_event(db::Database& db, std::string_view programme, std::string_view item, int cohort,
                                       std::string_view local_date);

// Marks the event cancelled (its row kept, with the reason) and takes every enrolment at it
// away with unenrol, so devices hear that nobody is expected. Returns how many were
// enrolled. The caller checks it was not cancelled already.
std::size_t cancel_event(db::Database& db, EventId event, const std::string& reason, TimeMs now, std::int64_t change);

// "Morning=09:30-12:30,Afternoon=13:15-16:00" -> named local times; throws EventError.
std::vector<SessionTime> parse_session_times(std::string_view text);
// Local "HH:MM" start and end on the UK local date `yyyy_mm_dd`, as UTC; throws EventError
// when a time is not HH:MM or the end is not after the start.
std::pair<TimeMs, TimeMs> local_session_times(std::string_view yyyy_mm_dd, std::string_view start, std::string_view end);

// Moves the event to another UK local date; each session keeps its local times (and its
// day within the event), so 09:30 stays 09:30 across a change between GMT and BST.
// Throws EventError for a date that is not YYYY-MM-DD.
void move_event_date(db::Database& db, EventId event, const std::string& new_date, std::int64_t change);
void set_event_venue(db::Database& db, EventId event, const std::string& venue, std::int64_t change);
void set_event_late_after(db::Database& db, EventId event, int minutes, std::int64_t change);

std::int64_t count_event_check_ins(db::Database& db, EventId event);
std::int64_t count_room_enrolments(db::Database& db, RoomId room);

// What still holds a room, so it cannot be removed: people allocated to it, its
// facilitators, scans made in it, devices (any, revoked too: their rows name it).
struct RoomHolders {
    std::int64_t enrolments = 0;
    std::int64_t facilitators = 0;
    std::int64_t check_ins = 0;
    std::vector<std::string> devices;
    bool empty() const { return enrolments == 0 && facilitators == 0 && check_ins == 0 && devices.empty(); }
    std::string describe() const;  // "3 enrolled, 1 facilitator, device door-2"
};
RoomHolders room_holders(db::Database& db, RoomId room);
// Adds rooms named "Room K" for the next free K until the event has `count` of them.
std::vector<Room> add_rooms(db::Database& db, EventId event, int count, std::int64_t change);
// Deletes an empty room (the caller checks room_holders first).
void remove_room(db::Database& db, RoomId room);

// Devices in service (not revoked or removed) for the event.
std::vector<std::string> devices_serving(db::Database& db, EventId event);
// When the participant left the programme (participants.withdrawn_ms), if they did.
std::optional<TimeMs> participant_withdrawn(db::Database& db, ParticipantId participant);
// The event a room belongs to; nullopt when there is no such room.
std::optional<EventId> room_event(db::Database& db, RoomId room);
// The room of `event` whose facilitator list holds the participant, if any.
std::optional<RoomId> facilitated_room(db::Database& db, EventId event, ParticipantId participant);

// Takes a participant off an event: their enrolment (store::unenrol) and, since someone not
// at an event does not run a room of it, their place on that room's list. Returns the room
// they ran, if any (the caller says so: the room may now have no lead).
struct TakenOff {
    bool was_enrolled = false;
    std::optional<RoomId> facilitated_room;
};
TakenOff take_off_event(db::Database& db, EventId event, ParticipantId participant, std::int64_t change);

}  // namespace muster::store
