// Queuing the central records (central_outbox.hpp): version 1 at sign-off for every expected
// participant and active target, the next version after an amendment that changes a record,
// superseding an undelivered one or following a delivered one as a correction.
#include "central_fixture.hpp"

#include "muster/store/event_store.hpp"
#include "muster/util/uuid.hpp"

#include <set>

using namespace muster;
using store::CorrectionOutcome;
using store::StaffAction;
using test::uk;

TEST_CASE("Sign-off queues one record per expected participant for every active target", "[central][outbox][engines]") {
    test::CentralHub h;
    h.ready();
    // Siân, Zoë, Rhys and the two facilitators are expected; Aisha (scanned, not expected) is not.
    CHECK(h.count("SELECT count(*) FROM central_records") == 5);
    CHECK(h.count("SELECT count(*) FROM central_records WHERE participant_id = " + std::to_string(h.aisha)) == 0);
    CHECK(h.count("SELECT count(*) FROM central_records WHERE version = 1 AND cause = 'sign_off' AND created_ms = " +
                  std::to_string(h.signed_at)) == 5);
    CHECK(h.count("SELECT count(DISTINCT record_id) FROM central_records") == 5);
    CHECK(h.count("SELECT count(*) FROM central_deliveries") == 10);
    CHECK(h.count("SELECT count(*) FROM central_deliveries WHERE target = 'old'") == 0);  // inactive
    CHECK(h.count("SELECT count(*) FROM central_deliveries WHERE state = 'pending' AND attempts = 0 AND correction = 0 "
                  "AND next_attempt_ms = " + std::to_string(h.signed_at)) == 10);
    auto sian = h.newest(h.sian);
    CHECK(is_uuid(sian.record_id));
    CHECK(sian.record_id[14] == '4');  // random (version 4)
    CHECK(sian.record.record_id == sian.record_id);
    CHECK(sian.record.signed_off_ms == h.signed_at);
    CHECK(sian.record.trn == "1234567");
    CHECK(sian.record.school_urn == "123456");
    CHECK(sian.record.course == "conference-1");

    // Signing off again (or queuing again) queues nothing.
    CHECK(store::sign_off_event(h.db, h.event, h.admin, "", h.signed_at + 5).outcome == store::SignOffOutcome::already);
    CHECK(store::queue_sign_off_records(h.db, h.event, h.signed_at + 6) == 0);
    CHECK(h.count("SELECT count(*) FROM central_records") == 5);
    CHECK(h.count("SELECT count(*) FROM central_deliveries") == 10);
}

TEST_CASE("Sign-off with no active target queues nothing, nor do its amendments", "[central][outbox][engines]") {
    test::CentralHub h;
    h.usual_day();
    h.settle();
    h.sign_off();
    CHECK(h.count("SELECT count(*) FROM central_records") == 0);
    std::vector<store::CentralTarget> crm{{"crm", store::TargetKind::https}};
    store::register_central_targets(h.db, crm, h.signed_at + 1);
    // An event whose outbox did not start at its sign-off gets none for one person.
    REQUIRE(h.amend(h.correction(StaffAction::absent, h.rhys, "no show after all"), h.signed_at + 10).outcome ==
            CorrectionOutcome::stored);
    CHECK(h.count("SELECT count(*) FROM central_records") == 0);
    CHECK(h.count("SELECT count(*) FROM central_deliveries") == 0);
}

