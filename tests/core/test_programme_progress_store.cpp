// The programme progress store reader against a real SQLite hub: the participants of a
// scope, their events (enrolled, audience, cancelled left out) and facts (scans, voids,
// staff marks) read in a few queries and judged by the pure functions.
#include "test_hub.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/programme_progress_store.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace muster;
using attendance::ItemState;
using attendance::Standing;

namespace {

TimeMs uk(int y, int m, int d, int hh, int mm) { return uk_time::from_local({y, m, d, hh, mm, 0}); }

struct ProgressHub {
    // "Today" for TestHub: 2025-10-01 10:00, conference 1's morning began at 09:30.
    test::TestHub hub{uk(2025, 10, 1, 10, 0)};
    std::int64_t seq = 0;
    EventId conf1 = hub.event, conf2 = 0, clinic1 = 0, clinic2 = 0, clinic3 = 0, mentor_conf = 0, cancelled = 0;
    ParticipantId sian = hub.id_of_trn("1234567"), zoe = hub.id_of_trn("2345678"), rhys = hub.id_of_trn("3456789"),
                  aisha = hub.id_of_trn("4567890");

    EventId make(const std::string& programme, const std::string& item, const std::string& date) {
        return store::create_event(*hub.db, {programme, item, 2025, date, "Leeds", 0, 10});
    }

    ProgressHub() {
        conf2 = make("ect-y1", "conference-2", "2025-11-12");
        clinic1 = make("ect-y1", "clinic-1", "2025-10-15");
        clinic2 = make("ect-y1", "clinic-2", "2025-11-05");
        clinic3 = make("ect-y1", "clinic-3", "2026-01-14");  // still to come
        mentor_conf = make("mentor", "conference-1", "2025-10-08");
        cancelled = make("ect-y1", "clinic-3", "2025-11-26");
        hub.db->prepare("UPDATE events SET cancelled_ms = 1, cancel_reason = 'venue' WHERE id = ?1").bind(1, cancelled).run();
    }

    // A counted entry scan in each session of the event listed (all of them when empty).
    void attend(ParticipantId who, EventId event, std::vector<std::size_t> sessions = {}) {
        auto e = *store::load_event(*hub.db, event);
        if (sessions.empty())
            for (std::size_t i = 0; i < e.sessions.size(); ++i) sessions.push_back(i);
        for (auto i : sessions) {
            CheckIn c;
            c.uuid = "scan-" + std::to_string(++seq);
            c.device_id = "door";
            c.device_seq = seq;
            c.participant_id = who;
            c.event_id = event;
            c.session_id = e.sessions[i].id;
            c.device_ms = e.sessions[i].starts_ms - 5 * 60'000;
            c.outcome = Outcome::checked_in;
            REQUIRE(store::insert_check_in(*hub.db, c, false));
        }
    }

