// `muster device add` on a hub whose store is PostgreSQL (docs/scale.md, "Running the hub on
// PostgreSQL"): the same steps through the tool on a SQLite hub and on a hub made with
// `muster init --database URL`, and the two device databases hold the same rows: the event's
// people only, without emails, their badges and cards, the event, and the sync cursor at the
// hub's change clock.
#include "cli_run.hpp"
#include "postgres_cluster.hpp"
#include "temp_dir.hpp"

#include "muster/db/postgresql.hpp"
#include "muster/store/schema.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <optional>
#include <string>
#include <vector>

using namespace muster;

namespace {

// Every row of `sql`, each cell written with its type, so an integer 1 and a text "1" differ.
std::vector<std::string> dump(db::Database& db, const std::string& sql) {
    return db.prepare(sql).query_all([](const db::Statement& r) {
        std::string row;
        for (int i = 0; i < r.column_count(); ++i) {
            switch (r.column_type(i)) {
            case db::ColumnType::null: row += "null"; break;
            case db::ColumnType::integer: row += "i:" + std::to_string(r.int64(i)); break;
            case db::ColumnType::real: row += "r:" + std::to_string(r.real(i)); break;
            case db::ColumnType::text: row += "t:" + r.text(i); break;
            case db::ColumnType::blob: row += "b:" + std::to_string(r.blob(i).size()) + " bytes"; break;
            }
            row += "|";
        }
        return row;
    });
}

struct Provisioned {
    test::CliRun add;
    std::vector<std::string> people, trn_hashes, badges, cards, event, sessions, rooms, enrolments, facilitators;
    std::vector<std::string> device_hub_row, hub_hub_row;
    std::int64_t cursor = 0, device_clock = 0, hub_clock = 0;
};

// init (on `database` when given), a roster of three (one of another cohort), an event of the
// 2025 cohort, badges for all and a card, then `muster device add`; what the device holds.
Provisioned provision(const std::optional<std::string>& database) {
    test::TempDir dir;
    std::string hub = dir.file("hub");
    std::vector<std::string> init{"init", "--hub", hub, "--name", "Test TSH"};
    if (database) init.insert(init.end(), {"--database", *database});
    auto made = test::muster_cli(init);
    if (made.code != 0) throw std::runtime_error("muster init failed: " + made.err);
    std::ofstream(dir.file("roster.csv")) << "first name,last name,email,trn,role,cohort,year\n"
                                             "Siân,O'Brien,s@o.org.uk,1234567,ECT,2025,1\n"
                                             "Kwame,Mensah,k@m.org.uk,2345678,Facilitator,,\n"
                                             "Aled,Jones,a@j.org.uk,3456789,ECT,2024,2\n";
    for (std::vector<std::string> step : {
             std::vector<std::string>{"roster", "import", dir.file("roster.csv")},
             std::vector<std::string>{"event", "create", "--programme", "ect-y1", "--item", "conference-1", "--cohort", "2025",
                                      "--date", "2026-10-14", "--venue", "Leeds", "--rooms", "1"},
             std::vector<std::string>{"badges", "issue", "--all"},
             std::vector<std::string>{"card", "attach", "--uid", "04:A1:B2:C3", "--participant", "1"},
             std::vector<std::string>{"card", "attach", "--uid", "04:A1:B2:C4", "--participant", "3"},
         }) {
        step.insert(step.end(), {"--hub", hub});
        auto run = test::muster_cli(step);
        if (run.code != 0) throw std::runtime_error("muster " + step[0] + " failed: " + run.err);
    }
    Provisioned p;
    p.add = test::muster_cli({"device", "add", "--id", "door-1", "--event", "1", "--pin", "1357", "--hub", hub});
    if (p.add.code != 0) return p;

    auto hub_db = store::open_database(database ? *database : hub + "/hub.db");
    p.hub_clock = hub_db->prepare("SELECT value FROM change_clock").query_one([](const db::Statement& r) { return r.int64(0); }).value();
    p.hub_hub_row = dump(*hub_db, "SELECT * FROM hub");

    auto dev = store::open_database(hub + "/devices/door-1/device.db");
    // Times and random tokens differ between two hubs made one after the other: left out.
    p.people = dump(*dev, "SELECT id, trn, email, first_name, last_name, preferred_name, school_name, school_urn, role, "
                          "programme, cohort, programme_year, part_time, lead_provider, delivery_partner FROM participants "
                          "ORDER BY id");
    // Each device hashes TRNs under its own key (docs/privacy.md): the digests differ, their count and size do not.
    p.trn_hashes = dump(*dev, "SELECT participant_id, length(digest) FROM device_trn_hashes ORDER BY participant_id");
    p.badges = dump(*dev, "SELECT participant_id, serial, revoked_ms, revoke_reason, length(token_digest) FROM badges "
                          "ORDER BY participant_id, serial");
    p.cards = dump(*dev, "SELECT uid, participant_id, detached_ms FROM nfc_cards ORDER BY uid");
    p.event = dump(*dev, "SELECT id, programme, item, cohort, kind, title, venue, local_date, late_after_min FROM events");
    p.sessions = dump(*dev, "SELECT * FROM sessions ORDER BY id");
    p.rooms = dump(*dev, "SELECT * FROM rooms ORDER BY id");
    p.enrolments = dump(*dev, "SELECT * FROM enrolments ORDER BY event_id, participant_id");
    p.facilitators = dump(*dev, "SELECT * FROM room_facilitators ORDER BY room_id, participant_id");
    p.device_hub_row = dump(*dev, "SELECT * FROM hub");
    p.cursor = std::stoll(dev->prepare("SELECT value FROM settings WHERE key = 'sync.cursor'")
                              .query_one([](const db::Statement& r) { return r.text(0); })
                              .value_or("-1"));
    p.device_clock = dev->prepare("SELECT value FROM change_clock").query_one([](const db::Statement& r) { return r.int64(0); }).value();
    return p;
}

}  // namespace

