#pragma once
// What the hub looks up to judge a record a device uploaded (the rules are the server's:
// sync-server/intake/upload_rules.hpp, docs/security.md). Each single look-up is one indexed
// probe through a statement prepared once per connection; the bulk ones below read the same
// facts for a whole upload in one statement each, so an upload of 500 records costs a few
// round trips to a PostgreSQL server rather than a few per record (docs/scale.md).
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace muster::store {

bool participant_exists(db::Database& db, ParticipantId participant);
// The hub issued this serial to this participant, revoked since or not: a scan of a
// revoked badge is a real record (the kiosk refused it, and says so).
bool badge_issued(db::Database& db, ParticipantId participant, std::int64_t serial);
// The participant holds, or once held, an NFC card the hub enrolled.
bool held_nfc_card(db::Database& db, ParticipantId participant);

// The same facts for many participants at once: of `participants`, those that exist; every
// (participant, serial) issued to one of them; those holding or having held an NFC card.
std::set<ParticipantId> existing_participants(db::Database& db, const std::vector<ParticipantId>& participants);
std::set<std::pair<ParticipantId, std::int64_t>> issued_badges(db::Database& db,
                                                               const std::vector<ParticipantId>& participants);
std::set<ParticipantId> nfc_card_holders(db::Database& db, const std::vector<ParticipantId>& participants);

// Of `uuids`, the check-ins stored, by uuid.
std::map<std::string, CheckIn> stored_check_ins(db::Database& db, const std::vector<std::string>& uuids);
// Of `seqs`, the device sequence numbers `device_id` already used for a stored check-in.
std::set<std::int64_t> used_device_seqs(db::Database& db, const std::string& device_id,
                                        const std::vector<std::int64_t>& seqs);

}  // namespace muster::store
