// The per-school report: each school's ECTs and mentors at an event (status, minutes late,
// left early, staff marks, progress), the event's list of schools, a school over the
// programme; and the notice's words (pure).
#include "school_test_hub.hpp"

#include "muster/attendance/school_report.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using muster::test::SchoolHub;

namespace {

const attendance::SchoolPerson& person(const attendance::SchoolEventReport& r, ParticipantId id) {
    for (const auto& p : r.people)
        if (p.participant.id == id) return p;
    FAIL("no row for participant " << id);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("a school's report gives each ECT and mentor's status, lateness, left early and progress", "[school][store][engines]") {
    SchoolHub h;
    h.usual_day();

    auto oak = store::load_school_report(*h.hub.db, h.hub.event, "123456", h.after);
    REQUIRE(oak);
    CHECK(oak->held);
    CHECK(oak->school_name == "Oakfield Junior School");
    REQUIRE(oak->induction_tutors.size() == 1);
    CHECK(oak->induction_tutors[0].full_name() == "Tomos Price");
    REQUIRE(oak->people.size() == 2);  // the tutor is not reported on
    CHECK(oak->people[0].participant.id == h.sian);  // by surname: O'Brien before Ó Súilleabháin
    const auto& sian = person(*oak, h.sian);
    CHECK(sian.summary.status == AttendanceStatus::absent);
    CHECK(sian.missed_sessions.empty());  // absent: no session listed as missed
    REQUIRE(sian.progress);
    CHECK(sian.progress->plan == "ECT year 1");
    const auto& zoe = person(*oak, h.zoe);
    CHECK(zoe.summary.status == AttendanceStatus::left_early);
    CHECK(zoe.left_early);
    CHECK(zoe.missed_sessions == std::vector<std::string>{"Afternoon"});

    auto brook = store::load_school_report(*h.hub.db, h.hub.event, "234567", h.after);
    REQUIRE(brook);
    CHECK(brook->induction_tutors.empty());
    const auto& rhys = person(*brook, h.rhys);
    CHECK(rhys.summary.status == AttendanceStatus::late);
    CHECK(rhys.minutes_late == 25);
    const auto& aisha = person(*brook, h.aisha);
    CHECK(aisha.summary.status == AttendanceStatus::excused);
    CHECK(aisha.summary.marked_by_staff);
    CHECK(aisha.summary.mark_author == "Hub Staff");

    // A staff mark wins, but the scans' word (left early) is still shown.
    h.mark(h.zoe, AttendanceStatus::present, "left for a pupil emergency, agreed");
    auto again = store::load_school_report(*h.hub.db, h.hub.event, "123456", h.after);
    const auto& zoe2 = person(*again, h.zoe);
    CHECK(zoe2.summary.status == AttendanceStatus::present);
    CHECK(zoe2.left_early);

    CHECK_FALSE(store::load_school_report(*h.hub.db, 999, "123456", h.after));
    auto nobody = store::load_school_report(*h.hub.db, h.hub.event, "999999", h.after);
    REQUIRE(nobody);
    CHECK(nobody->people.empty());
}

TEST_CASE("an event's schools are listed by URN with their counts", "[school][store][engines]") {
    SchoolHub h;
    h.usual_day();
    auto schools = store::event_schools(*h.hub.db, h.hub.event, h.after);
    REQUIRE(schools);
    REQUIRE(schools->size() == 2);  // the facilitators' school has no ECTs or mentors
    const auto& oak = (*schools)[0];
    CHECK(oak.urn == "123456");
    CHECK(oak.expected == 2);
    CHECK(oak.absent == 1);
    CHECK(oak.left_early == 1);
    CHECK(oak.to_tell == 2);
    const auto& brook = (*schools)[1];
    CHECK(brook.urn == "234567");
    CHECK(brook.late == 1);
    CHECK(brook.excused == 1);
    CHECK(brook.to_tell == 2);

    // Before the event is over there is nothing to tell.
    auto during = store::event_schools(*h.hub.db, h.hub.event, uk_time::from_local({2025, 10, 1, 11, 0, 0}));
    REQUIRE(during);
    CHECK((*during)[0].to_tell == 0);
    CHECK_FALSE(store::event_schools(*h.hub.db, 999, h.after));
}

TEST_CASE("a school over the programme lists its ECTs and mentors with their events", "[school][store][engines]") {
    SchoolHub h;
    h.usual_day();
    auto brook = store::load_school_programme(*h.hub.db, "234567", h.after);
    CHECK(brook.school_name == "Brook Lane");
    REQUIRE(brook.people.size() == 2);
    CHECK(brook.people[0].participant.last_name == "Jones");
    CHECK(brook.people[1].participant.last_name == "Khan");
    CHECK(brook.people[0].records.size() >= 1);
    CHECK(store::is_urn("012345"));
    CHECK_FALSE(store::is_urn("12345"));
    CHECK_FALSE(store::is_urn("12345a"));
}

TEST_CASE("the notice names who missed, who was late and who was excused, in plain words", "[school][notice][engines]") {
    SchoolHub h;
    h.usual_day();
    auto oak = store::load_school_report(*h.hub.db, h.hub.event, "123456", h.after);
    auto d = attendance::draft_notice(*oak, {}, "Test hub");
    REQUIRE(d.anything_to_send());
    CHECK(d.addressed_to == "Tomos Price");
    CHECK_THAT(d.text, Catch::Contains("Dear Tomos Price,"));
    CHECK_THAT(d.text, Catch::Contains("Conference 1: Enabling conditions for the ECT programme"));
    CHECK_THAT(d.text, Catch::Contains("Wednesday 1 October 2025"));
    CHECK_THAT(d.text, Catch::Contains("- Siân O'Brien (ECT): absent"));
    CHECK_THAT(d.text, Catch::Contains(": left early, missed Afternoon"));
    CHECK_THAT(d.text, !Catch::Contains("1234567"));  // no TRN
    CHECK_THAT(d.text, !Catch::Contains("@"));        // no email
    CHECK_THAT(d.text, Catch::Contains("Test hub"));
    CHECK(d.version == attendance::text_version(d.text));
    CHECK(d.version.size() == 64);

    auto brook = store::load_school_report(*h.hub.db, h.hub.event, "234567", h.after);
    auto b = attendance::draft_notice(*brook, {}, "");
    CHECK(b.addressed_to == "the induction tutor");
    CHECK_THAT(b.text, Catch::Contains("Dear induction tutor,"));
    CHECK_THAT(b.text, Catch::Contains("Arrived late:\n- Rhys Jones (ECT): 25 minutes late"));
    CHECK_THAT(b.text, Catch::Contains("Excused (not counted as missing):\n- Aisha Khan (mentor)"));
    CHECK_THAT(b.text, !Catch::Contains("Did not attend"));
    CHECK_THAT(b.text, !Catch::Contains("illness"));  // a mark's reason stays at the hub

    // People told before with the same status are left out, and it says so; a changed
    // status is told again as an update.
    std::vector<attendance::ToldBefore> told{{h.sian, AttendanceStatus::absent, h.after},
                                             {h.zoe, AttendanceStatus::absent, h.after}};
    auto next = attendance::draft_notice(*oak, told, "Test hub");
    REQUIRE(next.lines.size() == 1);
    CHECK(next.lines[0].participant_id == h.zoe);
    CHECK(next.lines[0].previously == AttendanceStatus::absent);
    CHECK_THAT(next.text, Catch::Contains("(an update: our earlier notice said absent)"));
    CHECK_THAT(next.text, Catch::Contains("Already told in our notice of Thursday 2 October 2025, and not repeated here: Siân O'Brien."));
    CHECK_THAT(next.text, !Catch::Contains("Siân O'Brien (ECT)"));
    CHECK(next.version != d.version);

    // Nothing before the event is over.
    auto during = store::load_school_report(*h.hub.db, h.hub.event, "123456", uk_time::from_local({2025, 10, 1, 11, 0, 0}));
    auto early = attendance::draft_notice(*during, {}, "Test hub");
    CHECK_FALSE(early.anything_to_send());
    CHECK_FALSE(early.held);
    CHECK(d.held);
    CHECK(early.text.empty());
}

TEST_CASE("long dates are written out with the day of the week", "[school]") {
    CHECK(attendance::long_date("2025-10-14") == "Tuesday 14 October 2025");
    CHECK(attendance::long_date("2026-03-29") == "Sunday 29 March 2026");
    CHECK(attendance::long_date("1969-12-31") == "Wednesday 31 December 1969");
    CHECK(attendance::long_date("not a date") == "not a date");
}
