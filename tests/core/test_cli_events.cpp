// `muster event ...`: create (duplicates, session times, facilitators shared), list, show,
// edit, cancel, enrol, unenrol and facilitators, with their refusals and messages.
#include "cli_run.hpp"

#include "muster/store/event_admin_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

#include <catch2/catch.hpp>

using namespace muster;

namespace {

const char* roster_csv =
    "first_name,last_name,email,trn,school,urn,role,programme,cohort,year\n"
    "Siân,O'Brien,sian.obrien@oak.sch.uk,1234567,Oakfield Junior School,123456,ECT,ECT,2025,1\n"
    "Zoë,Ó Súilleabháin,zoe@oak.sch.uk,2345678,Oakfield Junior School,123456,ECT,ECT,2025,1\n"
    "Rhys,Jones,rhys@brook.sch.uk,3456789,Brook Lane,234567,ECT,ECT,2025,1\n"
    "Aisha,Khan,aisha@brook.sch.uk,4567890,Brook Lane,234567,Mentor,Mentor,2025,\n"
    "Kwame,Mensah,kwame@hub.org.uk,5678901,Castleview School,345678,Facilitator,,,\n"
    "Grace,Hughes,grace@hub.org.uk,6789012,Castleview School,345678,Facilitator,,,\n"
    "Hannah,Price,hannah@hub.org.uk,7890123,,,Hub staff,,,\n";

// A hub with the roster above and event 1 (ECT conference 1, 2026-10-14, BST) in `rooms` rooms.
struct EventHub : test::CliHub {
    explicit EventHub(int rooms = 2) : CliHub(roster_csv) {
        auto made = create("2026-10-14", rooms);
        if (made.code != 0) throw std::runtime_error("event create failed: " + made.err);
    }
    test::CliRun create(const std::string& date, int rooms, std::vector<std::string> extra = {}) const {
        std::vector<std::string> args = {"event", "create", "--programme", "ect-y1", "--item", "conference-1", "--cohort",
                                         "2025", "--date", date, "--venue", "The Centre", "--rooms", std::to_string(rooms)};
        args.insert(args.end(), extra.begin(), extra.end());
        return run(args);
    }
    std::unique_ptr<db::Database> open() const { return store::open_database(hub + "/hub.db"); }
    std::string id(const std::string& trn) const { return std::to_string(*store::find_participant_by_trn(*open(), trn)); }
    std::int64_t count(const std::string& sql) const {
        return open()->prepare(sql).query_one([](const db::Statement& r) { return r.int64(0); }).value_or(-1);
    }
    Event event(EventId e = 1) const { return *store::load_event(*open(), e); }
};

const std::string sian = "1234567", rhys = "3456789", aisha = "4567890", kwame = "5678901", grace = "6789012",
                  hannah = "7890123";

}  // namespace

TEST_CASE("event create refuses the same event twice and takes session times in UK time", "[cli][events]") {
    EventHub hub;
    auto twice = hub.create("2026-10-14", 2);
    CHECK(twice.code == 2);
    CHECK_THAT(twice.err, Catch::Contains("event 1 is already ect-y1 conference-1") &&
                              Catch::Contains("for cohort 2025 on 2026-10-14 (see: muster event list)"));
    CHECK(hub.count("SELECT COUNT(*) FROM events") == 1);

    auto unknown = hub.create("2026-10-21", 0, {"--sessions", "Morning=09:00-12:00,Evening=18:00-19:00"});
    CHECK(unknown.code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("'Evening' is not a session") && Catch::Contains("its sessions: Morning, Afternoon"));
    auto backwards = hub.create("2026-10-21", 0, {"--sessions", "Morning=12:30-09:30"});
    CHECK(backwards.code == 2);
    CHECK_THAT(backwards.err, Catch::Contains("must end after it starts"));
    CHECK(hub.create("2026-10-21", 0, {"--sessions", "Morning 09:30"}).code == 2);
    CHECK(hub.count("SELECT COUNT(*) FROM events") == 1);  // nothing half made

    // A date in GMT (after the clock change): 09:00 UK is 09:00 UTC; the afternoon keeps the template's.
    auto made = hub.create("2026-11-04", 0, {"--sessions", "Morning=09:00-12:15"});
    REQUIRE(made.code == 0);
    CHECK_THAT(made.out, Catch::Contains("Morning 09:00\u201312:15") && Catch::Contains("Afternoon 13:15\u201316:00"));
    auto morning = hub.event(2).sessions.at(0);
    CHECK(uk_time::format_iso_utc(morning.starts_ms) == "2026-11-04T09:00:00.000Z");

    // Once cancelled, the same event may be made again (a new run).
    REQUIRE(hub.run({"event", "cancel", "1", "--reason", "venue closed"}).code == 0);
    CHECK(hub.create("2026-10-14", 2).code == 0);
}

