// Programme progress as pure functions (muster/attendance/programme_progress.hpp): every
// standing, every requirement at its boundary, the part-time schedule, the school roll-up.
#include "muster/attendance/programme_progress.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using namespace muster::attendance;

namespace {

constexpr TimeMs minute = 60'000;

EventRecord rec(std::string programme, std::string item, EventKind kind, Standing standing, std::string date = "2025-10-01",
                bool whole = true) {
    static EventId next = 1;
    EventRecord r;
    r.event_id = next++;
    r.programme = std::move(programme);
    r.item = std::move(item);
    r.kind = kind;
    r.standing = standing;
    r.local_date = std::move(date);
    r.whole = whole;
    return r;
}

EventRecord y1(std::string item, Standing s, std::string date = "2025-10-01", bool whole = true) {
    auto kind = item.rfind("conference", 0) == 0 ? EventKind::conference
                : item == "orientation"          ? EventKind::orientation
                                                 : EventKind::clinic;
    return rec("ect-y1", std::move(item), kind, s, std::move(date), whole);
}

Participant person(Role role, int year = 1, bool part_time = false) {
    Participant p;
    p.id = 7;
    p.role = role;
    p.programme_year = year;
    p.part_time = part_time;
    p.cohort = 2025;
    return p;
}

// An NPQ-like plan of `n` elements, 90 % required.
Plan npq_plan(int n) {
    Plan plan;
    plan.name = "NPQ test";
    plan.programmes = {"npq"};
    for (int i = 1; i <= n; ++i) plan.items.push_back({"npq", "element-" + std::to_string(i), EventKind::npq_event});
    plan.min_percent = 90;
    return plan;
}

std::vector<EventRecord> npq_records(int attended, int missed, int to_come, int excused = 0) {
    std::vector<EventRecord> out;
    int i = 0;
    auto add = [&](int count, Standing s) {
        for (int k = 0; k < count; ++k)
            out.push_back(rec("npq", "element-" + std::to_string(++i), EventKind::npq_event, s));
    };
    add(attended, Standing::attended);
    add(missed, Standing::absent);
    add(to_come, Standing::not_yet_held);
    add(excused, Standing::excused);
    return out;
}

Event clinic_event(TimeMs start) {
    Event e;
    e.id = 3;
    e.programme = "ect-y1";
    e.item = "clinic-1";
    e.kind = EventKind::clinic;
    e.local_date = "2025-11-05";
    e.sessions = {{30, 3, "Clinic", start, start + 90 * minute, 60, 30}};
    return e;
}

}  // namespace

TEST_CASE("each derived status becomes a standing, and only the whole of an event counts", "[progress]") {
    Event e = clinic_event(1000 * minute);
    e.sessions.push_back({31, 3, "Afternoon", 1200 * minute, 1300 * minute, 60, 30});
    const TimeMs after = 2000 * minute;
    Summary s;
    s.sessions_total = 2;
    s.sessions_attended = 2;
    struct Case {
        AttendanceStatus status;
        Standing standing;
        bool counted;
    };
    for (auto c : {Case{AttendanceStatus::present, Standing::attended, true}, Case{AttendanceStatus::late, Standing::late, true},
                   Case{AttendanceStatus::left_early, Standing::left_early, false},
                   Case{AttendanceStatus::absent, Standing::absent, false},
                   Case{AttendanceStatus::alternate, Standing::alternate, true}}) {
        s.status = c.status;
        auto r = record_for(e, s, after);
        CHECK(r.standing == c.standing);
        CHECK(counts(r) == c.counted);
    }
    SECTION("afternoon only: late, but a full day counts only when both parts do") {
        s.status = AttendanceStatus::late;
        s.sessions_attended = 1;
        auto r = record_for(e, s, after);
        CHECK(r.standing == Standing::late);
        CHECK_FALSE(r.whole);
        CHECK_FALSE(counts(r));
    }
    SECTION("staff marks: excused does not count, caught up by the recording does") {
        s.marked_by_staff = true;
        s.sessions_attended = 0;
        s.status = AttendanceStatus::excused;
        CHECK_FALSE(counts(record_for(e, s, after)));
        CHECK(record_for(e, s, after).standing == Standing::excused);
        s.status = AttendanceStatus::caught_up;
        CHECK(record_for(e, s, after).standing == Standing::caught_up);
        CHECK(counts(record_for(e, s, after)));
        s.status = AttendanceStatus::present;  // settled by hand (forgot badge): counts whole
        CHECK(counts(record_for(e, s, after)));
    }
    SECTION("before its last session ends an event is not yet held, scans or not") {
        s.status = AttendanceStatus::absent;
        CHECK(record_for(e, s, 1250 * minute).standing == Standing::not_yet_held);
        CHECK(record_for(e, s, 1300 * minute).standing == Standing::absent);  // held at the end
        CHECK_FALSE(counts(record_for(e, s, 0)));
        SECTION("unless staff settled it in advance") {
            s.marked_by_staff = true;
            s.status = AttendanceStatus::excused;
            CHECK(record_for(e, s, 0).standing == Standing::excused);
        }
    }
    SECTION("an event without sessions is held once its date is past (UK local)") {
        Event bare;
        bare.local_date = "2025-11-05";
        CHECK_FALSE(is_held(bare, 1762300800000));  // 2025-11-05 00:00 UTC
        CHECK(is_held(bare, 1762387200000));        // 2025-11-06 00:00 UTC
    }
    CHECK(to_string(Standing::not_yet_held) == "not_yet_held");
    CHECK(label(Standing::caught_up) == "Caught up (recording)");
}

