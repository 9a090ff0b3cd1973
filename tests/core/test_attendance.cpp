#include "test_hub.hpp"

#include "muster/attendance/attendance_export.hpp"
#include "muster/attendance/attendance_rules.hpp"
#include "muster/checkin/check_in_desk.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/uuid.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <tuple>

using namespace muster;
using namespace muster::attendance;

namespace {

constexpr TimeMs minute = 60'000;

Event two_session_event() {
    Event e;
    e.id = 1;
    e.late_after_min = 10;
    e.sessions = {{10, 1, "Morning", 1000 * minute, 1180 * minute, 60, 30},
                  {11, 1, "Afternoon", 1225 * minute, 1390 * minute, 60, 30}};
    return e;
}

CheckIn scan(SessionId session, TimeMs at, Direction d = Direction::entry, Outcome o = Outcome::checked_in) {
    CheckIn c;
    c.uuid = new_uuid(at);
    c.participant_id = 5;
    c.event_id = 1;
    c.session_id = session;
    c.device_ms = at;
    c.direction = d;
    c.outcome = o;
    return c;
}

}  // namespace

TEST_CASE("attendance status is derived from the scans", "[attendance]") {
    auto e = two_session_event();
    std::vector<Correction> none;
    SECTION("both sessions, on time: present") {
        std::vector<CheckIn> s{scan(10, 995 * minute), scan(11, 1220 * minute)};
        auto r = summarise(e, 5, true, s, none);
        CHECK(r.status == AttendanceStatus::present);
        CHECK(r.sessions_attended == 2);
        CHECK(r.first_in_ms == 995 * minute);
    }
    SECTION("arrived after the late threshold: late") {
        std::vector<CheckIn> s{scan(10, 1011 * minute), scan(11, 1220 * minute)};
        CHECK(summarise(e, 5, true, s, none).status == AttendanceStatus::late);
    }
    SECTION("morning only: left early") {
        std::vector<CheckIn> s{scan(10, 995 * minute)};
        CHECK(summarise(e, 5, true, s, none).status == AttendanceStatus::left_early);
    }
    SECTION("checked out well before the end: left early") {
        std::vector<CheckIn> s{scan(10, 995 * minute), scan(11, 1220 * minute), scan(11, 1300 * minute, Direction::exit, Outcome::checked_out)};
        auto r = summarise(e, 5, true, s, none);
        CHECK(r.status == AttendanceStatus::left_early);
        CHECK(r.last_out_ms == 1300 * minute);
    }
    SECTION("afternoon only counts as late (arrived after the first session began)") {
        std::vector<CheckIn> s{scan(11, 1220 * minute)};
        CHECK(summarise(e, 5, true, s, none).status == AttendanceStatus::late);
    }
    SECTION("no scans: absent; refused scans do not count") {
        std::vector<CheckIn> s{scan(10, 995 * minute, Direction::entry, Outcome::revoked_badge)};
        CHECK(summarise(e, 5, true, s, none).status == AttendanceStatus::absent);
    }
    SECTION("not expected but came: attended as an alternate") {
        std::vector<CheckIn> s{scan(10, 995 * minute, Direction::entry, Outcome::not_expected), scan(11, 1220 * minute)};
        CHECK(summarise(e, 5, false, s, none).status == AttendanceStatus::alternate);
    }
    SECTION("a voided scan does not count") {
        std::vector<CheckIn> s{scan(10, 995 * minute)};
        Correction v;
        v.kind = CorrectionKind::void_scan;
        v.target_uuid = s[0].uuid;
        std::vector<Correction> c{v};
        CHECK(summarise(e, 5, true, s, c).status == AttendanceStatus::absent);
    }
    SECTION("a staff mark wins, newest first, with who and why") {
        std::vector<CheckIn> s;
        Correction excused;
        excused.kind = CorrectionKind::mark;
        excused.status = AttendanceStatus::excused;
        excused.reason = "illness";
        excused.author = "Pat";
        excused.created_ms = 1;
        Correction caught_up = excused;
        caught_up.status = AttendanceStatus::caught_up;
        caught_up.reason = "watched the recording";
        caught_up.created_ms = 2;
        std::vector<Correction> c{caught_up, excused};
        auto r = summarise(e, 5, true, s, c);
        CHECK(r.status == AttendanceStatus::caught_up);
        CHECK(r.marked_by_staff);
        CHECK(r.mark_reason == "watched the recording");
    }
    SECTION("a mark undone on the register (a void targeting it) counts as never made") {
        std::vector<CheckIn> s;
        Correction present;
        present.uuid = "mark-1";
        present.kind = CorrectionKind::mark;
        present.status = AttendanceStatus::present;
        present.reason = "forgot_badge";
        present.author = "Ms Jones";
        present.created_ms = 1;
        Correction undo;
        undo.uuid = "undo-1";
        undo.kind = CorrectionKind::void_scan;
        undo.target_uuid = present.uuid;
        std::vector<Correction> marked{present};
        CHECK(summarise(e, 5, true, s, marked).status == AttendanceStatus::present);
        std::vector<Correction> undone{present, undo};
        auto r = summarise(e, 5, true, s, undone);
        CHECK(r.status == AttendanceStatus::absent);
        CHECK_FALSE(r.marked_by_staff);
    }
}