TEST_CASE("event create shares facilitators out, one lead a room, and names a room left without", "[cli][events]") {
    EventHub two;  // 2 facilitators, 2 rooms
    auto e = two.event();
    auto db = two.open();
    for (const auto& room : e.rooms) {
        auto list = store::room_facilitator_list(*db, room.id);
        REQUIRE(list.size() == 1);
        CHECK(list[0].lead);
    }
    EventHub three(3);
    auto out = three.create("2026-11-04", 3).out;
    CHECK_THAT(out, Catch::Contains("Room 3 has no facilitator: muster event facilitators --room 6 --lead ID"));
    CHECK_THAT(out, Catch::Contains("facilitators " + three.id(kwame) + " Kwame Mensah (lead)"));
}

TEST_CASE("event list and show give ids, UK times, rooms, facilitators and who is where", "[cli][events]") {
    EventHub hub;
    auto list = hub.run({"event", "list"});
    REQUIRE(list.code == 0);
    CHECK_THAT(list.out, Catch::StartsWith("Event 1  2026-10-14  Conference 1: Enabling conditions for the ECT programme @ The "
                                           "Centre  (ect-y1 conference-1, cohort 2025)  5 expected\n"));
    CHECK_THAT(list.out, Catch::Contains("  session 1  Morning  09:30\u201312:30\n"));
    CHECK_THAT(list.out, Catch::Contains("  room 1  Room 1  ") && Catch::Contains("facilitators: " + hub.id(kwame) + " Kwame Mensah (lead)"));
    CHECK_THAT(list.out, Catch::Contains("facilitators: " + hub.id(grace) + " Grace Hughes (lead)"));
    CHECK_THAT(list.out, !Catch::Contains("CANCELLED"));

    auto show = hub.run({"event", "show", "1"});
    REQUIRE(show.code == 0);
    CHECK_THAT(show.out, Catch::Contains("Enrolled (id, name, role, room):") &&
                             Catch::Contains(hub.id(sian) + "  Siân O'Brien  Early career teacher  Room "));
    CHECK_THAT(show.out, !Catch::Contains("Aisha"));  // a mentor is not the audience of an ECT conference
    CHECK(hub.run({"event", "show", "9"}).code == 2);
    CHECK(hub.run({"event", "show"}).code == 2);
}

TEST_CASE("event edit moves the date keeping UK times across the clock change and says what changed", "[cli][events]") {
    EventHub hub;
    const auto clock_before = hub.count("SELECT value FROM change_clock");
    auto moved = hub.run({"event", "edit", "1", "--date", "2026-10-28", "--venue", "Hall B", "--late-after", "15"});
    REQUIRE(moved.code == 0);
    CHECK_THAT(moved.out, Catch::Contains("date 2026-10-14 -> 2026-10-28 (sessions keep their UK times: Morning 09:30\u201312:30"));
    CHECK_THAT(moved.out, Catch::Contains("venue The Centre -> Hall B") && Catch::Contains("late after 10 -> 15 minutes"));
    auto e = hub.event();
    CHECK(e.local_date == "2026-10-28");
    CHECK(e.venue == "Hall B");
    CHECK(e.late_after_min == 15);
    CHECK(uk_time::format_iso_utc(e.sessions.at(0).starts_ms) == "2026-10-28T09:30:00.000Z");  // GMT now
    // Devices learn it: the event and its sessions carry the new change.
    const auto clock = hub.count("SELECT value FROM change_clock");
    CHECK(clock == clock_before + 1);
    CHECK(hub.count("SELECT changed_at FROM events WHERE id = 1") == clock);
    CHECK(hub.count("SELECT COUNT(*) FROM sessions WHERE event_id = 1 AND changed_at = " + std::to_string(clock)) == 2);

    auto times = hub.run({"event", "edit", "1", "--session", "2", "--start", "13:45"});
    REQUIRE(times.code == 0);
    CHECK_THAT(times.out, Catch::Contains("session 2 Afternoon 13:15\u201316:00 -> 13:45\u201316:00"));
    CHECK_THAT(hub.run({"event", "edit", "1", "--session", "2", "--end", "13:00"}).err, Catch::Contains("must end after it starts"));
    CHECK_THAT(hub.run({"event", "edit", "1", "--session", "9", "--end", "13:00"}).err, Catch::Contains("not a session of event 1"));
    CHECK_THAT(hub.run({"event", "edit", "1", "--start", "13:00"}).err, Catch::Contains("need --session"));
    CHECK_THAT(hub.run({"event", "edit", "1"}).err, Catch::Contains("nothing to change"));
    CHECK_THAT(hub.run({"event", "edit", "1", "--date", "2026-02-30"}).err, Catch::Contains("not a date"));
    CHECK_THAT(hub.run({"event", "edit", "1", "--late-after", "-5"}).err, Catch::Contains("between 0 and 240"));
    CHECK_THAT(hub.run({"event", "edit", "1", "--rooms", "51"}).err, Catch::Contains("between 0 and 50"));
    CHECK(hub.run({"event", "edit", "7", "--venue", "X"}).code == 2);
    auto same = hub.run({"event", "edit", "1", "--venue", "Hall B"});
    CHECK(same.code == 1);
    CHECK_THAT(same.err, Catch::Contains("nothing changed"));
    CHECK(hub.count("SELECT value FROM change_clock") == clock + 1);  // the refused edits advanced nothing
}

