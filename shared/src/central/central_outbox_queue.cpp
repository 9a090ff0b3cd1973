// Queuing record versions (central_outbox.hpp): version 1 of every expected participant's
// record at sign-off, the next version after an amendment that changes it. Both run inside
// the caller's write transaction, so a sign-off or an amendment and its outbox entries are
// written together or not at all.
#include "central_outbox_internal.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>
#include <unordered_set>

namespace muster::store {
namespace outbox {
namespace {

// A random (version 4) UUID: the record's identity at the central side, the same in every
// version. Random rather than time-ordered (new_uuid): it is sent out, and says nothing.
std::string random_uuid() {
    std::array<unsigned char, 16> b{};
    if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) throw std::runtime_error("no randomness for a record id");
    b[6] = static_cast<unsigned char>(0x40 | (b[6] & 0x0f));  // version 4
    b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3f));  // RFC 4122 variant
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += digits[b[i] >> 4];
        out += digits[b[i] & 0x0f];
    }
    return out;
}

std::int64_t insert_record(db::Database& db, const central::CentralRecord& r) {
    auto& s = db.cached("INSERT INTO central_records (record_id, version, event_id, participant_id, created_ms, cause, "
                        "payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
    s.bind_all(r.record_id, r.version, r.event_id, r.participant_id, r.created_ms, r.cause, central::to_json(r));
    return *s.query_one([](const db::Statement& row) { return row.int64(0); });
}

void insert_delivery(db::Database& db, const std::string& target, std::int64_t record_row, bool correction, TimeMs now) {
    auto& s = db.cached("INSERT INTO central_deliveries (target, record_row, state, attempts, next_attempt_ms, "
                        "correction, queued_ms, updated_ms) VALUES (?1, ?2, 'pending', 0, ?3, ?4, ?3, ?3)");
    s.bind_all(target, record_row, now, correction ? 1 : 0).run();
}

// The event's outbox begins with its sign-off: an event signed off while nothing was
// configured (or before the outbox existed) has no records, and an amendment does not start
// one for a single person. Someone without a record on an event that has them (enrolled
// after the sign-off) gets version 1.
bool has_records(db::Database& db, EventId event) {
    auto& any = db.cached("SELECT 1 FROM central_records WHERE event_id = ?1 LIMIT 1");
    return any.bind(1, event).query_one([](const db::Statement&) { return true; }).value_or(false);
}

// Writes `record` as the person's next version when it states something the newest does not,
// and queues it for every target: older undelivered entries give way, an older one
// delivered or being sent makes it a correction there. True when a version was written.
bool write_next_version(db::Database& db, central::CentralRecord record, std::string_view cause,
                        const std::vector<std::string>& targets, TimeMs now) {
    struct Newest {
        std::string record_id;
        int version = 0;
        std::string payload;
    };
    auto& newest_sql = db.cached("SELECT record_id, version, payload FROM central_records WHERE event_id = ?1 AND "
                                 "participant_id = ?2 ORDER BY version DESC LIMIT 1");
    auto newest = newest_sql.bind_all(record.event_id, record.participant_id).query_one([](const db::Statement& r) {
        return Newest{r.text(0), r.int32(1), r.text(2)};
    });
    if (newest) {
        bool same = false;
        try {
            same = central::same_content(central::parse_central_record(newest->payload), record);
        } catch (const std::runtime_error&) {
            same = false;  // a stored payload that does not read: the new version replaces it
        }
        if (same) return false;
    }
    record.record_id = newest ? newest->record_id : random_uuid();
    record.version = newest ? newest->version + 1 : 1;
    record.created_ms = now;
    record.cause = std::string(cause);
    const auto record_row = insert_record(db, record);

    auto& followed = db.cached(
        "SELECT 1 FROM central_deliveries d JOIN central_records r ON r.id = d.record_row WHERE r.record_id = ?1 AND "
        "r.version < ?2 AND d.target = ?3 AND d.state IN ('delivered', 'sending') LIMIT 1");
    // Never a `sending` entry: it may be at the target already; the new one follows it.
    // Found from the record's versions (a few rows), not from the target's pending backlog.
    auto& supersede = db.cached(
        "UPDATE central_deliveries SET state = 'superseded', updated_ms = ?4 WHERE id IN (SELECT d.id FROM "
        "central_records r JOIN central_deliveries d ON d.record_row = r.id WHERE r.record_id = ?1 AND r.version < ?2 "
        "AND d.target = ?3 AND d.state IN ('pending', 'rejected'))");
    for (const auto& t : targets) {
        const bool correction = newest && followed.bind_all(record.record_id, record.version, t)
                                              .query_one([](const db::Statement&) { return true; })
                                              .value_or(false);
        if (newest) supersede.bind_all(record.record_id, record.version, t, now).run();
        insert_delivery(db, t, record_row, correction, now);
    }
    return true;
}

// Above this many people at once, an amendment reads the whole event once rather than each
// person's facts on their own (a bulk marking of a selection).
constexpr std::size_t whole_event_from = 8;

}  // namespace

