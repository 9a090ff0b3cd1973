#pragma once
// A reconciliation hub (reconciliation_fixture.hpp) with central targets, its usual day
// settled and ready to sign off, for the outbox tests.
#include "reconciliation_fixture.hpp"

#include "muster/central/central_record.hpp"
#include "muster/store/central_outbox.hpp"

#include <catch2/catch.hpp>

namespace muster::test {

struct CentralHub : ReconHub {
    store::CorrectionAuthor admin{2, "Bea Admin"};
    TimeMs signed_at = next_day + 1000;

    // Targets "crm" (https) and "files" (csv) active; "old" registered once, then dropped.
    void targets() {
        std::vector<store::CentralTarget> once{{"old", store::TargetKind::csv}};
        store::register_central_targets(db, once, day);
        std::vector<store::CentralTarget> now{{"crm", store::TargetKind::https}, {"files", store::TargetKind::csv}};
        store::register_central_targets(db, now, day);
    }
    // Zoë confirmed present, Rhys excused: every row settled.
    void settle() {
        REQUIRE(record(correction(store::StaffAction::present, zoe, "stayed, forgot to scan out"), next_day).outcome ==
                store::CorrectionOutcome::stored);
        REQUIRE(record(correction(store::StaffAction::excused, rhys, "illness"), next_day + 1).outcome ==
                store::CorrectionOutcome::stored);
    }
    void sign_off() {
        REQUIRE(store::sign_off_event(db, event, admin, "", signed_at).outcome == store::SignOffOutcome::signed_off);
    }
    // targets, usual day, settled, signed off.
    void ready() {
        targets();
        usual_day();
        settle();
        sign_off();
    }
    // An amendment by Ann after the sign-off.
    store::CorrectionResult amend(store::StaffCorrection c, TimeMs at, std::string why = "found the register") {
        c.amendment_reason = std::move(why);
        return record(c, at);
    }

    struct Version {
        std::string record_id;
        int version = 0;
        central::CentralRecord record;
    };
    // The newest version of a person's record at the event.
    Version newest(ParticipantId who, std::optional<EventId> ev = std::nullopt) {
        auto s = db.prepare("SELECT record_id, version, payload FROM central_records WHERE event_id = ?1 AND "
                            "participant_id = ?2 ORDER BY version DESC LIMIT 1");
        s.bind_all(ev.value_or(event), who);
        REQUIRE(s.step());
        return Version{s.text(0), s.int32(1), central::parse_central_record(s.text(2))};
    }
    // "state/correction" of a person's version at a target ("" when there is no entry).
    std::string entry(ParticipantId who, int version, const std::string& target) {
        auto s = db.prepare("SELECT d.state, d.correction FROM central_deliveries d JOIN central_records r ON "
                            "r.id = d.record_row WHERE r.event_id = ?1 AND r.participant_id = ?2 AND r.version = ?3 AND "
                            "d.target = ?4");
        s.bind_all(event, who, version, target);
        if (!s.step()) return "";
        return s.text(0) + (s.int64(1) ? "/correction" : "");
    }
    // The delivery id of a person's version at a target.
    std::int64_t delivery(ParticipantId who, int version, const std::string& target) {
        auto s = db.prepare("SELECT d.id FROM central_deliveries d JOIN central_records r ON r.id = d.record_row WHERE "
                            "r.event_id = ?1 AND r.participant_id = ?2 AND r.version = ?3 AND d.target = ?4");
        s.bind_all(event, who, version, target);
        REQUIRE(s.step());
        return s.int64(0);
    }
    // Claims everything due at `target` and records it delivered.
    std::size_t deliver_all(const std::string& target, TimeMs at) {
        auto items = store::claim_due_deliveries(db, target, 1000, at);
        std::vector<store::DeliveryResult> results;
        for (const auto& i : items) results.push_back({i.delivery_id, store::DeliveryResult::Kind::delivered, 201, "", "r-" + i.record_id, 0});
        store::record_delivery_results(db, results, at);
        return items.size();
    }
};

}  // namespace muster::test