TEST_CASE("the plans follow the roles of DOMAIN.md", "[progress]") {
    auto ect1 = plan_for(person(Role::ect, 1));
    REQUIRE(ect1);
    CHECK(ect1->targets.size() == 2);
    CHECK(ect1->targets[0].required == 2);  // conferences
    CHECK(ect1->targets[1].required == 3);  // clinics
    CHECK(ect1->items.size() == 6);         // with the orientation, shown but not required
    auto ect2 = plan_for(person(Role::ect, 2));
    REQUIRE(ect2);
    CHECK(ect2->targets[0].required == 1);
    CHECK(ect2->targets[1].required == 3);
    CHECK(ect2->programmes == std::vector<std::string>{"ect-y2"});
    auto mentor = plan_for(person(Role::mentor));
    REQUIRE(mentor);
    CHECK(mentor->targets[0].kind == EventKind::mentor_conference);
    CHECK(mentor->targets[0].required == 2);
    CHECK(mentor->targets[1].required == 1);
    CHECK(mentor->items.size() == 3);  // coaching-on-coaching is optional
    auto npq = plan_for(person(Role::npq));
    REQUIRE(npq);
    CHECK(npq->min_percent == 90);
    CHECK(npq->targets.empty());
    auto part_time = plan_for(person(Role::ect, 1, true));
    REQUIRE(part_time);
    CHECK(part_time->programmes == std::vector<std::string>{"ect-y1", "ect-y2"});
    CHECK(part_time->targets[0].required == 3);
    CHECK(part_time->targets[1].required == 6);
    CHECK_FALSE(plan_for(person(Role::facilitator)));
    CHECK_FALSE(plan_for(person(Role::induction_tutor)));
}

TEST_CASE("an ECT in year 1 meets two conferences and three clinics", "[progress]") {
    auto plan = *plan_for(person(Role::ect, 1));
    std::vector<EventRecord> r{y1("orientation", Standing::absent), y1("conference-1", Standing::attended),
                               y1("conference-2", Standing::late),  y1("clinic-1", Standing::caught_up),
                               y1("clinic-2", Standing::alternate), y1("clinic-3", Standing::attended)};
    auto p = progress(7, plan, r);
    CHECK(p.met);
    CHECK_FALSE(p.at_risk);
    CHECK(p.all.required == 5);
    CHECK(p.all.counted() == 5);  // the missed orientation is not required
    CHECK(p.all.caught_up == 1);
    CHECK(p.all.alternate == 1);
    CHECK(p.items[0].state == ItemState::missed);
    CHECK(p.items[3].state == ItemState::caught_up);

    SECTION("an excused absence does not count until it is caught up") {
        r[5] = y1("clinic-3", Standing::excused);
        auto q = progress(7, plan, r);
        CHECK_FALSE(q.met);
        CHECK(q.targets[1].needed() == 1);
        CHECK(q.targets[1].excused == 1);
        CHECK_FALSE(q.at_risk);  // its recording can still be caught up
    }
    SECTION("left early from a conference does not count") {
        r[2] = y1("conference-2", Standing::left_early);
        auto q = progress(7, plan, r);
        CHECK_FALSE(q.met);
        CHECK(q.targets[0].needed() == 1);
        CHECK(q.at_risk);  // every run held: no date left
        CHECK(q.risk == "needs 1 conferences, 0 date(s) left");
    }
    SECTION("a second run of an element: the better of the two decides") {
        r[1] = y1("conference-1", Standing::absent, "2025-10-01");
        r.push_back(y1("conference-1", Standing::attended, "2025-10-08"));
        auto q = progress(7, plan, r);
        CHECK(q.met);
        CHECK(q.items[1].local_date == "2025-10-08");
    }
}

