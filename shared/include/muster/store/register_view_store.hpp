#pragma once
// The live register's facts read from the hub database (muster/register/register_view.hpp).
#include "muster/db/database.hpp"
#include "muster/register/register_view.hpp"

#include <optional>

namespace muster::store {

// The view for `event` (and `room`, nullopt for the whole event) in the session current at
// `now` (store::current_session). nullopt when the event is not there or the room is not one
// of its rooms. Reads only: safe on a connection of its own beside the sync server's.
// viewer_link: the link of the tablet asking (its own marks are undoable).
std::optional<register_view::View> load_register_view(db::Database& db, EventId event, std::optional<RoomId> room,
                                                      TimeMs now,
                                                      std::optional<std::int64_t> viewer_link = std::nullopt);

// Has the event a room device in service for this room (mode room, not revoked, not
// removed)? Then the room's register counts that device's scans; else the entrance's.
bool room_device_in_service(db::Database& db, EventId event, RoomId room);

// The event a room belongs to, or nullopt when there is no such room (the read rule,
// register_access::may_read, is asked with both).
std::optional<EventId> event_of_room(db::Database& db, RoomId room);

}  // namespace muster::store
