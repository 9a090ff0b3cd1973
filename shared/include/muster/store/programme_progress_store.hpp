#pragma once
// Programme progress read from the hub database (muster/attendance/programme_progress.hpp):
// the participants of a scope, the events of their programmes and their facts there, in a
// fixed seven queries whatever the number of people and events.
#include "muster/attendance/programme_progress.hpp"
#include "muster/db/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace muster::store {

// Whose progress: one participant, one school (by URN), or (both empty) the whole hub.
struct ProgressScope {
    std::optional<ParticipantId> participant;
    std::optional<std::string> school_urn;
    // Keep each row's records (every event with its standing), for a detailed view. Off,
    // rows carry only the progress: less memory for the whole hub.
    bool with_events = false;
};

// One row per participant in scope who is on a programme (ECT, mentor, NPQ; not
// withdrawn), ordered by school URN, surname, first name. Events cancelled are left out.
// Reads only, in one read transaction.
std::vector<attendance::ParticipantProgress> load_programme_progress(db::Database& db, const ProgressScope& scope,
                                                                      TimeMs now);

}  // namespace muster::store