TEST_CASE("the export has one row per participant per event, expected and unexpected", "[attendance][export][engines]") {
    TimeMs now = uk_time::now_ms();
    test::TestHub hub(now);
    checkin::CheckInDesk desk(*hub.db, hub.keys.public_key(),
                              {"k", DeviceMode::entrance, hub.event, hub.loaded.sessions[0].id, std::nullopt, Direction::entry});
    desk.scan({Method::qr, hub.token_for(hub.id_of_trn("1234567")), ""}, now);
    desk.scan({Method::qr, hub.token_for(hub.id_of_trn("4567890")), ""}, now);  // mentor: not expected
    std::ostringstream out;
    auto n = attendance::export_csv(*hub.db, hub.event, out);
    // 3 ECTs + 2 facilitators expected, plus the mentor who came anyway.
    CHECK(n == 6);
    std::string csv = out.str();
    CHECK_THAT(csv, Catch::StartsWith("\xEF\xBB\xBF" "event_id,event_date,"));
    // TRN and URN kept as text for Excel (csv_writer.hpp), rows end CRLF.
    CHECK_THAT(csv, Catch::Contains(",\"=\"\"1234567\"\"\","));
    CHECK_THAT(csv, Catch::EndsWith("\r\n"));
    CHECK_THAT(csv, Catch::Contains("Siân,O'Brien"));
    CHECK_THAT(csv, Catch::Contains(",mentor,no,alternate,"));
    CHECK_THAT(csv, Catch::Contains(",ect,yes,absent,"));
    CHECK_THAT(csv, Catch::Contains("\"Test venue\"") || Catch::Contains("Test venue"));
    CHECK_THROWS(attendance::export_csv(*hub.db, 4242, out));
}

TEST_CASE("late and left early are judged in real minutes on both clock-change days", "[attendance][time]") {
    // Sessions are stored in UTC from UK local times (uk_time::from_local). On the last Sunday
    // of March the clocks go forward (local = UTC + 1 from 01:00 UTC), on the last Sunday of
    // October back (local = UTC from 01:00 UTC). A 09:30 local start is 08:30 UTC in spring
    // and 09:30 UTC in autumn; the rules compare UTC, so an hour's shift would show at once.
    auto at = [](int y, int m, int d, int hh, int mm) {
        return uk_time::from_local(uk_time::LocalDateTime{y, m, d, hh, mm, 0});
    };
    for (auto [y, m, d, offset] : {std::tuple{2026, 3, 29, 60}, std::tuple{2026, 10, 25, 0}}) {
        CAPTURE(y, m, d);
        Event e;
        e.id = 1;
        e.late_after_min = 10;
        e.sessions = {{10, 1, "Morning", at(y, m, d, 9, 30), at(y, m, d, 12, 30), 60, 30},
                      {11, 1, "Afternoon", at(y, m, d, 13, 15), at(y, m, d, 16, 0), 60, 30}};
        // 09:30 local is 08:30 UTC in spring and 09:30 UTC in autumn.
        const TimeMs utc_midnight = uk_time::days_from_civil(y, m, d) * 86'400'000LL;
        CHECK(e.sessions[0].starts_ms == utc_midnight + (9 * 60 + 30 - offset) * minute);
        CHECK(uk_time::offset_minutes(e.sessions[0].starts_ms) == offset);
        std::vector<Correction> none;
        std::vector<CheckIn> on_time{scan(10, at(y, m, d, 9, 39)), scan(11, at(y, m, d, 13, 10))};
        CHECK(summarise(e, 5, true, on_time, none).status == AttendanceStatus::present);
        std::vector<CheckIn> late{scan(10, at(y, m, d, 9, 41)), scan(11, at(y, m, d, 13, 10))};
        CHECK(summarise(e, 5, true, late, none).status == AttendanceStatus::late);
        CHECK(minutes_late(e, e.sessions[0], at(y, m, d, 9, 41)) == 11);
        CHECK(uk_time::format_hhmm(at(y, m, d, 9, 41)) == "09:41");
        // Checked out at 15:30 local: more than the threshold before the 16:00 end.
        std::vector<CheckIn> left{scan(10, at(y, m, d, 9, 20)), scan(11, at(y, m, d, 13, 10)),
                                  scan(11, at(y, m, d, 15, 30), Direction::exit, Outcome::checked_out)};
        CHECK(summarise(e, 5, true, left, none).status == AttendanceStatus::left_early);
        // At 15:55 local: within the threshold, so stayed to the end.
        std::vector<CheckIn> stayed{scan(10, at(y, m, d, 9, 20)), scan(11, at(y, m, d, 13, 10)),
                                    scan(11, at(y, m, d, 15, 55), Direction::exit, Outcome::checked_out)};
        CHECK(summarise(e, 5, true, stayed, none).status == AttendanceStatus::present);
    }
}
