// Facilitators' delivered sessions (docs/facilitators.md) read from a real hub file: what
// counts (a counted entry scan in the session, a hub mark of present), what does not (an
// absent mark, a voided scan, a tablet's mark, a non-facilitator, a cancelled or unheld
// event), the filters, the grouping and the CSV.
#include "school_test_hub.hpp"

#include "muster/attendance/facilitator_report.hpp"
#include "muster/csv/csv_reader.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using namespace muster::test;
using attendance::FacilitatorReportQuery;

namespace {

struct FacilitatorHub : SchoolHub {
    ParticipantId kwame = hub.id_of_trn("5678901"), grace = hub.id_of_trn("6789012");

    std::vector<attendance::FacilitatorSessions> report(FacilitatorReportQuery q = {}) {
        return attendance::facilitator_report(*hub.db, q, after);
    }
    const attendance::FacilitatorSessions* of(const std::vector<attendance::FacilitatorSessions>& r, ParticipantId who) {
        for (const auto& f : r)
            if (f.participant_id == who) return &f;
        return nullptr;
    }
    std::string room_of(ParticipantId who) {
        auto s = hub.db->prepare("SELECT r.name FROM room_facilitators f JOIN rooms r ON r.id = f.room_id "
                                 "WHERE f.participant_id = ?1 AND r.event_id = ?2");
        return s.bind(1, who).bind(2, hub.event).query_one([](const db::Statement& r) { return r.text(0); }).value_or("");
    }
    void void_scan(const std::string& target) {
        Correction c;
        c.uuid = "void-" + std::to_string(++seq);
        c.kind = CorrectionKind::void_scan;
        c.target_uuid = target;
        c.participant_id = kwame;
        c.event_id = hub.event;
        c.reason = "scanned by mistake";
        c.author = "Hub Staff";
        c.created_ms = after;
        REQUIRE(store::insert_correction(*hub.db, c, false));
    }
    void move_school(ParticipantId who, const std::string& name, const std::string& urn) {
        auto s = hub.db->prepare("UPDATE participants SET school_name = ?2, school_urn = ?3 WHERE id = ?1");
        s.bind_all(who, name, urn).run();
    }
};

}  // namespace

TEST_CASE("a facilitator who scanned into the morning only delivered the morning", "[facilitators][engines]") {
    FacilitatorHub h;
    auto room = h.room_of(h.kwame);
    REQUIRE_FALSE(room.empty());
    h.enter(h.kwame, 0);
    auto r = h.report();
    REQUIRE(r.size() == 1);
    const auto& k = r.front();
    CHECK(k.participant_id == h.kwame);
    CHECK(k.full_name == "Kwame Mensah");
    CHECK(k.school_urn == "345678");
    CHECK(k.school_name == "Castleview School");
    REQUIRE(k.sessions.size() == 1);
    const auto& s = k.sessions.front();
    CHECK(s.part == h.session(0).name);
    CHECK(s.session_id == h.session(0).id);
    CHECK(s.evidence == "scan");
    CHECK(s.room_name == room);
    CHECK(s.lead);  // create_event gives each room a lead first
    CHECK(s.event_id == h.hub.event);
    CHECK(s.local_date == h.hub.loaded.local_date);
    CHECK(s.starts_ms == h.session(0).starts_ms);
    CHECK_FALSE(s.signed_off);
}

TEST_CASE("a hub staff mark of present counts every session as a staff mark", "[facilitators][engines]") {
    FacilitatorHub h;
    h.mark(h.kwame, AttendanceStatus::present, "forgot badge");
    auto r = h.report();
    const auto* k = h.of(r, h.kwame);
    REQUIRE(k);
    REQUIRE(k->sessions.size() == h.hub.loaded.sessions.size());
    REQUIRE(k->sessions.size() >= 2);
    for (const auto& s : k->sessions) CHECK(s.evidence == "staff mark");
    CHECK(k->sessions[0].part == h.session(0).name);
    CHECK(k->sessions[1].part == h.session(1).name);
    // With a morning scan as well, the morning's evidence is the scan.
    h.enter(h.kwame, 0);
    r = h.report();
    REQUIRE(h.of(r, h.kwame)->sessions.size() == h.hub.loaded.sessions.size());
    CHECK(h.of(r, h.kwame)->sessions[0].evidence == "scan");
    CHECK(h.of(r, h.kwame)->sessions[1].evidence == "staff mark");
}

