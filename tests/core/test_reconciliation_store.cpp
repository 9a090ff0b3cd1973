// Reading an event for reconciliation (muster/store/reconciliation_store.hpp) from a real
// SQLite hub: rows with their parts, derived statuses and what is still to settle, the
// unexpected scans, counts, the overview, and times across both UK clock changes.
#include "reconciliation_fixture.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using test::uk;

TEST_CASE("An event's rows show the parts with times, derived statuses and what is unsettled", "[reconciliation][engines]") {
    test::ReconHub h;
    h.usual_day();
    h.scan(h.zoe, h.event, h.afternoon.id, uk(2025, 10, 1, 15, 0), Direction::exit);

    // During the event it is not held yet.
    CHECK_FALSE(h.load(uk(2025, 10, 1, 11, 0)).held);
    auto r = h.load();
    CHECK(r.held);
    CHECK_FALSE(r.signed_off);
    CHECK(r.event.id == h.event);
    // Every expected person (the facilitators of its rooms too: their attendance is paid),
    // by last name: Hughes, Jones, Mensah, O'Brien, Ó Súilleabháin.
    REQUIRE(r.rows.size() == 5);
    CHECK(r.rows[0].participant_id == h.grace);
    CHECK(r.rows[0].role == Role::facilitator);
    CHECK(r.rows[1].participant_id == h.rhys);
    CHECK(r.rows[2].participant_id == h.kwame);
    CHECK(r.rows[3].participant_id == h.sian);
    CHECK(r.rows[4].participant_id == h.zoe);
    CHECK_FALSE(r.rows[0].room_name.empty());
    CHECK(h.row(r, h.sian).room_name.rfind("Room ", 0) == 0);

    const auto& sian = h.row(r, h.sian);
    CHECK(sian.full_name == "Siân O'Brien");
    CHECK(sian.school_urn == "123456");
    CHECK(sian.summary.status == AttendanceStatus::present);
    CHECK_FALSE(sian.unsettled);
    REQUIRE(sian.parts.size() == 2);
    CHECK(sian.parts[0].name == "Morning");
    CHECK(sian.parts[0].attended);
    CHECK(uk_time::format_hhmm(*sian.parts[0].in_ms) == "09:25");
    CHECK_FALSE(sian.parts[0].minutes_late);
    CHECK(uk_time::format_hhmm(*sian.parts[1].in_ms) == "13:10");
    CHECK(sian.scans.size() == 2);
    CHECK(sian.scans[0].device_name == "door");  // no such device row: its id

    const auto& zoe = h.row(r, h.zoe);
    CHECK(zoe.summary.status == AttendanceStatus::left_early);  // out at 15:00, before 16:00
    CHECK(zoe.left_early);
    CHECK(zoe.minutes_late == 20);
    CHECK(zoe.parts[0].minutes_late == 20);
    CHECK(uk_time::format_hhmm(*zoe.checked_out_ms) == "15:00");
    CHECK(zoe.unsettled);

    const auto& rhys = h.row(r, h.rhys);
    CHECK(rhys.summary.status == AttendanceStatus::absent);
    CHECK_FALSE(rhys.parts[0].attended);
    CHECK_FALSE(rhys.parts[0].in_ms);
    CHECK(rhys.unsettled);
    CHECK(r.unsettled == 2);

    // Aisha was scanned without being expected: an alternate-date attendance to link.
    REQUIRE(r.unexpected.size() == 1);
    CHECK(r.unexpected[0].participant_id == h.aisha);
    CHECK(r.unexpected[0].role == Role::mentor);
    CHECK(uk_time::format_hhmm(*r.unexpected[0].first_in_ms) == "09:20");
    CHECK_FALSE(r.unexpected[0].linked_to);

    int total = 0;
    REQUIRE(r.counts.size() == all_attendance_statuses().size());
    for (const auto& c : r.counts) {
        total += c.count;
        if (c.status == AttendanceStatus::absent || c.status == AttendanceStatus::left_early) CHECK(c.count == 1);
        if (c.status == AttendanceStatus::present) CHECK(c.count == 3);
    }
    CHECK(total == 5);
    CHECK(r.change == store::current_change(h.db));
    CHECK_FALSE(store::load_reconciliation(h.db, 9999, h.next_day));
}

TEST_CASE("A rejected or voided scan is in the history, flagged, but counts nothing", "[reconciliation][engines]") {
    test::ReconHub h;
    h.scan(h.rhys, h.event, h.morning.id, uk(2025, 10, 1, 8, 0), Direction::entry, Outcome::outside_window);
    auto r = h.load();
    const auto& rhys = h.row(r, h.rhys);
    REQUIRE(rhys.scans.size() == 1);
    CHECK(rhys.scans[0].outcome == Outcome::outside_window);
    CHECK(rhys.summary.status == AttendanceStatus::absent);
    CHECK_FALSE(rhys.parts[0].attended);
    // A scan naming no participant row the hub has is nobody's: not listed.
    h.scan(99999, h.event, h.morning.id, uk(2025, 10, 1, 9, 30));
    auto again = h.load();
    CHECK(again.unexpected.empty());
    CHECK(again.rows.size() == 5);
}

