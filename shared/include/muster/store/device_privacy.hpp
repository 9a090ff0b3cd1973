#pragma once
// What a device left in a venue holds at rest (docs/privacy.md): TRNs only as a keyed hash
// under the device's own key, and the event's roster purged some days after the event.
// Device databases only; a hub keeps TRNs in clear (it needs them for the DfE returns).
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace muster::store {

// The device's TRN key: 32 random bytes in a file of the device folder (trn.key, mode 600),
// made at provisioning. Per device, not per hub: a stolen kiosk's key matches the hashes of
// that kiosk's database only, and a hub never needs to compute them (it sends TRNs over TLS
// and the device hashes them before they are written).
using TrnKey = std::array<unsigned char, 32>;

// Reads the key file; nullopt when there is none. ConfigError when it is not a key.
std::optional<TrnKey> read_trn_key(const std::filesystem::path& file);
// Makes a new key file (mode 600 before the first byte); throws when the file exists.
TrnKey create_trn_key(const std::filesystem::path& file);

// A TRN as typed or as a roster has it, in the roster's form: 7 digits, spaces dropped, a
// 6-digit one read with its leading zero (as the roster import reads them); nullopt when it
// is not a TRN.
std::optional<std::string> normalise_trn(std::string_view typed);
// HMAC-SHA256(key, the normalised TRN): 32 bytes.
std::string trn_digest(const TrnKey& key, std::string_view normalised_trn);

// Makes the device-only table of TRN hashes when missing (in code at open, not a shared
// migration: the hub, on SQLite or PostgreSQL, has no use for it, and the migrations and
// their PostgreSQL twins stay the hub's schema).
void prepare_trn_hashes(db::Database& device);
// Sets (or, with no TRN, removes) one participant's hash. A hash held by someone else (a
// corrected roster moved the TRN) is taken from them, as the hub's TRN column would be.
void set_trn_hash(db::Database& device, const TrnKey& key, ParticipantId who, const std::optional<std::string>& trn);

// At every device start: the key file read (made when the device has none yet), the hash
// table made, and every TRN still held in clear (a device.db made before TRNs were hashed)
// moved to its hash and zeroed in the file (secure_delete, then the WAL emptied). Refuses
// (ConfigError naming the file) when the database holds hashes and the key file is missing
// or is another key: the hashes would silently stop matching.
struct DeviceTrnKey {
    TrnKey key{};
    std::size_t hashed_now = 0;  // TRNs that were in clear until this start
};
DeviceTrnKey secure_device_trns(db::Database& device, const std::filesystem::path& key_file);

// Staff search at a device: a typed TRN (7 digits, or 6 missing the leading zero) finds its
// one person by hash, exactly (no prefix: a hash has none); anything else searches names.
std::vector<Participant> search_device_participants(db::Database& device, const TrnKey& key, std::string_view query,
                                                    int limit = 20);

// ---- The roster purge (docs/kiosk.md, "After the event") ----

// The first instant the roster is due to go: UK midnight at the end of the event's last day
// (its date, or its last session's end if later) plus `days` days. nullopt when the device
// does not hold the event.
std::optional<TimeMs> roster_purge_due(db::Database& device, EventId event, int days);
// When the roster was purged (settings privacy.roster_purged_ms), if it was.
std::optional<TimeMs> roster_purged_at(db::Database& device);

// Records the hub has not acknowledged (the outbox, refused ones included): they are kept by
// a purge and make `muster device wipe` ask for --force.
std::int64_t unacknowledged_records(db::Database& device);

struct RosterPurge {
    std::int64_t people = 0;        // participant rows deleted
    std::int64_t records_kept = 0;  // unacknowledged check-ins and corrections kept for the hub
    bool vacuumed = false;          // false: the file still has to be compacted (retried next time)
};
// Deletes the people (names, schools, TRN hashes), their badges, cards, enrolments and room
// lists, and every check-in and correction the hub already holds; keeps the outbox's records
// (sent as before) and the event itself. Then VACUUM and an emptied WAL, so the deleted
// pages do not stay in the file. The device's sequence numbers are kept as a floor so a
// record made later never reuses one. Marks the database purged: the device then downloads
// no more people (DeviceSyncStore::apply) and the kiosk shows "roster removed".
RosterPurge purge_device_roster(db::Database& device, const std::string& device_id, TimeMs now);
// Only the compaction (after a purge whose VACUUM met a busy database).
bool compact_device_database(db::Database& device);

}  // namespace muster::store
