#include "record_intake.hpp"

#include "upload_rules.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/hub_sync_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/satisfaction_store.hpp"
#include "muster/store/upload_facts_store.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <vector>

namespace muster::server {
namespace {

// The rules' look-ups for one upload, read in bulk before judging (a few statements per
// upload, not a few per record: each is a round trip to a PostgreSQL server, made while the
// upload holds the write lock). A check-in accepted earlier in the same upload is found like
// one stored before. Anything not read ahead is asked of the database one at a time.
class UploadFactsAhead final : public UploadFacts {
public:
    UploadFactsAhead(db::Database& db, const sync::UploadBatch& batch) : db_(db) {
        std::vector<ParticipantId> people, with_serial, by_card;
        std::vector<std::string> uuids;
        for (const auto& c : batch.check_ins) {
            uuids.push_back(c.uuid);
            if (!c.participant_id || *c.participant_id <= 0) continue;
            people.push_back(*c.participant_id);
            if (c.badge_serial) with_serial.push_back(*c.participant_id);
            else if (c.method == Method::nfc) by_card.push_back(*c.participant_id);
        }
        for (const auto& c : batch.corrections)
            if (c.target_uuid) uuids.push_back(*c.target_uuid);
        dedupe(people);
        dedupe(with_serial);
        dedupe(by_card);
        dedupe(uuids);
        known_people_.insert(people.begin(), people.end());
        existing_ = store::existing_participants(db, people);
        badges_for_.insert(with_serial.begin(), with_serial.end());
        badges_ = store::issued_badges(db, with_serial);
        cards_for_.insert(by_card.begin(), by_card.end());
        card_holders_ = store::nfc_card_holders(db, by_card);
        known_uuids_.insert(uuids.begin(), uuids.end());
        stored_ = store::stored_check_ins(db, uuids);
    }

    bool participant_exists(ParticipantId p) override {
        if (known_people_.count(p)) return existing_.count(p) > 0;
        return store::participant_exists(db_, p);
    }
    bool badge_issued(ParticipantId p, std::int64_t serial) override {
        if (badges_for_.count(p)) return badges_.count({p, serial}) > 0;
        return store::badge_issued(db_, p, serial);
    }
    bool held_nfc_card(ParticipantId p) override {
        if (cards_for_.count(p)) return card_holders_.count(p) > 0;
        return store::held_nfc_card(db_, p);
    }
    std::optional<CheckIn> stored_check_in(const std::string& uuid) override {
        if (auto it = accepted_.find(uuid); it != accepted_.end()) return *it->second;
        if (auto it = stored_.find(uuid); it != stored_.end()) return it->second;
        if (known_uuids_.count(uuid)) return std::nullopt;
        return store::find_check_in(db_, uuid);
    }

    // A check-in of this upload the hub will store (written in bulk after judging).
    void accept(const CheckIn& c) { accepted_.emplace(c.uuid, &c); }
    // One the write then refused after all (a key the look-ups ahead did not show).
    void unaccept(const CheckIn& c) { accepted_.erase(c.uuid); }

private:
    template <class T>
    static void dedupe(std::vector<T>& v) {
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
    }