TEST_CASE("a mark of absent or excused, or a voided scan, delivers nothing", "[facilitators][engines]") {
    FacilitatorHub h;
    h.enter(h.kwame, 0);
    h.enter(h.kwame, 1);
    REQUIRE(h.report().size() == 1);
    SECTION("absent") {
        h.mark(h.kwame, AttendanceStatus::absent, "sent a stand-in");
        CHECK(h.report().empty());
    }
    SECTION("excused") {
        h.mark(h.kwame, AttendanceStatus::excused);
        CHECK(h.report().empty());
    }
    SECTION("a later present mark wins over an earlier absent one") {
        h.mark(h.kwame, AttendanceStatus::absent);
        Correction c;
        c.uuid = "later";
        c.kind = CorrectionKind::mark;
        c.participant_id = h.kwame;
        c.event_id = h.hub.event;
        c.status = AttendanceStatus::present;
        c.reason = "was there after all";
        c.author = "Hub Staff";
        c.created_ms = h.after + 60'000;
        REQUIRE(store::insert_correction(*h.hub.db, c, false));
        REQUIRE(h.report().size() == 1);
        CHECK(h.report().front().sessions.size() == h.hub.loaded.sessions.size());
    }
}

TEST_CASE("a voided scan counts for nothing", "[facilitators][engines]") {
    FacilitatorHub h;
    auto scan = h.enter(h.kwame, 0);
    REQUIRE(h.report().size() == 1);
    h.void_scan(scan);
    CHECK(h.report().empty());
}

TEST_CASE("a register tablet's or a device's mark does not pay a facilitator", "[facilitators][engines]") {
    FacilitatorHub h;
    h.mark(h.kwame, AttendanceStatus::present, "forgot badge");
    SECTION("tablet") {
        h.hub.db->exec("UPDATE corrections SET register_link_id = 7 WHERE participant_id = " + std::to_string(h.kwame));
    }
    SECTION("device") {
        h.hub.db->exec("UPDATE corrections SET device_id = 'room-1' WHERE participant_id = " + std::to_string(h.kwame));
    }
    CHECK(h.report().empty());
}

TEST_CASE("a left-early mark counts the sessions scanned into, else the first", "[facilitators][engines]") {
    FacilitatorHub h;
    h.mark(h.kwame, AttendanceStatus::left_early, "left at lunch");
    auto r = h.report();
    REQUIRE(r.size() == 1);
    REQUIRE(r.front().sessions.size() == 1);
    CHECK(r.front().sessions.front().session_id == h.session(0).id);
    CHECK(r.front().sessions.front().evidence == "staff mark");
    h.enter(h.kwame, 1);
    r = h.report();
    REQUIRE(r.front().sessions.size() == 1);
    CHECK(r.front().sessions.front().session_id == h.session(1).id);
    CHECK(r.front().sessions.front().evidence == "scan");
}

TEST_CASE("only facilitators are in the report, an exit alone is no delivery", "[facilitators][engines]") {
    FacilitatorHub h;
    h.enter(h.sian, 0);
    h.enter(h.rhys, 1);
    h.mark(h.zoe, AttendanceStatus::present);
    CheckIn exit;
    exit.uuid = "exit-1";
    exit.device_id = "door";
    exit.device_seq = 999;
    exit.participant_id = h.grace;
    exit.event_id = h.hub.event;
    exit.session_id = h.session(1).id;
    exit.direction = Direction::exit;
    exit.outcome = Outcome::checked_out;
    exit.device_ms = h.session(1).starts_ms - 10 * 60'000LL;
    REQUIRE(store::insert_check_in(*h.hub.db, exit, false));
    CHECK(h.report().empty());
}

TEST_CASE("a facilitator by role who is enrolled counts without a room", "[facilitators][engines]") {
    FacilitatorHub h;
    Participant p;
    p.first_name = "Nia";
    p.last_name = "Roberts";
    p.role = Role::facilitator;
    p.school_name = "Hillside Academy";
    p.school_urn = "456789";
    auto nia = store::insert_participant(*h.hub.db, p, store::next_change(*h.hub.db));
    store::enrol(*h.hub.db, h.hub.event, nia, std::nullopt, store::next_change(*h.hub.db));
    h.enter(nia, 1);
    auto r = h.report();
    const auto* n = h.of(r, nia);
    REQUIRE(n);
    REQUIRE(n->sessions.size() == 1);
    CHECK(n->sessions.front().room_name.empty());
    CHECK_FALSE(n->sessions.front().lead);
}

TEST_CASE("a cancelled event or one not over yet delivers nothing", "[facilitators][engines]") {
    FacilitatorHub h;
    h.enter(h.kwame, 0);
    REQUIRE(h.report().size() == 1);
    // During the day (the morning under way) nothing is delivered yet.
    CHECK(attendance::facilitator_report(*h.hub.db, {}, h.session(0).ends_ms).empty());
    h.hub.db->exec("UPDATE events SET cancelled_ms = 1, cancel_reason = 'venue flooded' WHERE id = " +
                   std::to_string(h.hub.event));
    CHECK(h.report().empty());
}