    void correct(ParticipantId who, EventId event, CorrectionKind kind, std::optional<AttendanceStatus> status,
                 std::optional<std::string> target = std::nullopt) {
        Correction c;
        c.uuid = "fix-" + std::to_string(++seq);
        c.kind = kind;
        c.participant_id = who;
        c.event_id = event;
        c.status = status;
        c.target_uuid = target;
        c.reason = "test";
        c.author = "Hub Staff";
        c.created_ms = uk(2025, 12, 1, 9, 0);
        REQUIRE(store::insert_correction(*hub.db, c, false));
    }
};

const attendance::ParticipantProgress& row_of(const std::vector<attendance::ParticipantProgress>& rows, ParticipantId id) {
    for (const auto& r : rows)
        if (r.participant.id == id) return r;
    FAIL("no row for participant " << id);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("progress is read from the hub for the whole hub, a school and a participant", "[progress][store][engines]") {
    ProgressHub h;
    // Siân: everything held so far, both conference parts.
    h.attend(h.sian, h.conf1);
    h.attend(h.sian, h.conf2);
    h.attend(h.sian, h.clinic1);
    h.attend(h.sian, h.clinic2);
    // Zoë: morning only at conference 1, absent at 2, clinic 1 excused, clinic 2 caught up.
    h.attend(h.zoe, h.conf1, {0});
    h.correct(h.zoe, h.clinic1, CorrectionKind::mark, AttendanceStatus::excused);
    h.correct(h.zoe, h.clinic2, CorrectionKind::mark, AttendanceStatus::caught_up);
    // Rhys: conference 1 scans voided by staff; the rest attended.
    h.attend(h.rhys, h.conf1);
    const auto afternoon = h.seq;
    h.correct(h.rhys, h.conf1, CorrectionKind::void_scan, std::nullopt, "scan-" + std::to_string(afternoon - 1));
    h.correct(h.rhys, h.conf1, CorrectionKind::void_scan, std::nullopt, "scan-" + std::to_string(afternoon));
    h.attend(h.rhys, h.conf2);
    h.attend(h.rhys, h.clinic1);
    h.attend(h.rhys, h.clinic2);
    // Aisha (mentor) came to the ECT conference too (not her programme), and her own.
    h.attend(h.aisha, h.conf1);
    h.attend(h.aisha, h.mentor_conf);

    const TimeMs now = uk(2025, 12, 1, 12, 0);
    store::ProgressScope hub_wide;
    hub_wide.with_events = true;
    auto rows = store::load_programme_progress(*h.hub.db, hub_wide, now);
    REQUIRE(rows.size() == 4);  // the two facilitators are on no programme
    CHECK(rows[0].participant.school_urn == "123456");  // by URN
    CHECK(rows[3].participant.school_urn == "234567");

    const auto& sian = row_of(rows, h.sian);
    CHECK(sian.progress.plan == "ECT year 1");
    CHECK(sian.records.size() == 5);  // the cancelled clinic is left out
    CHECK(sian.progress.targets[0].counted() == 2);
    CHECK(sian.progress.targets[1].counted() == 2);
    CHECK(sian.progress.targets[1].to_come == 1);
    CHECK_FALSE(sian.progress.met);
    CHECK_FALSE(sian.progress.at_risk);
    std::map<EventId, Standing> standing;
    for (const auto& r : sian.records) standing[r.event_id] = r.standing;
    CHECK(standing[h.clinic3] == Standing::not_yet_held);
    CHECK(standing[h.conf1] == Standing::attended);
    CHECK(sian.progress.items[0].state == ItemState::not_scheduled);  // orientation: no run

    const auto& zoe = row_of(rows, h.zoe);
    std::map<EventId, Standing> z;
    for (const auto& r : zoe.records) z[r.event_id] = r.standing;
    CHECK(z[h.conf1] == Standing::left_early);
    CHECK(z[h.conf2] == Standing::absent);
    CHECK(z[h.clinic1] == Standing::excused);
    CHECK(z[h.clinic2] == Standing::caught_up);
    CHECK(zoe.progress.at_risk);  // two conferences needed, none left
    CHECK(zoe.progress.all.caught_up == 1);
    CHECK(zoe.progress.all.excused == 1);

    const auto& rhys = row_of(rows, h.rhys);
    CHECK(rhys.records.front().event_id == h.conf1);  // by date
    CHECK(rhys.records.front().standing == Standing::absent);  // both scans voided
    CHECK(rhys.progress.at_risk);

    const auto& aisha = row_of(rows, h.aisha);
    CHECK(aisha.progress.plan == "Mentor training");
    REQUIRE(aisha.records.size() == 1);  // the ECT conference is not her programme's
    CHECK(aisha.records[0].standing == Standing::attended);
    CHECK_FALSE(aisha.progress.at_risk);  // conference 2 and the clinic are not scheduled yet

    SECTION("a school") {
        auto brook = store::load_programme_progress(*h.hub.db, {std::nullopt, "234567"}, now);
        REQUIRE(brook.size() == 2);
        for (const auto& r : brook) CHECK(r.participant.school_urn == "234567");
        auto schools = attendance::by_school(brook);
        REQUIRE(schools.size() == 1);
        CHECK(schools[0].at_risk == 1);
        CHECK(store::load_programme_progress(*h.hub.db, {std::nullopt, "999999"}, now).empty());
    }
    SECTION("one participant: the same answer as in the whole hub's read") {
        auto one = store::load_programme_progress(*h.hub.db, {h.zoe, std::nullopt, true}, now);
        REQUIRE(one.size() == 1);
        CHECK(one[0].records.size() == zoe.records.size());
        CHECK(one[0].progress.all.counted() == zoe.progress.all.counted());
        CHECK(one[0].progress.risk == zoe.progress.risk);
        CHECK(store::load_programme_progress(*h.hub.db, {h.hub.id_of_trn("5678901"), std::nullopt}, now).empty());
    }
    SECTION("judged earlier, the later events are still to come") {
        auto early = store::load_programme_progress(*h.hub.db, {h.zoe, std::nullopt, true}, uk(2025, 10, 1, 11, 0));
        REQUIRE(early.size() == 1);
        CHECK_FALSE(early[0].progress.at_risk);
        CHECK(early[0].records.front().standing == Standing::not_yet_held);  // conference 1 is under way
    }
    SECTION("without with_events the rows carry the progress only") {
        auto lean = store::load_programme_progress(*h.hub.db, {}, now);
        REQUIRE(lean.size() == rows.size());
        CHECK(lean[0].records.empty());
        CHECK(row_of(lean, h.zoe).progress.risk == zoe.progress.risk);
    }
    SECTION("a withdrawn participant is left out") {
        h.hub.db->prepare("UPDATE participants SET withdrawn_ms = 1 WHERE id = ?1").bind(1, h.rhys).run();
        CHECK(store::load_programme_progress(*h.hub.db, {}, now).size() == 3);
    }
}
