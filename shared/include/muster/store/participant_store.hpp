#pragma once
// Participants in a Muster database.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace muster::store {

// A participant row's columns in the order read_participant expects them.
inline constexpr std::string_view participant_columns =
    "id, trn, email, first_name, last_name, preferred_name, school_name, school_urn, role, programme, "
    "cohort, programme_year, part_time, lead_provider, delivery_partner";
Participant read_participant(const db::Statement& row);

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