TEST_CASE("device add on a PostgreSQL hub writes the device database a SQLite hub would", "[cli][devices][postgres]") {
    db::enable_postgresql();
    auto pg = test::fresh_postgres_database();
    auto on_sqlite = provision(std::nullopt);
    auto on_postgresql = provision(pg.url());
    REQUIRE(on_sqlite.add.code == 0);
    INFO(on_postgresql.add.err);
    REQUIRE(on_postgresql.add.code == 0);

    for (const auto* p : {&on_sqlite, &on_postgresql}) {
        // Siân (enrolled) and Kwame (facilitating its room); not Aled, of another cohort.
        REQUIRE(p->people.size() == 2);
        // No TRN in clear on a device: only its keyed hash.
        CHECK(p->people[0].rfind("i:1|null|null|t:Siân|t:O'Brien|", 0) == 0);
        CHECK(p->people[1].rfind("i:2|null|null|t:Kwame|", 0) == 0);
        CHECK(p->trn_hashes == std::vector<std::string>{"i:1|i:32|", "i:2|i:32|"});
        CHECK(p->badges == std::vector<std::string>{"i:1|i:1|null|null|i:32|", "i:2|i:1|null|null|i:32|"});
        CHECK(p->cards == std::vector<std::string>{"t:04A1B2C3|i:1|null|"});  // Aled's card stays on the hub
        REQUIRE(p->event.size() == 1);
        CHECK(p->sessions.size() == 2);
        CHECK(p->rooms.size() == 1);
        CHECK(p->enrolments.size() == 2);
        CHECK(p->cursor == p->hub_clock);
        CHECK(p->device_clock == p->hub_clock);
        CHECK(p->device_hub_row == p->hub_hub_row);
    }
    CHECK(on_postgresql.people == on_sqlite.people);
    CHECK(on_postgresql.badges == on_sqlite.badges);
    CHECK(on_postgresql.cards == on_sqlite.cards);
    CHECK(on_postgresql.event == on_sqlite.event);
    CHECK(on_postgresql.sessions == on_sqlite.sessions);
    CHECK(on_postgresql.rooms == on_sqlite.rooms);
    CHECK(on_postgresql.enrolments == on_sqlite.enrolments);
    CHECK(on_postgresql.facilitators == on_sqlite.facilitators);
    CHECK(on_postgresql.hub_clock == on_sqlite.hub_clock);
}