TEST_CASE("event edit refuses a date move once people have checked in, unless forced", "[cli][events]") {
    EventHub hub;
    hub.open()->exec("INSERT INTO check_ins (uuid, device_id, device_seq, participant_id, event_id, direction, method, outcome, "
                     "device_ms, device_offset_min) VALUES ('u1', 'door-1', 1, 1, 1, 'entry', 'qr', 'checked_in', 0, 60)");
    auto refused = hub.run({"event", "edit", "1", "--date", "2026-10-15"});
    CHECK(refused.code == 2);
    CHECK_THAT(refused.err, Catch::Contains("already has 1 check-ins") && Catch::Contains("outside the event's days") &&
                                Catch::Contains("--force"));
    CHECK(hub.event().local_date == "2026-10-14");
    CHECK(hub.run({"event", "edit", "1", "--date", "2026-10-15", "--force"}).code == 0);
    CHECK(hub.event().local_date == "2026-10-15");
}

TEST_CASE("event edit adds rooms and removes only empty ones, naming what holds a room", "[cli][events]") {
    EventHub hub;
    auto added = hub.run({"event", "edit", "1", "--rooms", "4"});
    REQUIRE(added.code == 0);
    CHECK_THAT(added.out, Catch::Contains("added Room 3 (room 3)") && Catch::Contains("added Room 4 (room 4)"));
    CHECK(hub.event().rooms.size() == 4);
    CHECK(hub.run({"event", "edit", "1", "--rooms", "3"}).code == 0);  // Room 4 was empty
    CHECK(hub.event().rooms.size() == 3);
    // Room 2 holds people and a facilitator; Room 3 is empty but Room 2 blocks going to 1.
    auto refused = hub.run({"event", "edit", "1", "--rooms", "1"});
    CHECK(refused.code == 2);
    CHECK_THAT(refused.err, Catch::Contains("Room 2 (room 2) cannot be removed: it holds") && Catch::Contains("enrolled") &&
                                Catch::Contains("1 facilitator"));
    CHECK(hub.event().rooms.size() == 3);  // Room 3 not removed either: all or nothing
    REQUIRE(hub.run({"device", "add", "--id", "room-3", "--event", "1", "--mode", "room", "--room", "3", "--pin", "1357"}).code == 0);
    auto device = hub.run({"event", "edit", "1", "--rooms", "2"});
    CHECK(device.code == 2);
    CHECK_THAT(device.err, Catch::Contains("device room-3"));
}

