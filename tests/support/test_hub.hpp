#pragma once
// A small hub for core tests: a real SQLite file (or PostgreSQL database, test_database.hpp), a key pair, a roster and one event
// whose sessions are placed around a chosen "now".
#include "temp_dir.hpp"
#include "test_database.hpp"

#include "muster/badge/badge_token.hpp"
#include "muster/badge/hub_keys.hpp"
#include "muster/roster/roster_import.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

#include <memory>

namespace muster::test {

inline const char* small_roster_csv =
    "first_name,last_name,email,trn,school,urn,role,programme,cohort,year\n"
    "Siân,O'Brien,sian.obrien@oak.sch.uk,1234567,Oakfield Junior School,123456,ECT,ECT,2025,1\n"
    "Zoë,Ó Súilleabháin,zoe@oak.sch.uk,2345678,Oakfield Junior School,123456,ECT,ECT,2025,1\n"
    "Rhys,Jones,rhys@brook.sch.uk,3456789,Brook Lane,234567,ECT,ECT,2025,1\n"
    "Aisha,Khan,aisha@brook.sch.uk,4567890,Brook Lane,234567,Mentor,Mentor,2025,\n"
    "Kwame,Mensah,kwame@hub.org.uk,5678901,Castleview School,345678,Facilitator,,,\n"
    "Grace,Hughes,grace@hub.org.uk,6789012,Castleview School,345678,Facilitator,,,\n";

struct TestHub {
    TempDir dir;
    TestDatabase database{dir};  // SQLite, or PostgreSQL in the engines' second run
    std::unique_ptr<db::Database> db;
    badge::HubKeyPair keys = badge::HubKeyPair::generate();
    EventId event = 0;
    Event loaded;

    // Event "ect-y1/conference-1" on the UK date of `now`, morning session moved so that
    // it started 30 minutes before `now`; two rooms.
    explicit TestHub(TimeMs now = uk_time::now_ms()) {
        db = store::open_database(database.location());
        auto ins = db->prepare("INSERT INTO hub (id, name, public_key, key_id, created_ms) VALUES (1, 'Test hub', ?1, ?2, 0)");
        ins.bind_blob(1, keys.public_key().data(), keys.public_key().size()).bind(2, badge::key_id(keys.public_key()));
        ins.run();
        auto report = roster::import_roster(*db, small_roster_csv);
        if (!report.committed) throw std::runtime_error("test roster did not import");
        event = store::create_event(*db, {"ect-y1", "conference-1", 2025, uk_time::format_date(now), "Test venue", 2, 10});
        place_sessions_around(now);
    }

    void place_sessions_around(TimeMs now) {
        auto e = store::load_event(*db, event);
        TimeMs start = now - 30 * 60'000LL;
        auto s = db->prepare("UPDATE sessions SET starts_ms = ?2, ends_ms = ?3 WHERE id = ?1");
        for (const auto& session : e->sessions) {
            TimeMs len = session.ends_ms - session.starts_ms;
            s.bind(1, session.id).bind(2, start).bind(3, start + len);
            s.run();
            start += len + 45 * 60'000LL;
        }
        loaded = *store::load_event(*db, event);
    }

    ParticipantId id_of_trn(const std::string& trn) { return *store::find_participant_by_trn(*db, trn); }
    std::string token_for(ParticipantId id, std::uint16_t serial = 1) { return badge::sign_badge(keys, {id, serial}); }
};

}  // namespace muster::test