TEST_CASE("an ECT is at risk when the events still needed outnumber the dates left", "[progress]") {
    auto plan = *plan_for(person(Role::ect, 1));
    SECTION("needing three clinics with two dates left: at risk") {
        std::vector<EventRecord> r{y1("conference-1", Standing::attended), y1("conference-2", Standing::not_yet_held),
                                   y1("clinic-1", Standing::absent), y1("clinic-2", Standing::not_yet_held),
                                   y1("clinic-3", Standing::not_yet_held)};
        auto p = progress(7, plan, r);
        CHECK(p.at_risk);
        CHECK(p.targets[1].needed() == 3);
        CHECK(p.targets[1].to_come == 2);
        CHECK(p.risk == "needs 3 clinics, 2 date(s) left");
        CHECK_FALSE(p.met);
    }
    SECTION("needing as many as the dates left: not at risk") {
        std::vector<EventRecord> r{y1("conference-1", Standing::attended), y1("conference-2", Standing::not_yet_held),
                                   y1("clinic-1", Standing::attended), y1("clinic-2", Standing::not_yet_held),
                                   y1("clinic-3", Standing::not_yet_held)};
        auto p = progress(7, plan, r);
        CHECK_FALSE(p.at_risk);
        CHECK(p.targets[1].needed() == 2);
        CHECK(p.targets[1].to_come == 2);
    }
    SECTION("an element not scheduled yet is a date still to come") {
        std::vector<EventRecord> r{y1("conference-1", Standing::attended)};
        auto p = progress(7, plan, r);
        CHECK_FALSE(p.at_risk);
        CHECK(p.items[2].state == ItemState::not_scheduled);
        CHECK(p.targets[1].to_come == 3);
    }
    SECTION("a mentor missing the one clinic with no run to come") {
        auto mentor = *plan_for(person(Role::mentor));
        std::vector<EventRecord> r{rec("mentor", "conference-1", EventKind::mentor_conference, Standing::attended),
                                   rec("mentor", "conference-2", EventKind::mentor_conference, Standing::not_yet_held),
                                   rec("mentor", "clinic", EventKind::mentor_clinic, Standing::absent)};
        auto p = progress(7, mentor, r);
        CHECK(p.at_risk);
        CHECK(p.risk == "needs 1 clinics, 0 date(s) left");
    }
}

TEST_CASE("an NPQ participant needs at least 90 percent of all elements", "[progress]") {
    SECTION("exactly 90 percent: met, not at risk") {
        auto p = progress(7, npq_plan(10), npq_records(9, 1, 0));
        CHECK(p.met);
        CHECK_FALSE(p.at_risk);
        REQUIRE(p.percent);
        CHECK(*p.percent == Approx(90.0));
        CHECK(p.all.required == 9);
    }
    SECTION("89.5 percent (17 of 19): not met, and at risk with nothing to come") {
        auto p = progress(7, npq_plan(19), npq_records(17, 2, 0));
        CHECK_FALSE(p.met);
        CHECK(p.at_risk);
        CHECK(*p.percent == Approx(89.47).epsilon(0.001));
        CHECK(p.risk == "best possible 89.5 %, under 90 %");
        CHECK(p.all.required == 18);
    }
    SECTION("best possible counts every element to come as attended") {
        auto ok = progress(7, npq_plan(10), npq_records(6, 1, 3));  // best 9 of 10 = 90 %
        CHECK_FALSE(ok.met);
        CHECK_FALSE(ok.at_risk);
        CHECK(*ok.best_percent == Approx(90.0));
        auto risk = progress(7, npq_plan(10), npq_records(6, 2, 2));  // best 80 %
        CHECK(risk.at_risk);
        CHECK(*risk.best_percent == Approx(80.0));
    }
    SECTION("an excused element can still be caught up, so it is not yet lost") {
        auto p = progress(7, npq_plan(10), npq_records(8, 1, 0, 1));
        CHECK_FALSE(p.met);
        CHECK_FALSE(p.at_risk);
        CHECK(p.all.excused == 1);
    }
    SECTION("the NPQ template: five elements, so one missed is 80 percent") {
        auto plan = *plan_for(person(Role::npq));
        std::vector<EventRecord> r{rec("npq", "launch-conference", EventKind::npq_event, Standing::absent)};
        auto p = progress(7, plan, r);
        CHECK(p.all.elements == 5);
        CHECK(p.at_risk);
        CHECK(*p.best_percent == Approx(80.0));
    }
}

