// Sign-off, amendments and the audit log of reconciliation, and where a hub correction goes
// next: the devices' download (and what a kiosk then counts) and programme progress.
#include "reconciliation_fixture.hpp"

#include "muster/checkin/check_in_desk.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/hub_sync_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/programme_progress_store.hpp"
#include "muster/store/replica_store.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using store::CorrectionOutcome;
using store::SignOffOutcome;
using store::StaffAction;
using test::uk;

namespace {

// Settles the usual day: Zoë (left early) and Rhys (absent).
void settle(test::ReconHub& h, TimeMs at) {
    REQUIRE(h.record(h.correction(StaffAction::present, h.zoe, "stayed, forgot to scan out"), at).outcome ==
            CorrectionOutcome::stored);
    REQUIRE(h.record(h.correction(StaffAction::excused, h.rhys, "illness"), at + 1).outcome ==
            CorrectionOutcome::stored);
}

}  // namespace

TEST_CASE("Sign-off is refused before the event is held and while rows are unsettled", "[reconciliation][sign-off][engines]") {
    test::ReconHub h;
    h.usual_day();
    store::CorrectionAuthor admin{2, "Bea Admin"};
    CHECK(store::sign_off_event(h.db, 9999, admin, "", h.next_day).outcome == SignOffOutcome::not_found);
    CHECK(store::sign_off_event(h.db, h.event, admin, "", uk(2025, 10, 1, 12, 0)).outcome == SignOffOutcome::not_held);
    auto r = store::sign_off_event(h.db, h.event, admin, "", h.next_day);
    CHECK(r.outcome == SignOffOutcome::unsettled_rows);
    CHECK(r.unsettled == 2);
    CHECK(store::sign_off_event(h.db, h.event, {2, " "}, "", h.next_day).outcome == SignOffOutcome::invalid);
    CHECK(store::sign_off_event(h.db, h.event, admin, "a\x01", h.next_day).outcome == SignOffOutcome::invalid);
    CHECK(h.count("SELECT count(*) FROM event_sign_offs") == 0);

    // A tablet's mark does not settle a row: staff confirm it.
    h.db.prepare("INSERT INTO corrections (uuid, kind, participant_id, event_id, session_id, status, reason, author, "
                 "created_ms, register_link_id) VALUES ('tablet-1', 'mark', ?1, ?2, ?3, 'left_early', 'left_early', "
                 "'Mr Khan', ?4, 7)")
        .bind_all(h.rhys, h.event, h.morning.id, uk(2025, 10, 1, 10, 0))
        .run();
    const auto& rhys = h.row(h.load(), h.rhys);
    CHECK(rhys.summary.status == AttendanceStatus::left_early);
    CHECK(rhys.corrections[0].source == store::CorrectionSource::tablet);
    CHECK(rhys.unsettled);
    CHECK(store::sign_off_event(h.db, h.event, admin, "", h.next_day).unsettled == 2);

    settle(h, h.next_day);
    auto done = store::sign_off_event(h.db, h.event, admin, " all settled ", h.next_day + 10);
    REQUIRE(done.outcome == SignOffOutcome::signed_off);
    REQUIRE(done.sign_off);
    CHECK(done.sign_off->by.name == "Bea Admin");
    CHECK(done.sign_off->note == "all settled");
    auto again = store::sign_off_event(h.db, h.event, {std::nullopt, "Someone Else"}, "x", h.next_day + 20);
    CHECK(again.outcome == SignOffOutcome::already);
    CHECK(again.sign_off->at_ms == h.next_day + 10);
    CHECK(again.sign_off->by.staff_id == 2);
    auto loaded = h.load();
    REQUIRE(loaded.signed_off);
    CHECK(loaded.signed_off->note == "all settled");
    auto overview = store::reconciliation_overview(h.db, h.next_day);
    REQUIRE(overview[0].signed_off);
    CHECK(overview[0].signed_off->by.name == "Bea Admin");
}

