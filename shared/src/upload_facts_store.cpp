#include "muster/store/upload_facts_store.hpp"

namespace muster::store {
namespace {

bool any_row(db::Statement& s) {
    return s.query_one([](const db::Statement&) { return true; }).has_value();
}

}  // namespace

bool participant_exists(db::Database& db, ParticipantId participant) {
    auto& s = db.cached("SELECT 1 FROM participants WHERE id = ?1");
    s.bind(1, participant);
    return any_row(s);
}

bool badge_issued(db::Database& db, ParticipantId participant, std::int64_t serial) {
    auto& s = db.cached("SELECT 1 FROM badges WHERE participant_id = ?1 AND serial = ?2");
    s.bind(1, participant).bind(2, serial);
    return any_row(s);
}

bool held_nfc_card(db::Database& db, ParticipantId participant) {
    // nfc_cards_participant (a hub index, schema.cpp use_hub_indexes) serves this.
    auto& s = db.cached("SELECT 1 FROM nfc_cards WHERE participant_id = ?1 LIMIT 1");
    s.bind(1, participant);
    return any_row(s);
}

}  // namespace muster::store