TEST_CASE("event cancel takes every enrolment away, keeps records and names the devices", "[cli][events]") {
    EventHub hub;
    REQUIRE(hub.run({"device", "add", "--id", "door-1", "--event", "1", "--pin", "1357"}).code == 0);
    CHECK(hub.run({"event", "cancel", "1"}).code == 2);  // a reason is needed
    auto cancelled = hub.run({"event", "cancel", "1", "--reason", "venue flooded"});
    REQUIRE(cancelled.code == 0);
    CHECK_THAT(cancelled.out, Catch::Contains("5 were expected") &&
                                  Catch::Contains("device door-1 serves it: muster device move --id door-1") &&
                                  Catch::Contains("muster device revoke --id door-1"));
    CHECK(hub.count("SELECT COUNT(*) FROM enrolments WHERE event_id = 1") == 0);
    CHECK(hub.count("SELECT COUNT(*) FROM enrolment_removals WHERE event_id = 1") == 5);  // devices hear of it
    CHECK(hub.count("SELECT COUNT(*) FROM events WHERE id = 1 AND cancel_reason = 'venue flooded'") == 1);
    CHECK_THAT(hub.run({"event", "list"}).out, Catch::Contains("0 expected  CANCELLED") && Catch::Contains("venue flooded"));

    auto twice = hub.run({"event", "cancel", "1", "--reason", "again"});
    CHECK(twice.code == 1);
    CHECK_THAT(twice.err, Catch::Contains("already cancelled") && Catch::Contains("venue flooded"));
    auto enrol = hub.run({"event", "enrol", "--event", "1", "--participant", hub.id(sian)});
    CHECK(enrol.code == 2);
    CHECK_THAT(enrol.err, Catch::Contains("was cancelled"));
    CHECK(hub.run({"event", "edit", "1", "--venue", "Elsewhere"}).code == 2);
    CHECK(hub.run({"event", "cancel", "8", "--reason", "x"}).code == 2);
    auto device = hub.run({"device", "add", "--id", "door-2", "--event", "1", "--pin", "1357"});
    CHECK(device.code == 2);
    CHECK_THAT(device.err, Catch::Contains("event 1 was cancelled (venue flooded)"));
}

TEST_CASE("event enrol and unenrol one person, move them between rooms, and refuse what makes no sense", "[cli][events]") {
    EventHub hub;
    const auto clock = hub.count("SELECT value FROM change_clock");
    auto late = hub.run({"event", "enrol", "--event", "1", "--participant", hub.id(aisha)});
    REQUIRE(late.code == 0);
    CHECK_THAT(late.out, Catch::Contains("Enrolled " + hub.id(aisha) + " Aisha Khan at event 1") &&
                             Catch::Contains("the room with fewest people"));
    CHECK(hub.count("SELECT changed_at FROM enrolments WHERE participant_id = " + hub.id(aisha)) == clock + 1);
    auto again = hub.run({"event", "enrol", "--event", "1", "--participant", hub.id(aisha)});
    CHECK(again.code == 1);
    CHECK_THAT(again.err, Catch::Contains("already enrolled at event 1") && Catch::Contains("--room ID to move them"));

    auto room = *store::find_enrolment(*hub.open(), 1, std::stoll(hub.id(aisha)))->room_id;
    const std::string other = room == 1 ? "2" : "1";
    auto move = hub.run({"event", "enrol", "--event", "1", "--participant", hub.id(aisha), "--room", other});
    REQUIRE(move.code == 0);
    CHECK_THAT(move.out, Catch::Contains("Moved " + hub.id(aisha) + " Aisha Khan at event 1 from Room "));
    CHECK(hub.run({"event", "enrol", "--event", "1", "--participant", hub.id(aisha), "--room", other}).code == 1);

    REQUIRE(hub.create("2026-11-04", 1).code == 0);  // event 2, room 3
    auto foreign = hub.run({"event", "enrol", "--event", "1", "--participant", hub.id(aisha), "--room", "3"});
    CHECK(foreign.code == 2);
    CHECK_THAT(foreign.err, Catch::Contains("room 3 is Room 1 of event 2, not of event 1"));
    CHECK_THAT(hub.run({"event", "enrol", "--event", "1", "--participant", "99"}).err, Catch::Contains("no participant 99"));
    CHECK_THAT(hub.run({"event", "enrol", "--event", "9", "--participant", "1"}).err, Catch::Contains("no event 9"));
    CHECK_THAT(hub.run({"event", "enrol", "--event", "1", "--participant", "1", "--room", "42"}).err,
               Catch::Contains("not a room of event 1"));
    auto facilitator = hub.run({"event", "enrol", "--event", "1", "--participant", hub.id(kwame), "--room", "2"});
    CHECK(facilitator.code == 2);
    CHECK_THAT(facilitator.err, Catch::Contains("facilitates Room 1") && Catch::Contains("muster event facilitators"));

    hub.open()->exec("UPDATE participants SET withdrawn_ms = 1780000000000, withdrawn_reason = 'left' WHERE trn = '" + hannah + "'");
    auto withdrawn = hub.run({"event", "enrol", "--event", "1", "--participant", hub.id(hannah)});
    CHECK(withdrawn.code == 2);
    CHECK_THAT(withdrawn.err, Catch::Contains("withdrew on"));

    auto off = hub.run({"event", "unenrol", "--event", "1", "--participant", hub.id(rhys)});
    REQUIRE(off.code == 0);
    CHECK_THAT(off.out, Catch::Contains("Unenrolled " + hub.id(rhys) + " Rhys Jones from event 1"));
    CHECK(hub.count("SELECT COUNT(*) FROM enrolment_removals WHERE participant_id = " + hub.id(rhys)) == 1);
    auto not_there = hub.run({"event", "unenrol", "--event", "1", "--participant", hub.id(rhys)});
    CHECK(not_there.code == 1);
    CHECK_THAT(not_there.err, Catch::Contains("is not enrolled at event 1"));
    // Enrolled again, the removal is forgotten.
    REQUIRE(hub.run({"event", "enrol", "--event", "1", "--participant", hub.id(rhys)}).code == 0);
    CHECK(hub.count("SELECT COUNT(*) FROM enrolment_removals WHERE participant_id = " + hub.id(rhys)) == 0);

    // A facilitator taken off the event leaves their room's list too.
    REQUIRE(hub.run({"event", "unenrol", "--event", "1", "--participant", hub.id(grace)}).code == 0);
    CHECK(hub.count("SELECT COUNT(*) FROM room_facilitators WHERE room_id IN (1, 2) AND participant_id = " + hub.id(grace)) == 0);
}