TEST_CASE("The overview lists every event newest first with expected, unsettled and unexpected", "[reconciliation][engines]") {
    test::ReconHub h;
    h.usual_day();
    auto later = store::create_event(h.db, {"ect-y1", "conference-2", 2025, "2025-11-12", "Leeds", 0, 10});
    auto rows = store::reconciliation_overview(h.db, h.next_day);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].event_id == later);
    CHECK_FALSE(rows[0].held);
    CHECK(rows[0].expected == 3);  // no rooms, so no facilitators
    const auto& o = rows[1];
    CHECK(o.event_id == h.event);
    CHECK(o.held);
    CHECK_FALSE(o.cancelled);
    CHECK(o.local_date == "2025-10-01");
    CHECK(o.programme == "ect-y1");
    CHECK(o.item == "conference-1");
    CHECK(o.expected == 5);
    CHECK(o.unsettled == 2);  // the same as the event's page
    CHECK(o.unexpected == 1);
    CHECK(o.unsettled == h.load().unsettled);
}

TEST_CASE("Parts keep their UK times and minutes late across both clock changes", "[reconciliation][time][engines]") {
    test::ReconHub h;
    // Last Sunday of March 2026 (clocks go forward at 01:00 UTC) and of October 2026 (back).
    for (auto [date, y, m, d] : {std::tuple{"2026-03-29", 2026, 3, 29}, std::tuple{"2026-10-25", 2026, 10, 25}}) {
        auto ev = store::create_event(h.db, {"ect-y1", "conference-2", 2025, date, "Leeds", 0, 10});
        auto e = *store::load_event(h.db, ev);
        REQUIRE(uk_time::format_hhmm(e.sessions[0].starts_ms) == "09:30");
        h.scan(h.sian, ev, e.sessions[0].id, uk(y, m, d, 9, 52));
        h.scan(h.sian, ev, e.sessions[1].id, uk(y, m, d, 13, 15));
        h.scan(h.zoe, ev, e.sessions[0].id, uk(y, m, d, 9, 38));
        h.scan(h.zoe, ev, e.sessions[1].id, uk(y, m, d, 13, 40));
        auto r = h.load(uk(y, m, d + 1, 9, 0), ev);
        const auto& sian = h.row(r, h.sian);
        CHECK(uk_time::format_hhmm(*sian.parts[0].in_ms) == "09:52");
        CHECK(sian.parts[0].minutes_late == 22);
        CHECK(sian.minutes_late == 22);
        CHECK_FALSE(sian.parts[1].minutes_late);
        CHECK(sian.summary.status == AttendanceStatus::late);
        const auto& zoe = h.row(r, h.zoe);
        CHECK_FALSE(zoe.parts[0].minutes_late);  // 8 minutes: within the threshold
        CHECK(zoe.parts[1].minutes_late == 25);
        CHECK(zoe.summary.status == AttendanceStatus::present);
    }
}

TEST_CASE("Read without histories the rows count them, and one person's history has them all", "[reconciliation][engines]") {
    test::ReconHub h;
    h.usual_day();
    auto excused = h.correction(store::StaffAction::excused, h.rhys, "illness");
    REQUIRE(h.record(excused).outcome == store::CorrectionOutcome::stored);

    auto full = h.load();
    auto counted = *store::load_reconciliation(h.db, h.event, h.next_day, store::Histories::counts);
    REQUIRE(counted.rows.size() == full.rows.size());
    CHECK(counted.unsettled == full.unsettled);
    for (std::size_t i = 0; i < full.rows.size(); ++i) {
        const auto &a = full.rows[i], &b = counted.rows[i];
        CHECK(a.participant_id == b.participant_id);
        CHECK(a.summary.status == b.summary.status);
        CHECK(b.scans.empty());
        CHECK(b.corrections.empty());
        CHECK(b.scan_count == static_cast<int>(a.scans.size()));
        CHECK(b.correction_count == static_cast<int>(a.corrections.size()));
    }
    REQUIRE(counted.unexpected.size() == 1);
    CHECK(counted.unexpected[0].scan_count == 1);
    CHECK(counted.unexpected[0].scans.empty());

    auto zoe = store::load_participant_history(h.db, h.event, h.zoe, h.next_day);
    REQUIRE(zoe);
    REQUIRE(zoe->row);
    CHECK_FALSE(zoe->unexpected);
    CHECK(zoe->row->summary.status == test::ReconHub::row(full, h.zoe).summary.status);
    CHECK(zoe->scans.size() == 2);
    CHECK(zoe->corrections.empty());
    auto rhys = store::load_participant_history(h.db, h.event, h.rhys, h.next_day);
    REQUIRE(rhys);
    REQUIRE(rhys->corrections.size() == 1);
    CHECK(rhys->corrections[0].uuid == excused.uuid);
    CHECK(rhys->row->correction_count == 1);
    auto aisha = store::load_participant_history(h.db, h.event, h.aisha, h.next_day);
    REQUIRE(aisha);
    CHECK_FALSE(aisha->row);
    REQUIRE(aisha->unexpected);
    CHECK(aisha->scans.size() == 1);
    CHECK_FALSE(store::load_participant_history(h.db, h.event, 99999, h.next_day));
    CHECK_FALSE(store::load_participant_history(h.db, 9999, h.zoe, h.next_day));
}
