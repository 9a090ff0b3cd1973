#pragma once
// Scans and corrections: appended, never updated (principle 4). What a device has not yet
// had acknowledged by the server is in its outbox (outbox_store.hpp).
#include "muster/checkin/check_in_rules.hpp"
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace muster::store {

// The columns of a check-in / correction in the order read_check_in / read_correction
// expect them, for queries elsewhere (the sync server's, the kiosk's sync) to share.
inline constexpr std::string_view check_in_columns =
    "uuid, device_id, device_seq, participant_id, event_id, session_id, room_id, direction, method, outcome, "
    "reason, badge_serial, device_ms, device_offset_min, staff";
inline constexpr std::string_view correction_columns =
    "uuid, kind, target_uuid, participant_id, event_id, session_id, status, reason, author, device_id, created_ms";
CheckIn read_check_in(const db::Statement& row);
Correction read_correction(const db::Statement& row);

// Next per-device sequence number (1, 2, ...): one past the device's own newest record, and
// never at or below the settings row device.seq_floor (what the hub held from this device id
// when this database was provisioned: `muster device move`, or re-adding a revoked id).
// Call inside the write transaction.
inline constexpr std::string_view device_seq_floor_key = "device.seq_floor";
std::int64_t next_device_seq(db::Database& db, const std::string& device_id);

// Inserts the record; with `queue`, also puts it in the outbox. Returns false when a
// record with that uuid is already there (a retried upload): nothing is doubled.
bool insert_check_in(db::Database& db, const CheckIn& c, bool queue);
bool insert_correction(db::Database& db, const Correction& c, bool queue);

// A record the device itself has just made, stored and queued for the hub. Throws db::Error
// (a unique violation) when the insert stored nothing: a clash on its sequence number would
// be a bug, and must reach the person as "not recorded", never as a green answer.
void record_new_check_in(db::Database& db, const CheckIn& c);
void record_new_correction(db::Database& db, const Correction& c);

// The participant's earlier counted, not voided scans in this session at this place
// (room_id NULL = the entrance), and their present / left-early marks of the session that
// were not undone (a facilitator's tablet: they count at every place, as an entry / exit).
checkin::PriorScans prior_scans(db::Database& db, ParticipantId participant, EventId event, SessionId session,
                                std::optional<RoomId> room);

std::optional<CheckIn> find_check_in(db::Database& db, const std::string& uuid);
// Every check-in at an event, oldest first (voided ones included; see voided_uuids).
std::vector<CheckIn> check_ins_for_event(db::Database& db, EventId event);
std::vector<Correction> corrections_for_event(db::Database& db, EventId event);
std::optional<Correction> find_correction(db::Database& db, const std::string& uuid);
// The newest counted, not voided scan this device made (what "void last scan" cancels).
std::optional<CheckIn> last_counted_scan(db::Database& db, const std::string& device_id);
bool is_voided(db::Database& db, const std::string& uuid);

// Who is here (the staff screen's count, a room's register): the people with a counted,
// not voided entry scan in this session at this place (room nullopt = the entrance).
std::size_t count_present(db::Database& db, EventId event, SessionId session, std::optional<RoomId> room);
struct FirstEntry {
    ParticipantId participant_id = 0;
    TimeMs first_ms = 0;  // their earliest such scan
};
std::vector<FirstEntry> first_entries(db::Database& db, EventId event, SessionId session, std::optional<RoomId> room);
// The first not voided scan at a room's kiosk of each person it turned away as on another
// room's list (outcome wrong_room): not attendance, but they are at the door, and that room's
// live register shows them as visitors.
std::vector<FirstEntry> first_wrong_room_entries(db::Database& db, EventId event, SessionId session, RoomId room);

}  // namespace muster::store
