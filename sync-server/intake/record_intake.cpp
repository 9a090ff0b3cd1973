#include "record_intake.hpp"

#include "upload_rules.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/hub_sync_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/satisfaction_store.hpp"
#include "muster/store/upload_facts_store.hpp"

#include <cstdlib>

namespace muster::server {
namespace {

// The rules' look-ups inside the caller's transaction: a check-in stored earlier in the
// same batch is found like one stored before.
class SqliteUploadFacts final : public UploadFacts {
public:
    explicit SqliteUploadFacts(db::Database& db) : db_(db) {}
    bool participant_exists(ParticipantId p) override { return store::participant_exists(db_, p); }
    bool badge_issued(ParticipantId p, std::int64_t serial) override { return store::badge_issued(db_, p, serial); }
    bool held_nfc_card(ParticipantId p) override { return store::held_nfc_card(db_, p); }
    std::optional<CheckIn> stored_check_in(const std::string& uuid) override { return store::find_check_in(db_, uuid); }

private:
    db::Database& db_;
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
    SqliteUploadFacts facts(hub);
    store::UploadWriter write(hub, clock.received_ms, skew, store::next_change(hub));
    auto decide = [&reply](const std::string& uuid, std::optional<sync::Rejection> refusal) {
        if (refusal) reply.rejected.push_back(std::move(*refusal));
        else reply.acked.push_back(uuid);
    };
    auto stored = [&](const std::string& uuid) {
        ++out.stored_now;
        decide(uuid, std::nullopt);
    };
    for (const auto& c : batch.check_ins) {
        // A uuid already stored is a retry (acked again) or a conflict, judged before the
        // rules so that a retry is answered as the first try was.
        if (auto before = store::find_check_in(hub, c.uuid)) {
            decide(c.uuid, judge_resent(c, *before, device));
            continue;
        }
        if (auto refusal = judge_check_in(c, device, event, upload_clock, facts)) {
            decide(c.uuid, std::move(refusal));
            continue;
        }
        switch (write.check_in(c)) {
        case store::UploadWriter::Result::stored: stored(c.uuid); break;
        case store::UploadWriter::Result::sequence_taken: decide(c.uuid, sequence_taken(c)); break;
        case store::UploadWriter::Result::uuid_taken:  // looked up above, in this transaction: cannot happen
            decide(c.uuid, sync::Rejection{c.uuid, "this uuid is already stored", sync::RejectionCode::conflict});
            break;
        }
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
    return out;
}

}  // namespace muster::server