TEST_CASE("After sign-off a correction is an amendment and needs a reason", "[reconciliation][sign-off][engines]") {
    test::ReconHub h;
    h.usual_day();
    settle(h, h.next_day);
    REQUIRE(store::sign_off_event(h.db, h.event, {2, "Bea Admin"}, "", h.next_day + 10).outcome ==
            SignOffOutcome::signed_off);

    auto c = h.correction(StaffAction::absent, h.rhys, "the doctor's note was for another day");
    auto refused = h.record(c, h.next_day + 20);
    CHECK(refused.outcome == CorrectionOutcome::amendment_reason_needed);
    c.amendment_reason = "  ";
    CHECK(h.record(c, h.next_day + 20).outcome == CorrectionOutcome::amendment_reason_needed);
    c.amendment_reason = "note checked with the school";
    auto r = h.record(c, h.next_day + 20);
    REQUIRE(r.outcome == CorrectionOutcome::stored);
    CHECK(r.amendment);
    auto again = h.record(c, h.next_day + 30);
    CHECK(again.outcome == CorrectionOutcome::already);
    CHECK(again.amendment);
    const auto& row = h.row(h.load(), h.rhys);
    CHECK(row.summary.status == AttendanceStatus::absent);
    CHECK(row.corrections.back().amendment_reason == "note checked with the school");
    CHECK_FALSE(row.corrections.front().amendment_reason);

    // Bulk: one item without a reason refuses them all.
    auto a = h.correction(StaffAction::excused, h.rhys, "illness");
    a.amendment_reason = "second note";
    auto b = h.correction(StaffAction::late, h.zoe, "train");
    std::vector<store::StaffCorrection> items{a, b};
    auto results = store::record_staff_corrections(h.db, h.ann, items, h.next_day + 40);
    CHECK(results[0].outcome == CorrectionOutcome::batch_refused);
    CHECK(results[1].outcome == CorrectionOutcome::amendment_reason_needed);
    CHECK(h.count("SELECT count(*) FROM corrections") == 3);
}

TEST_CASE("The audit log lists every correction and the sign-off oldest first", "[reconciliation][audit][engines]") {
    test::ReconHub h;
    h.usual_day();
    // A void of Zoë's morning scan at 09:50, then the settling marks, sign-off, an amendment.
    auto v = h.correction(StaffAction::void_scan, h.zoe, "colleague's badge");
    v.target_uuid = h.row(h.load(), h.zoe).scans[0].uuid;
    v.note = "seen on camera";
    REQUIRE(h.record(v, h.next_day).outcome == CorrectionOutcome::stored);
    settle(h, h.next_day + 1);
    REQUIRE(store::sign_off_event(h.db, h.event, {2, "Bea Admin"}, "done", h.next_day + 10).outcome ==
            SignOffOutcome::signed_off);
    auto c = h.correction(StaffAction::caught_up, h.rhys, "recording");
    c.caught_up_on = "2025-10-05";
    c.evidence = "quiz";
    c.amendment_reason = "recording watched after sign-off";
    REQUIRE(h.record(c, h.next_day + 20).outcome == CorrectionOutcome::stored);
    auto undo = h.correction(StaffAction::void_mark, h.rhys, "mistake");
    undo.target_uuid = c.uuid;
    undo.amendment_reason = "wrong person";
    REQUIRE(h.record(undo, h.next_day + 30).outcome == CorrectionOutcome::stored);

    // A kiosk's own void (its "void last scan"), uploaded: in the log with its source.
    Correction kiosk_void;
    kiosk_void.uuid = "kiosk-void-1";
    kiosk_void.kind = CorrectionKind::void_scan;
    kiosk_void.target_uuid = h.row(h.load(), h.sian).scans[1].uuid;
    kiosk_void.participant_id = h.sian;
    kiosk_void.event_id = h.event;
    kiosk_void.reason = "scanned twice";
    kiosk_void.author = "Desk staff";
    kiosk_void.device_id = "kiosk-a";
    kiosk_void.created_ms = h.next_day + 40;
    REQUIRE(store::insert_correction(h.db, kiosk_void, false));

    auto log = store::event_audit(h.db, h.event);
    REQUIRE(log.size() == 7);
    CHECK(log[6].source == store::CorrectionSource::device);
    CHECK(log[6].what == "voided scan at 13:10");
    CHECK(log[6].kind == "correction");
    CHECK(log[6].participant_name == "Siân O'Brien");
    CHECK(log[0].what == "voided scan at 09:50");
    CHECK(log[0].kind == "correction");
    CHECK(log[0].participant_name == "Zoë Ó Súilleabháin");
    CHECK(log[0].reason == "colleague's badge; seen on camera");
    CHECK(log[0].author == "Ann Staff");
    CHECK(log[0].source == store::CorrectionSource::hub);
    CHECK(log[0].uuid == v.uuid);
    CHECK(log[1].what == "marked present");
    CHECK(log[2].what == "marked excused");
    CHECK(log[2].participant_id == h.rhys);
    CHECK(log[3].kind == "sign_off");
    CHECK(log[3].author == "Bea Admin");
    CHECK(log[3].reason == "done");
    CHECK(log[3].uuid.empty());
    CHECK(log[4].kind == "amendment");
    CHECK(log[4].what == "marked caught_up on 2025-10-05");
    CHECK(log[4].amendment_reason == "recording watched after sign-off");
    CHECK(log[5].what == "voided mark (caught_up)");
    CHECK(log[5].amendment_reason == "wrong person");
    for (std::size_t i = 1; i < log.size(); ++i) CHECK(log[i - 1].at_ms <= log[i].at_ms);
    CHECK(store::event_audit(h.db, 9999).empty());
}