TEST_CASE("The records state each participant's attendance and its evidence", "[central][outbox][engines]") {
    test::CentralHub h;
    h.ready();
    auto sian = h.newest(h.sian).record;
    CHECK(sian.status == AttendanceStatus::present);
    CHECK(sian.evidence == central::EvidenceHeld::training_event_attended);
    CHECK(sian.check_in_uuids.size() == 2);
    REQUIRE(sian.parts.size() == 2);
    CHECK(sian.parts[0].name == h.morning.name);
    CHECK(sian.parts[0].starts_ms == h.morning.starts_ms);
    CHECK(sian.parts[0].attended);
    CHECK(sian.parts[0].in_ms == uk(2025, 10, 1, 9, 25));
    CHECK(sian.parts[1].in_ms == uk(2025, 10, 1, 13, 10));
    CHECK(sian.reason.empty());

    auto zoe = h.newest(h.zoe).record;  // 20 minutes late, confirmed present by staff
    CHECK(zoe.status == AttendanceStatus::present);
    CHECK(zoe.minutes_late == 20);
    CHECK(zoe.parts[0].minutes_late == 20);
    CHECK(zoe.reason == "stayed, forgot to scan out");

    auto rhys = h.newest(h.rhys).record;
    CHECK(rhys.status == AttendanceStatus::excused);
    CHECK(rhys.evidence == central::EvidenceHeld::none);
    CHECK(rhys.reason == "illness");
    CHECK(rhys.check_in_uuids.empty());
    CHECK_FALSE(rhys.parts[0].attended);

    // Caught up: the mark's date and evidence.
    auto caught = h.correction(StaffAction::caught_up, h.rhys, "watched the recording");
    caught.caught_up_on = "2025-10-09";
    caught.evidence = "recording log and reflection";
    REQUIRE(h.amend(caught, h.signed_at + 100).outcome == CorrectionOutcome::stored);
    auto v2 = h.newest(h.rhys);
    CHECK(v2.version == 2);
    CHECK(v2.record.status == AttendanceStatus::caught_up);
    CHECK(v2.record.evidence == central::EvidenceHeld::caught_up);
    CHECK(v2.record.caught_up_on == "2025-10-09");
    CHECK(v2.record.evidence_note == "recording log and reflection");
    CHECK(v2.record.reason == "watched the recording");
    CHECK(v2.record.cause == "found the register");

    // Alternate: the event attended instead, its date and the scans there.
    auto other_run = store::create_event(h.db, {"ect-y1", "conference-1", 2025, "2025-10-08", "York", 0, 10});
    h.db.prepare("DELETE FROM enrolments WHERE event_id = ?1 AND participant_id = ?2").bind_all(other_run, h.rhys).run();
    auto e = *store::load_event(h.db, other_run);
    auto there = h.scan(h.rhys, other_run, e.sessions[0].id, uk(2025, 10, 8, 9, 20), Direction::entry,
                        Outcome::not_expected);
    auto alt = h.correction(StaffAction::alternate, h.rhys, "came to the York run");
    alt.attended_event_id = other_run;
    REQUIRE(h.amend(alt, uk(2025, 10, 9, 9, 0)).outcome == CorrectionOutcome::stored);
    auto v3 = h.newest(h.rhys);
    CHECK(v3.version == 3);
    CHECK(v3.record.status == AttendanceStatus::alternate);
    CHECK(v3.record.evidence == central::EvidenceHeld::training_event_attended);
    CHECK(v3.record.alternate_event_id == other_run);
    CHECK(v3.record.alternate_event_date == "2025-10-08");
    CHECK(v3.record.evidence_note == e.title);
    CHECK(v3.record.check_in_uuids == std::vector<std::string>{there});
    CHECK_FALSE(v3.record.caught_up_on);
    // The event attended holds no record of Rhys (he was not expected there).
    CHECK(h.count("SELECT count(*) FROM central_records WHERE event_id = " + std::to_string(other_run)) == 0);
}

TEST_CASE("An amendment supersedes an undelivered version", "[central][outbox][engines]") {
    test::CentralHub h;
    h.ready();
    const auto v1 = h.newest(h.rhys);
    // Rejected at one target, still pending at the other: both give way to version 2.
    auto items = store::claim_due_deliveries(h.db, "files", 10, h.signed_at);
    std::vector<store::DeliveryResult> results;
    for (const auto& i : items)
        results.push_back({i.delivery_id, store::DeliveryResult::Kind::rejected, std::nullopt, "bad row", {}, 0});
    store::record_delivery_results(h.db, results, h.signed_at + 1);
    REQUIRE(h.entry(h.rhys, 1, "files") == "rejected");

    REQUIRE(h.amend(h.correction(StaffAction::absent, h.rhys, "not ill after all"), h.signed_at + 50).outcome ==
            CorrectionOutcome::stored);
    auto v2 = h.newest(h.rhys);
    CHECK(v2.version == 2);
    CHECK(v2.record_id == v1.record_id);
    CHECK(v2.record.status == AttendanceStatus::absent);
    CHECK(h.entry(h.rhys, 1, "crm") == "superseded");
    CHECK(h.entry(h.rhys, 1, "files") == "superseded");
    CHECK(h.entry(h.rhys, 2, "crm") == "pending");  // never sent before: not a correction
    CHECK(h.entry(h.rhys, 2, "files") == "pending");
    CHECK(h.entry(h.rhys, 2, "old") == "");
    // Nobody else's record changed.
    CHECK(h.count("SELECT count(*) FROM central_records") == 6);
    CHECK(h.entry(h.sian, 1, "crm") == "pending");
}

TEST_CASE("An amendment after delivery follows it as a correction", "[central][outbox][engines]") {
    test::CentralHub h;
    h.ready();
    CHECK(h.deliver_all("crm", h.signed_at + 10) == 5);
    REQUIRE(h.amend(h.correction(StaffAction::absent, h.rhys, "not ill after all"), h.signed_at + 50).outcome ==
            CorrectionOutcome::stored);
    CHECK(h.entry(h.rhys, 1, "crm") == "delivered");  // what was delivered stays so
    CHECK(h.entry(h.rhys, 2, "crm") == "pending/correction");
    CHECK(h.entry(h.rhys, 1, "files") == "superseded");
    CHECK(h.entry(h.rhys, 2, "files") == "pending");

    auto items = store::claim_due_deliveries(h.db, "crm", 10, h.signed_at + 60);
    REQUIRE(items.size() == 1);
    CHECK(items[0].version == 2);
    CHECK(items[0].correction);
    CHECK(items[0].idempotency_key == "crm:" + h.newest(h.rhys).record_id + ":2");
    CHECK(central::parse_central_record(items[0].payload).status == AttendanceStatus::absent);
}