TEST_CASE("a part-time ECT is judged on their own three-year schedule", "[progress]") {
    auto plan = *plan_for(person(Role::ect, 1, true));
    // Year 1 of three: one conference and one clinic so far, the rest spread over later runs.
    std::vector<EventRecord> r{y1("conference-1", Standing::attended), y1("clinic-1", Standing::attended),
                               y1("clinic-2", Standing::not_yet_held)};
    auto p = progress(7, plan, r);
    CHECK_FALSE(p.at_risk);
    CHECK_FALSE(p.met);
    CHECK(p.targets[0].needed() == 2);
    CHECK(p.targets[1].needed() == 5);

    SECTION("a missed conference is not lost while a later run of the programme remains") {
        r.push_back(y1("conference-2", Standing::absent, "2025-12-01"));
        CHECK(progress(7, plan, r).at_risk);  // needs conferences 2 and 3: only 3 is to come
        // The hub enrols them at next year's run of conference 2: their own schedule.
        r.push_back(y1("conference-2", Standing::not_yet_held, "2026-12-01"));
        auto q = progress(7, plan, r);
        CHECK_FALSE(q.at_risk);
        CHECK(q.items[2].state == ItemState::to_come);
        CHECK(q.items[2].local_date == "2026-12-01");
    }
    SECTION("at risk once the missed elements outnumber what is left") {
        std::vector<EventRecord> all_held{y1("conference-1", Standing::absent), y1("conference-2", Standing::absent),
                                          rec("ect-y2", "conference-3", EventKind::conference, Standing::not_yet_held)};
        auto q = progress(7, plan, all_held);
        CHECK(q.at_risk);
        CHECK(q.risk == "needs 3 conferences, 1 date(s) left");
    }
}

TEST_CASE("a school's participants roll up into one row", "[progress]") {
    auto plan = *plan_for(person(Role::ect, 1));
    auto make = [&](ParticipantId id, std::optional<std::string> urn, std::vector<EventRecord> r) {
        ParticipantProgress row;
        row.participant = person(Role::ect);
        row.participant.id = id;
        row.participant.school_urn = urn;
        row.participant.school_name = urn ? "School " + *urn : "";
        row.progress = progress(id, plan, r);
        return row;
    };
    std::vector<EventRecord> done{y1("conference-1", Standing::attended), y1("conference-2", Standing::attended),
                                  y1("clinic-1", Standing::attended), y1("clinic-2", Standing::attended),
                                  y1("clinic-3", Standing::attended)};
    std::vector<EventRecord> lost{y1("conference-1", Standing::absent), y1("conference-2", Standing::excused)};
    std::vector<ParticipantProgress> rows{make(1, "200002", done), make(2, "100001", lost), make(3, "100001", done),
                                          make(4, std::nullopt, lost)};
    auto schools = by_school(rows);
    REQUIRE(schools.size() == 3);
    CHECK(schools[0].urn == "100001");
    CHECK(schools[0].participants == 2);
    CHECK(schools[0].met == 1);
    CHECK(schools[0].at_risk == 1);
    CHECK(schools[0].required == 10);
    CHECK(schools[0].counted == 5);
    CHECK(schools[0].excused == 1);
    CHECK(schools[0].missed == 1);
    CHECK(schools[1].urn == "200002");
    CHECK(schools[2].urn.empty());  // no URN: last
    CHECK(schools[2].at_risk == 1);
}
