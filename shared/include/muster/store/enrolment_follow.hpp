#pragma once
// Enrolments that follow the roster: people added to the roster after an event was made
// (or whose role, programme, cohort or year changed to match it) become expected at it.
// People who stop matching are not taken off: that is a staff decision (`muster event
// unenrol`), as a changed row may be a mistake in the file, not a change of programme.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace muster::store {

struct FollowedEvent {
    EventId event_id = 0;
    std::string local_date;  // YYYY-MM-DD
    std::string title;
    std::vector<ParticipantId> participants;  // enrolled there now
};

// Enrols each of `people` at every event dated `today` (YYYY-MM-DD, UK) or later that is
// not cancelled and whose programme's audience they match (programme::is_audience), unless
// they are withdrawn, already enrolled there, or were taken off it by staff (a row in
// enrolment_removals). Each goes to the event's room with the fewest people enrolled, ties
// to the lowest room id (none when the event has no rooms). Writes at `change`, in the
// caller's transaction. Returns the events someone joined, by date.
std::vector<FollowedEvent> enrol_in_future_events(db::Database& db, const std::vector<ParticipantId>& people,
                                                  std::string_view today, std::int64_t change);

}  // namespace muster::store