    db::Database& db_;
    std::set<ParticipantId> known_people_, existing_, badges_for_, cards_for_, card_holders_;
    std::set<std::pair<ParticipantId, std::int64_t>> badges_;
    std::set<std::string> known_uuids_;
    std::map<std::string, CheckIn> stored_;
    std::map<std::string, const CheckIn*> accepted_;
};

// Why the hub refuses an answer to the satisfaction question (docs/satisfaction.md), from
// what the store said and the sender's event: only the sender's own event's answers, and
// its sessions, are taken. Nothing of the device is stored with an answer.
std::optional<sync::Rejection> answer_refusal(store::AnswerIntake result, const EventScope& event,
                                              const sync::SatisfactionAnswer& a) {
    using sync::RejectionCode;
    switch (result) {
    case store::AnswerIntake::stored:
    case store::AnswerIntake::already: return std::nullopt;
    case store::AnswerIntake::conflict:
        return sync::Rejection{a.uuid, "this uuid is already stored with other content", RejectionCode::conflict};
    case store::AnswerIntake::invalid: break;
    }
    if (a.session_id && !event.sessions.count(*a.session_id))
        return sync::Rejection{a.uuid, "session " + std::to_string(*a.session_id) + " is not one of the event's",
                               RejectionCode::unknown_session};
    if (a.uuid.empty()) return sync::Rejection{a.uuid, "uuid: empty", RejectionCode::bad_field};
    return sync::Rejection{a.uuid, "answered_hour_ms: expected a whole hour in milliseconds", RejectionCode::bad_field};
}

sync::Rejection sequence_taken(const CheckIn& c) {
    // The device's database was replaced or copied: staff must look at the second record.
    return {c.uuid, "device sequence " + std::to_string(c.device_seq) + " is already used by another record from this device",
            sync::RejectionCode::sequence_taken};
}

}  // namespace

IntakeResult take_records(db::Database& hub, const DeviceRecord& device, const sync::UploadBatch& batch,
                          const IntakeClock& clock) {
    IntakeResult out;
    auto& reply = out.reply;
    reply.server_time_ms = clock.received_ms;
    reply.clock_skew_ms = clock.device_time_ms - clock.received_ms;
    reply.clock_flagged = std::llabs(reply.clock_skew_ms) > sync::clock_skew_flag_ms;
    std::optional<std::int64_t> skew;
    if (reply.clock_flagged) skew = reply.clock_skew_ms;
    UploadClock upload_clock{clock.device_time_ms, reply.clock_skew_ms};

    // The event's sessions, rooms and days, read once per batch rather than per record.
    EventScope event;
    if (auto e = store::load_event(hub, device.event_id)) event = scope_of(*e);
    UploadFactsAhead facts(hub, batch);
    store::UploadWriter write(hub, clock.received_ms, skew, store::next_change(hub));
    // Every record's answer in the order judged; the reply lists them in that order once the
    // check-ins, written in bulk, are known to be stored.
    struct Answer {
        std::string uuid;
        std::optional<sync::Rejection> refusal;
    };
    std::vector<Answer> answers;
    auto decide = [&answers](const std::string& uuid, std::optional<sync::Rejection> refusal) {
        answers.push_back(Answer{uuid, std::move(refusal)});
    };
    auto stored = [&](const std::string& uuid) {
        ++out.stored_now;
        decide(uuid, std::nullopt);
    };

    // The device's sequence numbers already used (a record is accepted only from its own
    // device: judge_origin), read once; those taken by this upload are added as it goes.
    std::set<std::int64_t> used_seqs;
    {
        std::vector<std::int64_t> seqs;
        for (const auto& c : batch.check_ins)
            if (c.device_id == device.id) seqs.push_back(c.device_seq);
        used_seqs = store::used_device_seqs(hub, device.id, seqs);
    }
    std::vector<const CheckIn*> to_write;
    std::vector<std::size_t> to_write_answer;  // each one's place in `answers`
    for (const auto& c : batch.check_ins) {
        // A uuid already stored is a retry (acked again) or a conflict, judged before the
        // rules so that a retry is answered as the first try was.
        if (auto before = facts.stored_check_in(c.uuid)) {
            decide(c.uuid, judge_resent(c, *before, device));
            continue;
        }
        if (auto refusal = judge_check_in(c, device, event, upload_clock, facts)) {
            decide(c.uuid, std::move(refusal));
            continue;
        }
        if (!used_seqs.insert(c.device_seq).second) {
            decide(c.uuid, sequence_taken(c));
            continue;
        }
        facts.accept(c);
        to_write.push_back(&c);
        to_write_answer.push_back(answers.size());
        stored(c.uuid);
    }
    // Known free of both keys above, in this transaction: a refusal here would be a key the
    // look-ups missed, answered as the one-at-a-time write answered it.
    auto written = write.check_ins(to_write);
    for (std::size_t i = 0; i < written.size(); ++i) {
        if (written[i] == store::UploadWriter::Result::stored) continue;
        const CheckIn& c = *to_write[i];
        facts.unaccept(c);
        --out.stored_now;
        answers[to_write_answer[i]].refusal =
            written[i] == store::UploadWriter::Result::sequence_taken
                ? sequence_taken(c)
                : sync::Rejection{c.uuid, "this uuid is already stored", sync::RejectionCode::conflict};
    }
    for (const auto& c : batch.corrections) {
        if (auto before = store::find_correction(hub, c.uuid)) {
            decide(c.uuid, judge_resent(c, *before, device));
            continue;
        }
        if (auto refusal = judge_correction(c, device, event, upload_clock, facts)) {
            decide(c.uuid, std::move(refusal));
            continue;
        }
        if (write.correction(c, device.id) == store::UploadWriter::Result::stored) stored(c.uuid);
        else decide(c.uuid, sync::Rejection{c.uuid, "this uuid is already stored", sync::RejectionCode::conflict});
    }
    for (const auto& a : batch.satisfaction) {
        if (!event.exists || a.event_id != device.event_id) {
            decide(a.uuid, sync::Rejection{a.uuid, "not an answer for this device's event", sync::RejectionCode::wrong_event});
            continue;
        }
        auto result = store::store_satisfaction_answer(hub, a);
        if (result == store::AnswerIntake::stored) stored(a.uuid);
        else decide(a.uuid, answer_refusal(result, event, a));
    }
    for (auto& a : answers) {
        if (a.refusal) reply.rejected.push_back(std::move(*a.refusal));
        else reply.acked.push_back(std::move(a.uuid));
    }
    return out;
}

}  // namespace muster::server
