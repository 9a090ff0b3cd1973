#pragma once
// Participants in a Muster database.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace muster::store {

// Advances the database's change clock and returns the new value; rows written in the same
// transaction carry it in changed_at so devices can ask for "everything since N".
std::int64_t next_change(db::Database& db);
std::int64_t current_change(db::Database& db);

std::optional<Participant> find_participant(db::Database& db, ParticipantId id);
std::optional<ParticipantId> find_participant_by_trn(db::Database& db, std::string_view trn);
std::optional<ParticipantId> find_participant_by_email(db::Database& db, std::string_view email);
ParticipantId insert_participant(db::Database& db, const Participant& p, std::int64_t change);
// Writes the fields; returns false (and writes nothing) when nothing differs.
bool update_participant(db::Database& db, ParticipantId id, const Participant& p, std::int64_t change);
// Staff search at the kiosk: by TRN (exact or prefix) or by name (prefix of first, last or
// preferred name, case-insensitive).
std::vector<Participant> search_participants(db::Database& db, std::string_view query, int limit = 20);
std::vector<Participant> all_participants(db::Database& db);
std::size_t count_participants(db::Database& db);

}  // namespace muster::store
