#pragma once
// A hub for the per-school report and notice tests: TestHub's conference (2025-10-01) with
// Oakfield Junior School (123456: Siân, Zoë, and an induction tutor) and Brook Lane (234567:
// Rhys, and Aisha, a mentor enrolled by hand), and helpers to scan and mark.
#include "test_hub.hpp"

#include "muster/store/check_in_store.hpp"

#include <catch2/catch.hpp>

namespace muster::test {

inline TimeMs uk_at(int y, int m, int d, int hh, int mm) { return uk_time::from_local({y, m, d, hh, mm, 0}); }

struct SchoolHub {
    // TestHub's "now": 2025-10-01 10:00, the morning began at 09:30.
    TestHub hub{uk_at(2025, 10, 1, 10, 0)};
    std::int64_t seq = 0;
    ParticipantId sian = hub.id_of_trn("1234567"), zoe = hub.id_of_trn("2345678"), rhys = hub.id_of_trn("3456789"),
                  aisha = hub.id_of_trn("4567890");
    ParticipantId tutor = 0;
    const TimeMs after = uk_at(2025, 10, 2, 9, 0);  // the day after: the event is held

    SchoolHub() {
        Participant t;
        t.first_name = "Tomos";
        t.last_name = "Price";
        t.email = "tomos@oak.sch.uk";
        t.school_name = "Oakfield Junior School";
        t.school_urn = "123456";
        t.role = Role::induction_tutor;
        tutor = store::insert_participant(*hub.db, t, store::next_change(*hub.db));
        store::enrol(*hub.db, hub.event, aisha, std::nullopt, store::next_change(*hub.db));
    }

    const Session& session(std::size_t i) const { return hub.loaded.sessions.at(i); }

    // A counted entry into session `i`, `minutes` after its start (negative: before).
    std::string enter(ParticipantId who, std::size_t i, int minutes = -5) {
        CheckIn c;
        c.uuid = "scan-" + std::to_string(++seq);
        c.device_id = "door";
        c.device_seq = seq;
        c.participant_id = who;
        c.event_id = hub.event;
        c.session_id = session(i).id;
        c.device_ms = session(i).starts_ms + minutes * 60'000LL;
        c.outcome = Outcome::checked_in;
        REQUIRE(store::insert_check_in(*hub.db, c, false));
        return c.uuid;
    }

    void mark(ParticipantId who, AttendanceStatus status, std::string reason = "illness") {
        Correction c;
        c.uuid = "mark-" + std::to_string(++seq);
        c.kind = CorrectionKind::mark;
        c.participant_id = who;
        c.event_id = hub.event;
        c.status = status;
        c.reason = std::move(reason);
        c.author = "Hub Staff";
        c.created_ms = after;
        REQUIRE(store::insert_correction(*hub.db, c, false));
    }

    // The usual day: Siân absent, Zoë the morning only, Rhys 25 minutes late, Aisha excused.
    void usual_day() {
        enter(zoe, 0);
        enter(rhys, 0, 25);
        enter(rhys, 1);
        mark(aisha, AttendanceStatus::excused);
    }
};

}  // namespace muster::test
