// Staff corrections from reconciliation (muster/store/reconciliation_store.hpp): every action,
// idempotent by uuid, all-or-nothing in bulk, voids that change the derived status, and the
// alternate-date link seen from both events.
#include "reconciliation_fixture.hpp"

#include "muster/store/participant_store.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using store::CorrectionOutcome;
using store::StaffAction;
using test::uk;

TEST_CASE("Every staff mark is stored as a hub correction and decides the derived status", "[reconciliation][corrections][engines]") {
    test::ReconHub h;
    h.usual_day();
    const std::pair<StaffAction, AttendanceStatus> marks[] = {
        {StaffAction::present, AttendanceStatus::present},    {StaffAction::late, AttendanceStatus::late},
        {StaffAction::left_early, AttendanceStatus::left_early}, {StaffAction::absent, AttendanceStatus::absent},
        {StaffAction::excused, AttendanceStatus::excused},
    };
    TimeMs at = h.next_day;
    for (auto [action, status] : marks) {
        auto before = store::current_change(h.db);
        auto c = h.correction(action, h.rhys, "illness");
        c.note = "  phoned in  ";
        auto r = h.record(c, ++at);
        REQUIRE(r.outcome == CorrectionOutcome::stored);
        CHECK(r.change == before + 1);
        CHECK_FALSE(r.amendment);
        const auto& row = h.row(h.load(at), h.rhys);
        CHECK(row.summary.status == status);
        CHECK(row.summary.marked_by_staff);
        CHECK_FALSE(row.unsettled);  // a hub mark settles the row, whatever it says
        REQUIRE_FALSE(row.corrections.empty());
        const auto& fact = row.corrections.back();
        CHECK(fact.uuid == c.uuid);
        CHECK(fact.source == store::CorrectionSource::hub);
        CHECK(fact.author == "Ann Staff");
        CHECK(fact.note == "phoned in");
        CHECK(fact.status == status);
    }
    CHECK(h.count("SELECT count(*) FROM corrections WHERE device_id IS NULL AND staff_id = 1 AND kind = 'mark' AND "
                  "register_link_id IS NULL AND sync_seq IS NOT NULL") == 5);

    // Caught up: a date not before the event and the evidence.
    auto caught = h.correction(StaffAction::caught_up, h.rhys, "watched the recording");
    CHECK(h.record(caught).outcome == CorrectionOutcome::invalid);  // no date, no evidence
    caught.caught_up_on = "2025-10-08";
    CHECK(h.record(caught).problem.find("evidence") != std::string::npos);
    caught.evidence = "quiz completed";
    caught.caught_up_on = "2025-09-30";
    auto early = h.record(caught);
    CHECK(early.outcome == CorrectionOutcome::invalid);
    CHECK(early.problem.find("before the event") != std::string::npos);
    caught.caught_up_on = "2025-02-30";
    CHECK(h.record(caught).outcome == CorrectionOutcome::invalid);
    caught.caught_up_on = "2025-10-01";  // the same day is fine
    REQUIRE(h.record(caught, ++at).outcome == CorrectionOutcome::stored);
    const auto& row = h.row(h.load(at), h.rhys);
    CHECK(row.summary.status == AttendanceStatus::caught_up);
    CHECK(row.corrections.back().caught_up_on == "2025-10-01");
    CHECK(row.corrections.back().evidence == "quiz completed");
}

TEST_CASE("A staff correction is refused when malformed or about someone not at the event", "[reconciliation][corrections][engines]") {
    test::ReconHub h;
    h.usual_day();
    auto outcome = [&](auto change) {
        auto c = h.correction(StaffAction::excused, h.rhys, "illness");
        change(c);
        return h.record(c).outcome;
    };
    CHECK(outcome([](store::StaffCorrection& c) { c.uuid = "nope"; }) == CorrectionOutcome::invalid);
    CHECK(outcome([](store::StaffCorrection& c) { c.reason = "   "; }) == CorrectionOutcome::invalid);
    CHECK(outcome([](store::StaffCorrection& c) { c.reason = std::string(201, 'x'); }) == CorrectionOutcome::invalid);
    CHECK(outcome([](store::StaffCorrection& c) { c.note = std::string(501, 'x'); }) == CorrectionOutcome::invalid);
    CHECK(outcome([](store::StaffCorrection& c) { c.reason = "two\nlines"; }) == CorrectionOutcome::invalid);
    CHECK(outcome([](store::StaffCorrection& c) { c.target_uuid = "x"; }) == CorrectionOutcome::invalid);
    CHECK(outcome([](store::StaffCorrection& c) { c.evidence = "x"; }) == CorrectionOutcome::invalid);
    CHECK(outcome([](store::StaffCorrection& c) { c.attended_event_id = 2; }) == CorrectionOutcome::invalid);
    CHECK(outcome([](store::StaffCorrection& c) { c.event_id = 9999; }) == CorrectionOutcome::not_found);
    CHECK(outcome([](store::StaffCorrection& c) { c.participant_id = 99999; }) == CorrectionOutcome::not_found);
    // Someone on the roster neither expected nor scanned here.
    h.db.exec("INSERT INTO participants (first_name, last_name, role) VALUES ('Nia', 'Evans', 'ect')");
    const auto nia = h.db.last_insert_rowid();
    CHECK(outcome([&](store::StaffCorrection& c) { c.participant_id = nia; }) == CorrectionOutcome::not_found);
    // Aisha was not expected but was scanned: her record here can be corrected.
    CHECK(outcome([&](store::StaffCorrection& c) { c.participant_id = h.aisha; }) == CorrectionOutcome::stored);
    store::CorrectionAuthor nobody{std::nullopt, "  "};
    CHECK(store::record_staff_correction(h.db, nobody, h.correction(StaffAction::present, h.rhys), h.next_day).outcome ==
          CorrectionOutcome::invalid);
    CHECK(h.count("SELECT count(*) FROM corrections") == 1);
}

