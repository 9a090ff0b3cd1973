#include "muster/store/upload_facts_store.hpp"

#include "muster/store/check_in_store.hpp"

#include "sql_json.hpp"

#include <boost/json.hpp>

namespace muster::store {
namespace {

bool any_row(db::Statement& s) {
    return s.query_one([](const db::Statement&) { return true; }).has_value();
}

// A list travels as one JSON array parameter (sql_json.hpp): one statement, prepared once,
// whatever the list's length. Boost.JSON escapes what a device sent as a uuid.
template <class T>
std::string json_array(const std::vector<T>& values) {
    boost::json::array a;
    a.reserve(values.size());
    for (const auto& v : values) a.emplace_back(v);
    return boost::json::serialize(a);
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

std::set<ParticipantId> existing_participants(db::Database& db, const std::vector<ParticipantId>& participants) {
    std::set<ParticipantId> out;
    if (participants.empty()) return out;
    auto& s = db.cached("SELECT id FROM participants WHERE id IN " + sql_json::ids_in(db, 1));
    s.bind(1, json_array(participants)).for_each_row([&](const db::Statement& r) { out.insert(r.int64(0)); });
    return out;
}

std::set<std::pair<ParticipantId, std::int64_t>> issued_badges(db::Database& db,
                                                               const std::vector<ParticipantId>& participants) {
    std::set<std::pair<ParticipantId, std::int64_t>> out;
    if (participants.empty()) return out;
    auto& s = db.cached("SELECT participant_id, serial FROM badges WHERE participant_id IN " + sql_json::ids_in(db, 1));
    s.bind(1, json_array(participants)).for_each_row([&](const db::Statement& r) {
        out.emplace(r.int64(0), r.int64(1));
    });
    return out;
}

std::set<ParticipantId> nfc_card_holders(db::Database& db, const std::vector<ParticipantId>& participants) {
    std::set<ParticipantId> out;
    if (participants.empty()) return out;
    auto& s = db.cached("SELECT DISTINCT participant_id FROM nfc_cards WHERE participant_id IN " +
                        sql_json::ids_in(db, 1));
    s.bind(1, json_array(participants)).for_each_row([&](const db::Statement& r) { out.insert(r.int64(0)); });
    return out;
}

std::map<std::string, CheckIn> stored_check_ins(db::Database& db, const std::vector<std::string>& uuids) {
    std::map<std::string, CheckIn> out;
    if (uuids.empty()) return out;
    auto& s = db.cached("SELECT " + std::string(check_in_columns) + " FROM check_ins WHERE uuid IN " +
                        sql_json::texts_in(db, 1));
    s.bind(1, json_array(uuids)).for_each_row([&](const db::Statement& r) {
        auto c = read_check_in(r);
        auto uuid = c.uuid;
        out.emplace(std::move(uuid), std::move(c));
    });
    return out;
}

std::set<std::int64_t> used_device_seqs(db::Database& db, const std::string& device_id,
                                        const std::vector<std::int64_t>& seqs) {
    std::set<std::int64_t> out;
    if (seqs.empty()) return out;
    auto& s = db.cached("SELECT device_seq FROM check_ins WHERE device_id = ?1 AND device_seq IN " +
                        sql_json::ids_in(db, 2));
    s.bind(1, device_id).bind(2, json_array(seqs)).for_each_row([&](const db::Statement& r) {
        out.insert(r.int64(0));
    });
    return out;
}

}  // namespace muster::store