TEST_CASE("A hub correction reaches the devices and a kiosk counts only present, late and left-early marks", "[reconciliation][sync][engines]") {
    test::ReconHub h;
    // A kiosk provisioned before the day: its copy of the event, and its cursor.
    auto device_db = store::open_database(h.hub.dir.file("device.db"));
    store::copy_hub_to_device(*device_db, h.db, h.event, store::TrnKey{});
    const auto cursor = store::current_change(h.db);

    // Hub staff mark everyone (as an absence excused in advance would be).
    REQUIRE(h.record(h.correction(StaffAction::excused, h.rhys, "illness"), h.day).outcome == CorrectionOutcome::stored);
    REQUIRE(h.record(h.correction(StaffAction::absent, h.sian, "rang in"), h.day).outcome == CorrectionOutcome::stored);
    REQUIRE(h.record(h.correction(StaffAction::present, h.zoe, "seen"), h.day).outcome == CorrectionOutcome::stored);
    CHECK(store::current_change(h.db) == cursor + 3);

    auto changes = store::read_changes(h.db, "kiosk-a", h.event, cursor, 1000, 1'000'000);
    REQUIRE(changes.corrections.size() == 3);
    CHECK(changes.corrections[0].status == AttendanceStatus::excused);
    CHECK_FALSE(changes.corrections[0].device_id);
    CHECK(changes.corrections[0].author == "Ann Staff");
    store::apply_changes(*device_db, changes);
    auto on_device = store::find_correction(*device_db, changes.corrections[0].uuid);
    REQUIRE(on_device);
    CHECK(on_device->status == AttendanceStatus::excused);

    // None of them is a scan in this session: nobody is "already checked in" at the kiosk.
    for (auto who : {h.rhys, h.sian, h.zoe})
        CHECK_FALSE(store::prior_scans(*device_db, who, h.event, h.morning.id, std::nullopt).first_entry_ms);

    // Session marks (a tablet's) count by what they say: absent or excused is no entry,
    // present or late is one, left early an exit.
    int n = 0;
    auto session_mark = [&](ParticipantId who, const char* status, TimeMs at) {
        Correction c;
        c.uuid = "mark-" + std::to_string(++n);
        c.kind = CorrectionKind::mark;
        c.participant_id = who;
        c.event_id = h.event;
        c.session_id = h.morning.id;
        c.status = parse_attendance_status(status);
        c.reason = "test";
        c.author = "Mr Khan";
        c.created_ms = at;
        REQUIRE(store::insert_correction(*device_db, c, false));
    };
    for (const char* status : {"absent", "excused", "caught_up", "alternate"}) session_mark(h.rhys, status, h.day);
    CHECK_FALSE(store::prior_scans(*device_db, h.rhys, h.event, h.morning.id, std::nullopt).first_entry_ms);
    session_mark(h.sian, "late", h.day);
    auto sian = store::prior_scans(*device_db, h.sian, h.event, h.morning.id, std::nullopt);
    CHECK(sian.first_entry_ms == h.day);
    CHECK(sian.last_direction == Direction::entry);
    session_mark(h.sian, "left_early", h.day + 60'000);
    CHECK(store::prior_scans(*device_db, h.sian, h.event, h.morning.id, std::nullopt).last_direction == Direction::exit);

    // At the kiosk's desk: Rhys (excused by the hub, absent and the like on the session) and
    // Zoë (marked present by the hub) are checked in by their first scan.
    checkin::CheckInDesk desk(*device_db, h.hub.keys.public_key(),
                              {"kiosk-a", DeviceMode::entrance, h.event, h.morning.id, std::nullopt, Direction::entry});
    for (auto who : {h.rhys, h.zoe}) {
        auto r = desk.scan({Method::qr, h.hub.token_for(who), ""}, h.day + 60'000);
        CHECK(r.decision.outcome == Outcome::checked_in);
    }
}

TEST_CASE("Alternate and caught-up marks count toward programme progress", "[reconciliation][progress][engines]") {
    test::ReconHub h;
    auto other_run = store::create_event(h.db, {"ect-y1", "conference-1", 2025, "2025-10-08", "York", 0, 10});
    h.db.prepare("DELETE FROM enrolments WHERE event_id = ?1 AND participant_id = ?2").bind_all(other_run, h.rhys).run();
    auto e = *store::load_event(h.db, other_run);
    h.scan(h.rhys, other_run, e.sessions[0].id, uk(2025, 10, 8, 9, 20));
    h.scan(h.rhys, other_run, e.sessions[1].id, uk(2025, 10, 8, 13, 10));
    auto clinic = store::create_event(h.db, {"ect-y1", "clinic-1", 2025, "2025-10-15", "Leeds", 0, 10});
    const TimeMs later = uk(2025, 12, 1, 9, 0);

    auto link = h.correction(StaffAction::alternate, h.rhys, "came to the York run");
    link.attended_event_id = other_run;
    REQUIRE(h.record(link, later).outcome == CorrectionOutcome::stored);
    auto caught = h.correction(StaffAction::caught_up, h.rhys, "recording");
    caught.event_id = clinic;
    caught.caught_up_on = "2025-10-20";
    caught.evidence = "quiz";
    REQUIRE(h.record(caught, later).outcome == CorrectionOutcome::stored);

    store::ProgressScope scope;
    scope.participant = h.rhys;
    scope.with_events = true;
    auto rows = store::load_programme_progress(h.db, scope, later);
    REQUIRE(rows.size() == 1);
    std::optional<attendance::EventRecord> expected_run, clinic_record;
    for (const auto& r : rows[0].records) {
        if (r.event_id == h.event) expected_run = r;
        if (r.event_id == clinic) clinic_record = r;
    }
    REQUIRE(expected_run);
    CHECK(expected_run->standing == attendance::Standing::alternate);
    CHECK(attendance::counts(*expected_run));
    REQUIRE(clinic_record);
    CHECK(clinic_record->standing == attendance::Standing::caught_up);
    CHECK(attendance::counts(*clinic_record));
    // Conference 1 counted once (whichever run decides it), clinic 1 by its recording.
    CHECK(rows[0].progress.targets[0].counted() == 1);
    CHECK(rows[0].progress.targets[1].counted() == 1);
    CHECK(rows[0].progress.all.caught_up == 1);
}

TEST_CASE("An attendance linked as another event's alternate counts once", "[reconciliation][progress][engines]") {
    test::ReconHub h;
    // Rhys missed conference 1 and came, unexpected, to conference 2 on 22 October; staff
    // credit that day to conference 1.
    auto conf2 = store::create_event(h.db, {"ect-y1", "conference-2", 2025, "2025-10-22", "York", 0, 10});
    h.db.prepare("DELETE FROM enrolments WHERE event_id = ?1 AND participant_id = ?2").bind_all(conf2, h.rhys).run();
    auto e = *store::load_event(h.db, conf2);
    h.scan(h.rhys, conf2, e.sessions[0].id, uk(2025, 10, 22, 9, 20));
    h.scan(h.rhys, conf2, e.sessions[1].id, uk(2025, 10, 22, 13, 10));
    const TimeMs later = uk(2025, 12, 1, 9, 0);
    store::ProgressScope scope;
    scope.participant = h.rhys;
    scope.with_events = true;
    auto conferences = [&] { return store::load_programme_progress(h.db, scope, later).at(0).progress.targets.at(0); };
    CHECK(conferences().counted() == 1);  // conference 2, by its scans

    auto link = h.correction(StaffAction::alternate, h.rhys, "came on the other date");
    link.attended_event_id = conf2;
    REQUIRE(h.record(link, later).outcome == CorrectionOutcome::stored);
    auto after = conferences();
    CHECK(after.counted() == 1);  // conference 1 (alternate), not conference 2 as well
    CHECK(after.alternate == 1);
    auto rows = store::load_programme_progress(h.db, scope, later);
    for (const auto& r : rows.at(0).records) CHECK(r.event_id != conf2);

    // The link undone: the scans count for conference 2 again.
    auto undo = h.correction(StaffAction::void_mark, h.rhys, "linked by mistake");
    undo.target_uuid = link.uuid;
    REQUIRE(h.record(undo, later + 1).outcome == CorrectionOutcome::stored);
    CHECK(conferences().counted() == 1);
    CHECK(conferences().attended == 1);
}

TEST_CASE("Linking a signed-off event's scans as an alternate-date attendance is an amendment", "[reconciliation][sign-off][engines]") {
    test::ReconHub h;
    h.usual_day();
    settle(h, h.next_day);
    REQUIRE(store::sign_off_event(h.db, h.event, {2, "Bea Admin"}, "", h.next_day + 10).outcome ==
            SignOffOutcome::signed_off);
    // Zoë is expected at the York run too; her scans of 1 October linked to it as the date she came.
    auto york = store::create_event(h.db, {"ect-y1", "conference-1", 2025, "2025-10-08", "York", 0, 10});
    auto link = h.correction(StaffAction::alternate, h.zoe, "came on the earlier date");
    link.event_id = york;
    link.attended_event_id = h.event;
    CHECK(h.record(link, h.next_day + 20).outcome == CorrectionOutcome::amendment_reason_needed);
    CHECK(h.count("SELECT count(*) FROM corrections WHERE status = 'alternate'") == 0);
    link.amendment_reason = "the York register showed she came early";
    auto r = h.record(link, h.next_day + 20);
    REQUIRE(r.outcome == CorrectionOutcome::stored);
    CHECK(r.amendment);
    // The signed-off event's audit shows the link flagged.
    bool flagged = false;
    for (const auto& e : store::event_audit(h.db, h.event))
        if (e.uuid == link.uuid) flagged = e.kind == "amendment" && e.amendment_reason == link.amendment_reason;
    CHECK(flagged);
}
