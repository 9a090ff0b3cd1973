#pragma once
// What the hub looks up to judge a record a device uploaded (the rules are the server's:
// sync-server/intake/upload_rules.hpp, docs/security.md). Each is one indexed probe through
// a statement prepared once per connection, so judging keeps pace with storing.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

namespace muster::store {

bool participant_exists(db::Database& db, ParticipantId participant);
// The hub issued this serial to this participant, revoked since or not: a scan of a
// revoked badge is a real record (the kiosk refused it, and says so).
bool badge_issued(db::Database& db, ParticipantId participant, std::int64_t serial);
// The participant holds, or once held, an NFC card the hub enrolled.
bool held_nfc_card(db::Database& db, ParticipantId participant);

}  // namespace muster::store
