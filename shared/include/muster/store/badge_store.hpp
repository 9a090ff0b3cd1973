#pragma once
// Badges issued to participants (a serial per reissue), their revocation, and NFC cards.
#include "muster/badge/badge_token.hpp"
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace muster::store {

struct BadgeRecord {
    ParticipantId participant_id = 0;
    std::int64_t serial = 0;
    TimeMs issued_ms = 0;
    std::optional<TimeMs> revoked_ms;
    std::optional<std::string> revoke_reason;
};

// Issues the participant's next badge serial (1 for the first badge).
BadgeRecord issue_badge(db::Database& db, ParticipantId participant, TimeMs now, std::int64_t change);
// Revokes one serial (a lost badge). Returns false if there is no such badge.
bool revoke_badge(db::Database& db, ParticipantId participant, std::int64_t serial, const std::string& reason,
                  TimeMs now, std::int64_t change);
// Signs the participant's next badge with the hub key, records it with its token digest,
// and returns the token. The one way the hub issues a badge.
std::string issue_signed_badge(db::Database& db, const badge::HubKeyPair& keys, ParticipantId participant, TimeMs now,
                               std::int64_t change);
void record_token_digest(db::Database& db, ParticipantId participant, std::int64_t serial, const badge::TokenDigest& digest);
// Digests of every unrevoked badge the hub issued (what a device's verifier may trust).
badge::TokenDigestSet issued_token_digests(db::Database& db);
bool is_badge_revoked(db::Database& db, ParticipantId participant, std::int64_t serial);
std::optional<BadgeRecord> current_badge(db::Database& db, ParticipantId participant);  // newest unrevoked
std::vector<BadgeRecord> badges_of(db::Database& db, ParticipantId participant);

// NFC cards: an upper-case hex UID attached to one participant at a time.
std::string normalise_uid(std::string_view uid);  // "04:a1:b2" -> "04A1B2"; "" if not hex
void attach_card(db::Database& db, std::string_view uid, ParticipantId participant, TimeMs now, std::int64_t change);
bool detach_card(db::Database& db, std::string_view uid, TimeMs now, std::int64_t change);
std::optional<ParticipantId> card_owner(db::Database& db, std::string_view uid);

}  // namespace muster::store
