// /staff/api/facilitators and its CSV over the real server (docs/facilitators.md): the JSON
// grouped by school, the CSV as a download with the staff headers, 400 for bad filters,
// 401 without a session, 405 for a write.
#include "staff_fixture.hpp"

#include "muster/csv/csv_reader.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"

using namespace muster;
using namespace muster::test;

namespace {

// The demo hub, plus the same conference three days ago (held) in two rooms: room 1's lead
// facilitator scanned into the morning.
struct FacilitatorServer : StaffServer {
    std::string day = uk_time::format_date(uk_time::now_ms() - 3 * 86'400'000LL);
    ParticipantId lead = 0;
    std::string urn, name;
    EventId event = 0;

    FacilitatorServer() {
        auto db = hub_db();
        event = store::create_event(*db, {"ect-y1", "conference-1", 2025, day, "Leeds", 2, 10});
        auto e = store::load_event(*db, event);
        auto listed = store::room_facilitators(*db, e->rooms.at(0).id);
        REQUIRE_FALSE(listed.empty());
        lead = listed.front();
        auto p = store::find_participant(*db, lead);
        urn = p->school_urn.value_or("");
        name = p->full_name();
        CheckIn c;
        c.uuid = "fac-scan-1";
        c.device_id = "room-1";
        c.device_seq = 900001;
        c.participant_id = lead;
        c.event_id = event;
        c.session_id = e->sessions.at(0).id;
        c.room_id = e->rooms.at(0).id;
        c.device_ms = e->sessions.at(0).starts_ms - 5 * 60'000LL;
        REQUIRE(store::insert_check_in(*db, c, false));
    }
};

}  // namespace

TEST_CASE("The facilitators API gives the delivered sessions by school as JSON", "[server][staff][facilitators]") {
    FacilitatorServer s;
    s.add("Sam Staff", "sam@hub.example.org", "staff");
    auto session = s.login("sam@hub.example.org");
    auto r = s.get("/staff/api/facilitators?from=" + s.day + "&to=" + s.day + "&school=", session.cookie);
    INFO(r.body);
    REQUIRE(r.status == 200);
    check_security_headers(r);
    auto body = body_of(r);
    CHECK(body.at("from").as_string() == s.day);
    CHECK(body.at("school").is_null());  // an empty field is no filter
    CHECK(body.at("facilitators").as_int64() == 1);
    CHECK(body.at("sessions").as_int64() == 1);
    const auto& schools = body.at("schools").as_array();
    REQUIRE(schools.size() == 1);
    const auto& school = schools.at(0).as_object();
    CHECK(school.at("urn").as_string() == s.urn);
    CHECK(school.at("sessions").as_int64() == 1);
    const auto& f = school.at("facilitators").as_array().at(0).as_object();
    CHECK(f.at("participant_id").as_int64() == s.lead);
    CHECK(f.at("name").as_string() == s.name);
    const auto& session0 = f.at("sessions").as_array().at(0).as_object();
    CHECK(session0.at("event_id").as_int64() == s.event);
    CHECK(session0.at("date").as_string() == s.day);
    CHECK(session0.at("room").as_string() == "Room 1");
    CHECK(session0.at("lead").as_bool());
    CHECK(session0.at("part").as_string() == "Morning");
    CHECK(session0.at("evidence").as_string() == "scan");
    CHECK(session0.at("signed_off").as_bool() == false);

    // Another school's facilitators only: nobody.
    std::string other = s.urn == "999999" ? "999998" : "999999";
    auto none = s.get("/staff/api/facilitators?school=" + other, session.cookie);
    REQUIRE(none.status == 200);
    CHECK(body_of(none).at("schools").as_array().empty());
    // Today's demo event is not over: the range of today alone has nothing.
    auto today = uk_time::format_date(uk_time::now_ms());
    CHECK(body_of(s.get("/staff/api/facilitators?from=" + today, session.cookie)).at("sessions").as_int64() == 0);
}

TEST_CASE("The facilitators CSV is a download with the staff headers", "[server][staff][facilitators]") {
    FacilitatorServer s;
    s.add("Sam Staff", "sam@hub.example.org", "staff");
    auto session = s.login("sam@hub.example.org");
    auto r = s.get("/staff/api/facilitators.csv?from=" + s.day + "&school=" + s.urn, session.cookie);
    REQUIRE(r.status == 200);
    check_security_headers(r);
    CHECK(r.headers["content-type"] == "text/csv; charset=utf-8");
    CHECK(r.headers["content-disposition"] == "attachment; filename=\"facilitators-" + s.urn + "-from-" + s.day + ".csv\"");
    REQUIRE(r.body.rfind("\xEF\xBB\xBF" "facilitator_id,facilitator,school_urn,", 0) == 0);
    csv::Reader reader(r.body);
    reader.next();
    auto row = reader.next();
    REQUIRE(row);
    CHECK(row->fields.at(0) == std::to_string(s.lead));
    CHECK(row->fields.at(2) == "=\"" + s.urn + "\"");
    CHECK(row->fields.at(13) == "scan");
    CHECK_FALSE(reader.next());
}

TEST_CASE("The facilitators API refuses bad filters, a write, and a request without a session", "[server][staff][facilitators]") {
    FacilitatorServer s;
    s.add("Sam Staff", "sam@hub.example.org", "staff");
    auto session = s.login("sam@hub.example.org");
    for (std::string q : {"from=2025-02-30", "to=yesterday", "from=2025-10-02&to=2025-10-01", "school=12345",
                          "school=%3Cb%3E", "from=2025-10-01%27%20OR%201=1"}) {
        for (std::string path : {"/staff/api/facilitators?", "/staff/api/facilitators.csv?"}) {
            auto r = s.get(path + q, session.cookie);
            INFO(path + q);
            CHECK(r.status == 400);
            CHECK(code_of_reply(r) == "invalid");
            CHECK_FALSE(std::string(body_of(r).at("problem").as_string()).empty());
        }
    }
    CHECK(std::string(body_of(s.get("/staff/api/facilitators?from=2025-02-30", session.cookie)).at("problem").as_string())
              .rfind("from:", 0) == 0);

    auto post = s.post("/staff/api/facilitators", session, "{}", {{"Content-Type", "application/json"}});
    CHECK(post.status == 405);

    auto anonymous = s.get("/staff/api/facilitators", "");
    CHECK(anonymous.status == 401);
    CHECK(s.get("/staff/api/facilitators.csv", "").status == 401);
    CHECK(s.get("/staff/api/facilitators", "forged-cookie-value").status == 401);
    // The page is behind the session too.
    CHECK(s.get("/staff/facilitators.html", "").status == 303);
    auto page = s.get("/staff/facilitators.html", session.cookie);
    CHECK(page.status == 200);
    check_security_headers(page);
    CHECK(page.body.find("facilitators.js") != std::string::npos);
}
