// A device's first database, copied from the hub (store::copy_hub_to_device): the event's
// people only, without what stays on the hub, and the cursor at the hub's clock. Tagged
// [engines]: the hub is read with the same SQL on SQLite and PostgreSQL.
#include "reconciliation_fixture.hpp"

#include "muster/store/badge_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/replica_store.hpp"
#include "muster/store/settings_store.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace muster;

namespace {

std::int64_t count(db::Database& db, const std::string& sql) {
    return db.prepare(sql).query_one([](const db::Statement& r) { return r.int64(0); }).value_or(-1);
}

}  // namespace

TEST_CASE("A device copy holds the event's people with names only and TRNs as keyed hashes, their badges and its records, at the hub's clock",
          "[replica][engines]") {
    test::ReconHub h;
    {
        db::Transaction tx(h.db);
        for (auto who : {h.sian, h.aisha}) store::issue_badge(h.db, who, h.day, store::next_change(h.db));
        tx.commit();
    }
    // Grace facilitates a room without being enrolled: in scope all the same.
    h.db.prepare("DELETE FROM enrolments WHERE participant_id = ?1").bind(1, h.grace).run();
    REQUIRE(count(h.db, "SELECT count(*) FROM room_facilitators") > 0);
    h.scan(h.sian, h.event, h.morning.id, test::uk(2025, 10, 1, 9, 25));

    auto device = store::open_database(h.hub.dir.file("device.db"));
    store::TrnKey key{};
    key.fill(7);
    store::copy_hub_to_device(*device, h.db, h.event, key);

    auto people = device->prepare("SELECT id FROM participants").query_all([](const db::Statement& r) { return r.int64(0); });
    std::set<std::int64_t> ids(people.begin(), people.end());
    std::set<std::int64_t> expected{h.sian, h.zoe, h.rhys, h.kwame, h.grace};
    CHECK(ids == expected);
    CHECK(count(*device, "SELECT count(*) FROM participants WHERE email IS NOT NULL OR lead_provider IS NOT NULL "
                         "OR delivery_partner IS NOT NULL OR trn IS NOT NULL OR school_name IS NOT NULL "
                         "OR school_urn IS NOT NULL OR programme IS NOT NULL OR cohort IS NOT NULL "
                         "OR programme_year IS NOT NULL") == 0);
    CHECK(count(*device, "SELECT count(*) FROM participants WHERE first_name = '' OR last_name = ''") == 0);
    // Every one of them has a TRN on the hub: each is on the device as its hash under the key.
    CHECK(count(*device, "SELECT count(*) FROM device_trn_hashes") == 5);
    auto sian_trn = h.db.prepare("SELECT trn FROM participants WHERE id = ?1").bind(1, h.sian).query_one([](const db::Statement& r) { return r.text(0); });
    REQUIRE(sian_trn);
    auto found = store::search_device_participants(*device, key, *sian_trn);
    REQUIRE(found.size() == 1);
    CHECK(found[0].id == h.sian);
    CHECK_FALSE(found[0].trn);
    // Aisha's badge stays on the hub with her; Siân's digest arrives as the hub holds it.
    CHECK(count(*device, "SELECT count(*) FROM badges") == 1);
    auto digest = [&](db::Database& db) {
        return db.prepare("SELECT token_digest FROM badges WHERE participant_id = ?1")
            .bind(1, h.sian)
            .query_one([](const db::Statement& r) { return r.blob(0); });
    };
    REQUIRE(digest(*device));
    CHECK(digest(*device) == digest(h.db));
    CHECK(count(*device, "SELECT count(*) FROM check_ins") == 1);
    CHECK(count(*device, "SELECT count(*) FROM events") == 1);
    CHECK(count(*device, "SELECT count(*) FROM sessions") == 2);
    CHECK(count(*device, "SELECT count(*) FROM rooms") == 2);
    CHECK(count(*device, "SELECT count(*) FROM room_facilitators") == count(h.db, "SELECT count(*) FROM room_facilitators"));
    CHECK(count(*device, "SELECT count(*) FROM hub WHERE id = 1 AND name = 'Test hub'") == 1);
    const auto clock = store::current_change(h.db);
    CHECK(clock > 0);
    CHECK(count(*device, "SELECT value FROM change_clock") == clock);
    CHECK(store::setting(*device, "sync.cursor") == std::to_string(clock));
}
