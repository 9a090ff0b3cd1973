#include "muster/store/badge_store.hpp"

#include "muster/util/text.hpp"

#include <algorithm>

namespace muster::store {
namespace {

BadgeRecord read_badge(const db::Statement& s) {
    return {s.int64(0), s.int64(1), s.int64(2), s.opt_int64(3), s.opt_text(4)};
}

}  // namespace

BadgeRecord issue_badge(db::Database& db, ParticipantId participant, TimeMs now, std::int64_t change) {
    auto& next = db.cached("SELECT COALESCE(MAX(serial), 0) + 1 FROM badges WHERE participant_id = ?1");
    next.bind(1, participant);
    std::int64_t serial = next.query_one([](const db::Statement& r) { return r.int64(0); }).value();
    if (serial > 0xffff) throw db::Error(0, "participant has had too many badges");
    auto& ins = db.cached("INSERT INTO badges (participant_id, serial, issued_ms, changed_at) VALUES (?1, ?2, ?3, ?4)");
    ins.bind_all(participant, serial, now, change);
    ins.run();
    return {participant, serial, now, std::nullopt, std::nullopt};
}

bool revoke_badge(db::Database& db, ParticipantId participant, std::int64_t serial, const std::string& reason,
                  TimeMs now, std::int64_t change) {
    auto& s = db.cached("UPDATE badges SET revoked_ms = ?3, revoke_reason = ?4, changed_at = ?5 "
                        "WHERE participant_id = ?1 AND serial = ?2 AND revoked_ms IS NULL");
    s.bind_all(participant, serial, now, reason, change);
    s.run();
    return db.changes() > 0;
}

std::string issue_signed_badge(db::Database& db, const badge::HubKeyPair& keys, ParticipantId participant, TimeMs now,
                               std::int64_t change) {
    auto record = issue_badge(db, participant, now, change);
    std::string token = badge::sign_badge(keys, {participant, static_cast<std::uint16_t>(record.serial)});
    record_token_digest(db, participant, record.serial, badge::token_digest(token));
    return token;
}

void record_token_digest(db::Database& db, ParticipantId participant, std::int64_t serial, const badge::TokenDigest& digest) {
    auto& s = db.cached("UPDATE badges SET token_digest = ?3 WHERE participant_id = ?1 AND serial = ?2 AND token_digest IS NULL");
    s.bind(1, participant).bind(2, serial).bind_blob(3, digest.data(), digest.size());
    s.run();
}

badge::TokenDigestSet issued_token_digests(db::Database& db) {
    auto& s = db.cached("SELECT token_digest FROM badges WHERE revoked_ms IS NULL AND length(token_digest) = 32");
    badge::TokenDigestSet out;
    s.for_each_row([&](const db::Statement& r) {
        std::string blob = r.blob(0);
        badge::TokenDigest d{};
        std::copy(blob.begin(), blob.end(), d.begin());
        out.insert(d);
    });
    return out;
}

bool is_badge_revoked(db::Database& db, ParticipantId participant, std::int64_t serial) {
    auto& s = db.cached("SELECT 1 FROM badges WHERE participant_id = ?1 AND serial = ?2 AND revoked_ms IS NOT NULL");
    s.bind(1, participant).bind(2, serial);
    return s.query_one([](const db::Statement&) { return true; }).has_value();
}

std::optional<BadgeRecord> current_badge(db::Database& db, ParticipantId participant) {
    auto& s = db.cached("SELECT participant_id, serial, issued_ms, revoked_ms, revoke_reason FROM badges "
                        "WHERE participant_id = ?1 AND revoked_ms IS NULL ORDER BY serial DESC LIMIT 1");
    s.bind(1, participant);
    return s.query_one(read_badge);
}

std::vector<BadgeRecord> badges_of(db::Database& db, ParticipantId participant) {
    auto& s = db.cached("SELECT participant_id, serial, issued_ms, revoked_ms, revoke_reason FROM badges "
                        "WHERE participant_id = ?1 ORDER BY serial");
    s.bind(1, participant);
    return s.query_all(read_badge);
}

std::string normalise_uid(std::string_view uid) {
    std::string out;
    for (char c : uid) {
        if (c == ':' || c == ' ' || c == '-') continue;
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!hex) return {};
        out.push_back(c);
    }
    if (out.size() % 2 != 0 || out.size() < 8 || out.size() > 20) return {};
    return text::to_upper_ascii(out);
}

void attach_card(db::Database& db, std::string_view uid, ParticipantId participant, TimeMs now, std::int64_t change) {
    std::string norm = normalise_uid(uid);
    if (norm.empty()) throw db::Error(0, "'" + std::string(uid) + "' is not an NFC card UID");
    auto& s = db.cached("INSERT INTO nfc_cards (uid, participant_id, attached_ms, changed_at) VALUES (?1, ?2, ?3, ?4) "
                        "ON CONFLICT (uid) DO UPDATE SET participant_id = excluded.participant_id, "
                        "attached_ms = excluded.attached_ms, detached_ms = NULL, changed_at = excluded.changed_at");
    s.bind_all(norm, participant, now, change);
    s.run();
}

bool detach_card(db::Database& db, std::string_view uid, TimeMs now, std::int64_t change) {
    auto& s = db.cached("UPDATE nfc_cards SET detached_ms = ?2, changed_at = ?3 WHERE uid = ?1 AND detached_ms IS NULL");
    s.bind_all(normalise_uid(uid), now, change);
    s.run();
    return db.changes() > 0;
}

std::optional<ParticipantId> card_owner(db::Database& db, std::string_view uid) {
    auto& s = db.cached("SELECT participant_id FROM nfc_cards WHERE uid = ?1 AND detached_ms IS NULL");
    s.bind(1, normalise_uid(uid));
    return s.query_one([](const db::Statement& r) { return r.int64(0); });
}

}  // namespace muster::store