int queue_sign_off(db::Database& db, const EventReconciliation& view,
                   const std::unordered_map<ParticipantId, Participant>& people, TimeMs signed_off_ms, TimeMs now) {
    const auto targets = active_target_names(db);
    if (targets.empty()) return 0;  // a hub that delivers nowhere keeps no outbox
    std::unordered_set<ParticipantId> recorded;
    db.cached("SELECT DISTINCT participant_id FROM central_records WHERE event_id = ?1")
        .bind(1, view.event.id)
        .for_each_row([&](const db::Statement& r) { recorded.insert(r.int64(0)); });
    int written = 0;
    std::int64_t first_row = 0, last_row = 0;
    for (const auto& row : view.rows) {
        auto person = people.find(row.participant_id);
        if (person == people.end() || recorded.count(row.participant_id)) continue;
        central::CentralRecord r = record_of(db, view, row, person->second, signed_off_ms);
        r.record_id = random_uuid();
        r.version = 1;
        r.created_ms = now;
        r.cause = "sign_off";
        last_row = insert_record(db, r);
        if (!first_row) first_row = last_row;
        ++written;
    }
    if (written == 0) return 0;
    // One statement per target over the rows just written (ids first_row..last_row, all this
    // pass's: the transaction is the caller's and immediate): a third of the time of a row
    // at a time, and each target's index entries written together.
    auto& entries = db.cached(
        "INSERT INTO central_deliveries (target, record_row, state, attempts, next_attempt_ms, correction, queued_ms, "
        "updated_ms) SELECT ?1, id, 'pending', 0, ?2, 0, ?2, ?2 FROM central_records WHERE id BETWEEN ?3 AND ?4 "
        "ORDER BY id");
    for (const auto& t : targets) entries.bind_all(t, now, first_row, last_row).run();
    return written;
}

int queue_amended(db::Database& db, EventId event, const std::vector<std::pair<ParticipantId, std::string>>& who,
                  TimeMs now) {
    if (who.empty()) return 0;
    const auto targets = active_target_names(db);
    if (targets.empty() || !has_records(db, event)) return 0;
    std::unordered_map<ParticipantId, Participant> people;
    std::optional<EventReconciliation> view;
    TimeMs signed_off_ms = 0;
    // The event's facts (or one person's) read in the caller's transaction.
    auto read = [&](std::optional<ParticipantId> one) {
        auto facts = recon::load_event_facts(db, event, one);
        if (!facts || !facts->signed_off) return false;
        people = expected_people(*facts);
        signed_off_ms = facts->signed_off->at_ms;
        view = recon::build_reconciliation(std::move(*facts), now, Histories::full);
        return true;
    };
    int written = 0;
    auto queue = [&](auto begin, auto end) {
        std::unordered_map<ParticipantId, const ReconcileRow*> rows;
        for (const auto& r : view->rows) rows.emplace(r.participant_id, &r);
        for (auto it = begin; it != end; ++it) {
            auto row = rows.find(it->first);
            auto person = people.find(it->first);
            if (row == rows.end() || person == people.end()) continue;  // not expected here: no record of theirs
            if (write_next_version(db, record_of(db, *view, *row->second, person->second, signed_off_ms), it->second,
                                   targets, now))
                ++written;
        }
    };
    if (who.size() >= whole_event_from) {  // many people: the event's facts, read once
        if (!read(std::nullopt)) return 0;
        queue(who.begin(), who.end());
        return written;
    }
    for (auto it = who.begin(); it != who.end(); ++it) {  // a few: each one's own facts
        if (!read(it->first)) return written;
        queue(it, it + 1);
    }
    return written;
}

}  // namespace outbox

int queue_sign_off_records(db::Database& db, EventId event, TimeMs now) {
    auto facts = recon::load_event_facts(db, event);
    if (!facts || !facts->signed_off) return 0;
    auto people = outbox::expected_people(*facts);
    const TimeMs signed_off_ms = facts->signed_off->at_ms;
    auto view = recon::build_reconciliation(std::move(*facts), now, Histories::full);
    return outbox::queue_sign_off(db, view, people, signed_off_ms, now);
}

bool queue_amended_record(db::Database& db, EventId event, ParticipantId participant, std::string_view cause,
                          TimeMs now) {
    return outbox::queue_amended(db, event, {{participant, std::string(cause)}}, now) > 0;
}

}  // namespace muster::store