TEST_CASE("the date range, school and facilitator filters", "[facilitators][engines]") {
    FacilitatorHub h;
    h.enter(h.kwame, 0);
    h.enter(h.grace, 1);
    const std::string day = h.hub.loaded.local_date;  // 2025-10-01
    CHECK(h.report({day, day, {}, {}}).size() == 2);
    CHECK(h.report({"2025-10-02", {}, {}, {}}).empty());
    CHECK(h.report({{}, "2025-09-30", {}, {}}).empty());
    CHECK(h.report({"2025-09-01", "2025-10-31", {}, {}}).size() == 2);
    CHECK(h.report({{}, {}, std::string("345678"), {}}).size() == 2);
    CHECK(h.report({{}, {}, std::string("234567"), {}}).empty());
    auto one = h.report({{}, {}, {}, h.grace});
    REQUIRE(one.size() == 1);
    CHECK(one.front().participant_id == h.grace);
}

TEST_CASE("the query's problems are named by field", "[facilitators]") {
    using attendance::query_problem;
    CHECK_FALSE(query_problem({}));
    CHECK_FALSE(query_problem({"2025-10-01", "2025-10-31", std::string("012345"), {}}));
    CHECK(query_problem({"2025-13-01", {}, {}, {}}).value_or("").rfind("from:", 0) == 0);
    CHECK(query_problem({"1 Oct", {}, {}, {}}).value_or("").rfind("from:", 0) == 0);
    CHECK(query_problem({{}, "2025-02-30", {}, {}}).value_or("").rfind("to:", 0) == 0);
    CHECK(query_problem({"2025-10-02", "2025-10-01", {}, {}}).value_or("").rfind("to:", 0) == 0);
    CHECK(query_problem({{}, {}, std::string("12345"), {}}).value_or("").rfind("school:", 0) == 0);
    CHECK(query_problem({{}, {}, std::string("12345a"), {}}).value_or("").rfind("school:", 0) == 0);
}

TEST_CASE("two facilitators of two schools are grouped by school, then name", "[facilitators][engines]") {
    FacilitatorHub h;
    h.move_school(h.grace, "Abbey Primary", "012345");
    h.enter(h.kwame, 0);
    h.enter(h.kwame, 1);
    h.enter(h.grace, 0);
    auto r = h.report();
    REQUIRE(r.size() == 2);
    CHECK(r[0].participant_id == h.grace);  // Abbey Primary before Castleview School
    CHECK(r[0].school_urn == "012345");
    CHECK(r[0].school_name == "Abbey Primary");
    CHECK(r[0].sessions.size() == 1);
    CHECK(r[1].participant_id == h.kwame);
    REQUIRE(r[1].sessions.size() == 2);
    CHECK(r[1].sessions[0].starts_ms < r[1].sessions[1].starts_ms);
}

TEST_CASE("the CSV opens in a spreadsheet with the URN intact and formulas neutralised", "[facilitators][csv][engines]") {
    FacilitatorHub h;
    h.move_school(h.grace, "=HYPERLINK(\"http://x\")", "012345");
    h.hub.db->exec("UPDATE participants SET first_name = '@Grace' WHERE id = " + std::to_string(h.grace));
    h.enter(h.grace, 0);
    h.mark(h.kwame, AttendanceStatus::present);
    h.hub.db->exec("INSERT INTO event_sign_offs (event_id, signed_off_ms, author) VALUES (" + std::to_string(h.hub.event) +
                   ", 1, 'Ann')");
    auto text = attendance::facilitator_report_csv(h.report());
    REQUIRE(text.rfind("\xEF\xBB\xBF" "facilitator_id,facilitator,school_urn,school,date,", 0) == 0);
    CHECK(text.find("\r\n") != std::string::npos);
    csv::Reader reader(text);
    auto header = reader.next();
    REQUIRE(header);
    REQUIRE(header->fields.size() == attendance::facilitator_report_columns().size());
    std::vector<csv::Record> rows;
    while (auto row = reader.next()) rows.push_back(*row);
    REQUIRE(rows.size() == 1 + h.hub.loaded.sessions.size());
    const auto& g = rows.front().fields;  // the "=HYPERLINK" school sorts first
    CHECK(g[0] == std::to_string(h.grace));
    CHECK(g[1] == "'@Grace Hughes");  // neutralised: a spreadsheet shows it as text
    CHECK(g[2] == "=\"012345\"");      // a spreadsheet shows 012345 as text
    CHECK(g[3] == "'=HYPERLINK(\"http://x\")");
    CHECK(g[4] == h.hub.loaded.local_date);
    CHECK(g[10] == h.session(0).name);
    CHECK(g[11] == uk_time::format_hhmm(h.session(0).starts_ms));
    CHECK(g[13] == "scan");
    CHECK(g[15] == "yes");
    CHECK(rows.back().fields[13] == "staff mark");
    CHECK(rows.back().fields[2] == "=\"345678\"");
}