TEST_CASE("event facilitators shows and sets a room's list and moves someone from another room", "[cli][events]") {
    EventHub hub(3);
    auto shown = hub.run({"event", "facilitators", "--room", "3"});
    REQUIRE(shown.code == 0);
    CHECK_THAT(shown.out, Catch::Contains("Room 3 (room 3) of event 1: no facilitator") &&
                              Catch::Contains("muster event facilitators --room 3 --lead ID"));

    auto set = hub.run({"event", "facilitators", "--room", "3", "--lead", hub.id(grace), "--co", hub.id(kwame)});
    REQUIRE(set.code == 0);
    CHECK_THAT(set.out, Catch::Contains("Room 3 (room 3) of event 1: " + hub.id(grace) + " Grace Hughes (lead), " + hub.id(kwame) +
                                        " Kwame Mensah"));
    CHECK_THAT(set.out, Catch::Contains("Kwame Mensah moved here from Room 1") && Catch::Contains("Room 1 (room 1) now has no lead"));
    auto db = hub.open();
    CHECK(store::room_facilitator_list(*db, 1).empty());
    CHECK(store::room_facilitator_list(*db, 2).empty());
    CHECK(store::room_facilitator_list(*db, 3).size() == 2);
    CHECK(store::find_enrolment(*db, 1, std::stoll(hub.id(kwame)))->room_id == RoomId{3});
    // All three rooms' lists changed at the same change, so devices are sent all three.
    CHECK(hub.count("SELECT COUNT(DISTINCT changed_at) FROM rooms WHERE event_id = 1") == 1);
    CHECK(hub.count("SELECT changed_at FROM rooms WHERE id = 1") == hub.count("SELECT value FROM change_clock"));

    auto same = hub.run({"event", "facilitators", "--room", "3", "--lead", hub.id(grace), "--co", hub.id(kwame)});
    CHECK(same.code == 1);
    CHECK_THAT(same.err, Catch::Contains("already has"));
    auto ect = hub.run({"event", "facilitators", "--room", "1", "--lead", hub.id(sian)});
    CHECK(ect.code == 2);
    CHECK_THAT(ect.err, Catch::Contains("has the role Early career teacher, not Facilitator"));
    CHECK_THAT(hub.run({"event", "facilitators", "--room", "1", "--lead", hub.id(hannah)}).err, Catch::Contains("Hub staff"));
    CHECK_THAT(hub.run({"event", "facilitators", "--room", "1", "--co", hub.id(kwame)}).err, Catch::Contains("--co needs --lead"));
    CHECK_THAT(hub.run({"event", "facilitators", "--room", "1", "--lead", hub.id(kwame), "--co", "x"}).err,
               Catch::Contains("'x' is not a participant id"));
    CHECK_THAT(hub.run({"event", "facilitators", "--room", "99"}).err, Catch::Contains("no room 99"));
    hub.open()->exec("UPDATE participants SET withdrawn_ms = 1780000000000 WHERE trn = '" + grace + "'");
    CHECK_THAT(hub.run({"event", "facilitators", "--room", "1", "--lead", hub.id(grace)}).err, Catch::Contains("withdrew"));

    auto cleared = hub.run({"event", "facilitators", "--room", "3", "--clear"});
    REQUIRE(cleared.code == 0);
    CHECK_THAT(cleared.out, Catch::Contains("no longer facilitates here (still enrolled"));
    CHECK(store::room_facilitator_list(*hub.open(), 3).empty());
}
