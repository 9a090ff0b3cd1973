#pragma once
// A hub for the reconciliation tests: TestHub's conference 1 on 2025-10-01 (morning 09:30 to
// 12:30, afternoon 13:15 to 16:00, late after 10 minutes, two rooms), Siân, Zoë and Rhys
// expected, and Kwame and Grace who facilitate its rooms; Aisha (a mentor) not; scans and staff corrections made by small helpers.
#include "test_hub.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/reconciliation_store.hpp"

#include <cstdio>

namespace muster::test {

inline TimeMs uk(int y, int m, int d, int hh, int mm) { return uk_time::from_local({y, m, d, hh, mm, 0}); }

struct ReconHub {
    TimeMs day = uk(2025, 10, 1, 10, 0);
    TestHub hub{day};
    db::Database& db = *hub.db;
    EventId event = hub.event;
    Session morning = hub.loaded.sessions.at(0), afternoon = hub.loaded.sessions.at(1);
    ParticipantId sian = hub.id_of_trn("1234567"), zoe = hub.id_of_trn("2345678"), rhys = hub.id_of_trn("3456789"),
                  aisha = hub.id_of_trn("4567890"), kwame = hub.id_of_trn("5678901"),
                  grace = hub.id_of_trn("6789012");
    TimeMs next_day = uk(2025, 10, 2, 9, 0);  // the event is held
    store::CorrectionAuthor ann{1, "Ann Staff"};
    int seq = 0;

    // A scan at `at` (UK local time of `day` unless given as a full instant).
    std::string scan(ParticipantId who, EventId ev, std::optional<SessionId> session, TimeMs at,
                     Direction d = Direction::entry, Outcome o = Outcome::checked_in) {
        CheckIn c;
        c.uuid = uuid(++seq);
        c.device_id = "door";
        c.device_seq = seq;
        c.participant_id = who;
        c.event_id = ev;
        c.session_id = session;
        c.direction = d;
        c.outcome = o;
        c.device_ms = at;
        c.device_offset_min = uk_time::offset_minutes(at);
        if (!store::insert_check_in(db, c, false)) throw std::runtime_error("scan not stored");
        return c.uuid;
    }
    // Siân and the two facilitators (enrolled in their rooms) on time for both parts; Zoë 20
    // minutes late to the morning, there in the afternoon; Rhys nowhere; Aisha (not
    // expected) in the morning.
    void usual_day() {
        for (auto who : {kwame, grace}) {
            scan(who, event, morning.id, uk(2025, 10, 1, 9, 0));
            scan(who, event, afternoon.id, uk(2025, 10, 1, 13, 0));
        }
        scan(sian, event, morning.id, uk(2025, 10, 1, 9, 25));
        scan(sian, event, afternoon.id, uk(2025, 10, 1, 13, 10));
        scan(zoe, event, morning.id, uk(2025, 10, 1, 9, 50));
        scan(zoe, event, afternoon.id, uk(2025, 10, 1, 13, 12));
        scan(aisha, event, morning.id, uk(2025, 10, 1, 9, 20));
    }

    static std::string uuid(int n) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
        return buf;
    }
    store::StaffCorrection correction(store::StaffAction a, ParticipantId who, std::string reason = "forgot badge") {
        store::StaffCorrection c;
        c.uuid = uuid(1000 + ++seq);
        c.action = a;
        c.event_id = event;
        c.participant_id = who;
        c.reason = std::move(reason);
        return c;
    }
    store::CorrectionResult record(const store::StaffCorrection& c, TimeMs at = 0) {
        return store::record_staff_correction(db, ann, c, at ? at : next_day);
    }
    store::EventReconciliation load(TimeMs now = 0, std::optional<EventId> ev = std::nullopt) {
        return *store::load_reconciliation(db, ev.value_or(event), now ? now : next_day);
    }
    // A copy, so a row of a temporary reconciliation stays valid.
    static store::ReconcileRow row(const store::EventReconciliation& r, ParticipantId who) {
        for (const auto& row : r.rows)
            if (row.participant_id == who) return row;
        throw std::runtime_error("no row for " + std::to_string(who));
    }
    std::int64_t count(const std::string& sql) {  // literal SQL only
        auto s = db.prepare(sql);
        s.step();
        return s.int64(0);
    }
};

}  // namespace muster::test