TEST_CASE("An amendment that changes nothing queues nothing", "[central][outbox][engines]") {
    test::CentralHub h;
    h.ready();
    // The same status for the same reason: the record states the same.
    REQUIRE(h.amend(h.correction(StaffAction::excused, h.rhys, "illness"), h.signed_at + 50).outcome ==
            CorrectionOutcome::stored);
    CHECK(h.count("SELECT count(*) FROM central_records") == 5);
    CHECK(store::queue_amended_record(h.db, h.event, h.sian, "nothing new", h.signed_at + 60) == false);
    // An unexpected person has no record to amend.
    CHECK(store::queue_amended_record(h.db, h.event, h.aisha, "linked", h.signed_at + 60) == false);
    CHECK(h.count("SELECT count(*) FROM central_records") == 5);
    CHECK(h.count("SELECT count(*) FROM central_deliveries") == 10);
}

TEST_CASE("Bulk amendments queue one version per person", "[central][outbox][engines]") {
    test::CentralHub h;
    h.ready();
    std::vector<store::StaffCorrection> batch;
    for (auto a : {StaffAction::absent, StaffAction::excused, StaffAction::absent}) {
        batch.push_back(h.correction(a, h.rhys, "back and forth"));
        batch.back().amendment_reason = "register checked";
    }
    batch.push_back(h.correction(StaffAction::late, h.sian, "arrived after the keynote"));
    batch.back().amendment_reason = "register checked";
    auto results = store::record_staff_corrections(h.db, h.ann, batch, h.signed_at + 100);
    for (const auto& r : results) REQUIRE(r.outcome == CorrectionOutcome::stored);
    CHECK(h.newest(h.rhys).version == 2);
    CHECK(h.newest(h.rhys).record.status == AttendanceStatus::absent);
    CHECK(h.newest(h.sian).version == 2);
    CHECK(h.newest(h.sian).record.status == AttendanceStatus::late);
    CHECK(h.newest(h.sian).record.cause == "register checked");
    CHECK(h.newest(h.sian).record.evidence == central::EvidenceHeld::training_event_attended);
    CHECK(h.newest(h.rhys).record.evidence == central::EvidenceHeld::none);
    CHECK(h.count("SELECT count(*) FROM central_records") == 7);

    // A refused batch writes no version either.
    batch = {h.correction(StaffAction::present, h.rhys, "seen on camera")};
    batch.back().amendment_reason = "camera";
    batch.push_back(h.correction(StaffAction::present, 999999, "nobody"));
    batch.back().amendment_reason = "camera";
    auto refused = store::record_staff_corrections(h.db, h.ann, batch, h.signed_at + 200);
    CHECK(refused[0].outcome == CorrectionOutcome::batch_refused);
    CHECK(h.count("SELECT count(*) FROM central_records") == 7);
}

TEST_CASE("A bulk amendment of many people reads the event once and queues what changed", "[central][outbox][engines]") {
    test::CentralHub h;
    h.targets();
    h.usual_day();
    // Eight more expected (none came), excused before the sign-off.
    std::vector<ParticipantId> extra;
    for (int i = 0; i < 8; ++i) {
        h.db.prepare("INSERT INTO participants (first_name, last_name, role) VALUES ('Extra', ?1, 'ect')")
            .bind_all("Person" + std::to_string(i))
            .run();
        extra.push_back(h.db.last_insert_rowid());
        h.db.prepare("INSERT INTO enrolments (event_id, participant_id) VALUES (?1, ?2)").bind_all(h.event, extra.back()).run();
        REQUIRE(h.record(h.correction(StaffAction::excused, extra.back(), "training day at school"), h.next_day).outcome ==
                CorrectionOutcome::stored);
    }
    h.settle();
    h.sign_off();
    REQUIRE(h.count("SELECT count(*) FROM central_records") == 13);

    std::vector<store::StaffCorrection> batch;
    for (auto id : extra) batch.push_back(h.correction(StaffAction::absent, id, "school says not released"));
    batch.push_back(h.correction(StaffAction::excused, h.rhys, "illness"));  // the same again: no new version
    batch.push_back(h.correction(StaffAction::present, h.aisha, "came as a guest"));  // not expected: no record
    for (auto& c : batch) c.amendment_reason = "school replied";
    for (const auto& r : store::record_staff_corrections(h.db, h.ann, batch, h.signed_at + 100))
        REQUIRE(r.outcome == CorrectionOutcome::stored);
    CHECK(h.count("SELECT count(*) FROM central_records WHERE version = 2 AND cause = 'school replied'") == 8);
    CHECK(h.count("SELECT count(*) FROM central_records") == 21);
    for (auto id : extra) {
        CHECK(h.newest(id).record.status == AttendanceStatus::absent);
        CHECK(h.entry(id, 1, "crm") == "superseded");
        CHECK(h.entry(id, 2, "crm") == "pending");
    }
    CHECK(h.newest(h.rhys).version == 1);
    CHECK(h.count("SELECT count(*) FROM central_records WHERE participant_id = " + std::to_string(h.aisha)) == 0);
}
