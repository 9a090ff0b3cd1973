#pragma once
// Headless kiosks (real muster-kiosk processes) for the convergence tests: started from their
// device files, scanning the demo's people in turn, every reported record id kept (the union
// the hub must end with).
#include "kiosk_process.hpp"
#include "sync_world.hpp"

#include "muster/store/event_store.hpp"

#include <catch2/catch.hpp>

namespace muster::test {

struct Kiosks {
    SyncWorld& world;
    std::vector<std::string> ids;
    std::vector<std::unique_ptr<KioskProcess>> procs;
    std::set<std::string> reported;
    std::vector<ParticipantId> people;
    std::size_t next_person = 0;

    Kiosks(SyncWorld& w, std::vector<std::string> devices) : world(w), ids(std::move(devices)) {
        auto db = store::open_database(world.hub + "/hub.db");
        for (const auto& e : store::enrolments(*db, 1)) people.push_back(e.participant_id);
        for (std::size_t i = 0; i < ids.size(); ++i) procs.push_back(nullptr), start(i);
    }
    void start(std::size_t k) {
        procs[k] = std::make_unique<KioskProcess>(world.device_toml(ids[k]), world.kiosk_log(ids[k]),
                                                  std::vector<std::string>{"--keep-running"});
    }
    // One badge at kiosk k; returns the outcome. The record id is kept: the union to find.
    std::string scan(std::size_t k, std::optional<ParticipantId> who = std::nullopt) {
        ParticipantId p = who ? *who : people[next_person++ % people.size()];
        procs[k]->send(world.token(p));
        auto line = procs[k]->read_line(std::chrono::seconds(20));
        REQUIRE(line);
        auto uuid = json_field(*line, "check_in");
        REQUIRE(!uuid.empty());
        reported.insert(uuid);
        return json_field(*line, "outcome");
    }
    void round(int per_kiosk) {
        for (int i = 0; i < per_kiosk; ++i)
            for (std::size_t k = 0; k < procs.size(); ++k) scan(k);
    }
    std::int64_t queued(std::size_t k) const { return world.device_count(ids[k], "SELECT COUNT(*) FROM outbox"); }
};


}  // namespace muster::test