TEST_CASE("A staff correction is stored once by uuid and another content under it is a conflict", "[reconciliation][corrections][engines]") {
    test::ReconHub h;
    auto c = h.correction(StaffAction::excused, h.rhys, "illness");
    auto first = h.record(c);
    REQUIRE(first.outcome == CorrectionOutcome::stored);
    auto again = h.record(c, h.next_day + 60'000);
    CHECK(again.outcome == CorrectionOutcome::already);
    CHECK(again.change == first.change);
    CHECK(store::current_change(h.db) == first.change);
    auto other = c;
    other.reason = "holiday";
    CHECK(h.record(other).outcome == CorrectionOutcome::conflict);
    other = c;
    other.action = StaffAction::absent;
    CHECK(h.record(other).outcome == CorrectionOutcome::conflict);
    // Another author (or the same name from the terminal) is another record.
    CHECK(store::record_staff_correction(h.db, {std::nullopt, "Ann Staff"}, c, h.next_day).outcome ==
          CorrectionOutcome::conflict);
    CHECK(h.count("SELECT count(*) FROM corrections") == 1);
}

TEST_CASE("Bulk marking writes every item or none", "[reconciliation][corrections][engines]") {
    test::ReconHub h;
    h.usual_day();
    std::vector<store::StaffCorrection> items{h.correction(StaffAction::excused, h.rhys, "illness"),
                                              h.correction(StaffAction::present, h.zoe, "stayed all day"),
                                              h.correction(StaffAction::excused, 99999, "illness")};
    auto before = store::current_change(h.db);
    auto refused = store::record_staff_corrections(h.db, h.ann, items, h.next_day);
    REQUIRE(refused.size() == 3);
    CHECK(refused[0].outcome == CorrectionOutcome::batch_refused);
    CHECK(refused[1].outcome == CorrectionOutcome::batch_refused);
    CHECK(refused[2].outcome == CorrectionOutcome::not_found);
    CHECK(h.count("SELECT count(*) FROM corrections") == 0);
    CHECK(store::current_change(h.db) == before);

    items.pop_back();
    auto stored = store::record_staff_corrections(h.db, h.ann, items, h.next_day);
    REQUIRE(stored.size() == 2);
    CHECK(stored[0].outcome == CorrectionOutcome::stored);
    CHECK(stored[1].outcome == CorrectionOutcome::stored);
    CHECK(stored[1].change == stored[0].change + 1);
    auto r = h.load();
    CHECK(r.unsettled == 0);
    CHECK(h.row(r, h.zoe).summary.status == AttendanceStatus::present);
    // A retry of the whole selection stores nothing more.
    auto retry = store::record_staff_corrections(h.db, h.ann, items, h.next_day);
    CHECK(retry[0].outcome == CorrectionOutcome::already);
    CHECK(retry[1].outcome == CorrectionOutcome::already);
    CHECK(h.count("SELECT count(*) FROM corrections") == 2);
}

TEST_CASE("Voiding a scan or a mark changes the derived status", "[reconciliation][corrections][engines]") {
    test::ReconHub h;
    h.usual_day();
    // Zoë's late morning scan was a colleague's badge: voided, she missed the morning.
    auto zoe_scans = h.row(h.load(), h.zoe).scans;
    REQUIRE(h.row(h.load(), h.zoe).summary.status == AttendanceStatus::late);
    auto v = h.correction(StaffAction::void_scan, h.zoe, "someone else's badge");
    CHECK(h.record(v).outcome == CorrectionOutcome::invalid);  // no target
    v.target_uuid = "00000000-0000-4000-8000-999999999999";
    CHECK(h.record(v).outcome == CorrectionOutcome::not_found);
    v.target_uuid = h.row(h.load(), h.sian).scans[0].uuid;  // another person's scan
    CHECK(h.record(v).outcome == CorrectionOutcome::not_found);
    v.target_uuid = zoe_scans[0].uuid;
    REQUIRE(h.record(v).outcome == CorrectionOutcome::stored);
    auto row = h.row(h.load(), h.zoe);
    CHECK(row.scans[0].voided);
    CHECK_FALSE(row.parts[0].attended);
    CHECK(row.parts[1].attended);
    CHECK_FALSE(row.parts[1].minutes_late);  // 13:12 is on time for the afternoon
    CHECK(row.minutes_late == 222);          // but the day is judged from the morning's start
    CHECK(row.summary.status == AttendanceStatus::late);
    auto twice = h.correction(StaffAction::void_scan, h.zoe, "again");
    twice.target_uuid = zoe_scans[0].uuid;
    CHECK(h.record(twice).outcome == CorrectionOutcome::invalid);

    // A mark and its void: the mark stops counting, the row is unsettled again.
    auto mark = h.correction(StaffAction::present, h.zoe, "checked the sign-in sheet");
    REQUIRE(h.record(mark, h.next_day + 1).outcome == CorrectionOutcome::stored);
    CHECK(h.row(h.load(), h.zoe).summary.status == AttendanceStatus::present);
    auto undo = h.correction(StaffAction::void_mark, h.zoe, "wrong person");
    undo.target_uuid = v.uuid;  // a void, not a mark
    CHECK(h.record(undo).outcome == CorrectionOutcome::not_found);
    undo.target_uuid = mark.uuid;
    REQUIRE(h.record(undo, h.next_day + 2).outcome == CorrectionOutcome::stored);
    row = h.row(h.load(), h.zoe);
    CHECK(row.summary.status == AttendanceStatus::late);
    CHECK(row.unsettled);
    REQUIRE(row.corrections.size() == 3);
    CHECK(row.corrections[1].voided);
    CHECK(row.corrections[2].target_uuid == mark.uuid);
}

TEST_CASE("An alternate-date attendance is linked on both events", "[reconciliation][corrections][engines]") {
    test::ReconHub h;
    // Rhys was expected at conference 1 on 1 October but came to the run of 8 October.
    auto other_run = store::create_event(h.db, {"ect-y1", "conference-1", 2025, "2025-10-08", "York", 0, 10});
    h.db.prepare("DELETE FROM enrolments WHERE event_id = ?1 AND participant_id = ?2").bind_all(other_run, h.rhys).run();
    auto e = *store::load_event(h.db, other_run);
    h.scan(h.rhys, other_run, e.sessions[0].id, uk(2025, 10, 8, 9, 20));
    h.scan(h.rhys, other_run, e.sessions[1].id, uk(2025, 10, 8, 13, 10));
    const TimeMs later = uk(2025, 10, 9, 9, 0);

    auto there = h.load(later, other_run);
    REQUIRE(there.unexpected.size() == 1);
    CHECK(there.unexpected[0].participant_id == h.rhys);
    REQUIRE_FALSE(there.unexpected[0].candidates.empty());
    CHECK(there.unexpected[0].candidates[0].event_id == h.event);
    CHECK(there.unexpected[0].candidates[0].same_item);
    CHECK_FALSE(there.unexpected[0].linked_to);

    auto link = h.correction(StaffAction::alternate, h.rhys, "came to the York run");
    CHECK(h.record(link, later).outcome == CorrectionOutcome::invalid);  // no attended event
    link.attended_event_id = h.event;
    CHECK(h.record(link, later).outcome == CorrectionOutcome::invalid);  // the same event
    link.attended_event_id = 9999;
    CHECK(h.record(link, later).outcome == CorrectionOutcome::not_found);
    link.attended_event_id = other_run;
    auto wrong_person = link;
    wrong_person.participant_id = h.zoe;  // no scans at the York run
    CHECK(h.record(wrong_person, later).outcome == CorrectionOutcome::not_found);
    REQUIRE(h.record(link, later).outcome == CorrectionOutcome::stored);
    CHECK(h.count("SELECT count(*) FROM corrections WHERE status = 'alternate' AND linked_event_id IS NOT NULL") == 1);

    auto here = h.load(later);
    const auto& row = h.row(here, h.rhys);
    CHECK(row.summary.status == AttendanceStatus::alternate);
    CHECK(row.alternate_event_id == other_run);
    CHECK(row.corrections.back().linked_event_id == other_run);
    CHECK_FALSE(row.unsettled);
    there = h.load(later, other_run);
    REQUIRE(there.unexpected.size() == 1);
    CHECK(there.unexpected[0].linked_to == h.event);
    // Both events' audit logs show the link.
    auto here_log = store::event_audit(h.db, h.event), there_log = store::event_audit(h.db, other_run);
    REQUIRE(here_log.size() == 1);
    CHECK(here_log[0].what == "marked alternate (attended event " + std::to_string(other_run) + " instead)");
    REQUIRE(there_log.size() == 1);
    CHECK(there_log[0].what == "linked as the alternate-date attendance for event " + std::to_string(h.event));
    CHECK(there_log[0].uuid == link.uuid);

    // Superseded by a later mark on the expected event, the link no longer shows.
    REQUIRE(h.record(h.correction(StaffAction::excused, h.rhys, "illness"), later + 1).outcome ==
            CorrectionOutcome::stored);
    CHECK_FALSE(h.load(later, other_run).unexpected[0].linked_to);
    CHECK_FALSE(h.row(h.load(later), h.rhys).alternate_event_id);
}
