// handle_staff_schools as a function (no server): a StaffRequest built by hand, as StaffApi
// hands it over after its checks. The schools of an event, a school's report as JSON and as
// a CSV download, the notice draft, marking it sent (201, then 200 already, 409 for a draft
// changed since it was reviewed), the record of notices, and refusals.
#include "school_test_hub.hpp"

#include "staff_routes.hpp"

#include "muster/staff/staff_password.hpp"
#include "muster/store/staff_store.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdio>

using namespace muster;
using namespace muster::server;
namespace json = boost::json;

namespace {

struct Api {
    test::SchoolHub h;
    std::FILE* sink = std::tmpfile();
    log::Logger log{log::Level::info, sink};
    store::StaffIdentity who;

    Api() {
        h.usual_day();
        auto added = store::add_staff(*h.hub.db, {"Ann Example", "ann@hub.example.org", store::StaffRole::staff},
                                      "a long enough password", h.after, staff::test_cost, std::nullopt);
        who = {*added.id, "Ann Example", store::StaffRole::staff};
    }
    ~Api() { std::fclose(sink); }

    std::optional<ApiResponse> call(std::string method, std::string target, std::string body = {}) {
        ApiRequest http{std::move(method), std::move(target), {}, std::move(body)};
        auto q = http.target.find('?');
        std::string_view path = std::string_view(http.target).substr(0, q);
        std::string_view query = q == std::string::npos ? std::string_view() : std::string_view(http.target).substr(q + 1);
        StaffRequest r{http, path, query, who, *h.hub.db, log, nullptr, h.after};
        return handle_staff_schools(r);
    }
    json::object json_of(const std::optional<ApiResponse>& res) {
        REQUIRE(res);
        return json::parse(res->body).as_object();
    }
};

std::string header_of(const ApiResponse& r, std::string_view name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return {};
}

}  // namespace

TEST_CASE("staff schools API lists an event's schools and gives a school's report as JSON and CSV", "[server][schools]") {
    Api api;
    const std::string ev = std::to_string(api.h.hub.event);

    auto list = api.call("GET", "/staff/api/schools?event=" + ev);
    REQUIRE(list->status == HttpStatus::ok);
    auto l = api.json_of(list);
    CHECK(l["event"].as_object()["held"].as_bool());
    auto& schools = l["schools"].as_array();
    REQUIRE(schools.size() == 2);
    CHECK(schools[0].as_object()["urn"].as_string() == "123456");
    CHECK(schools[0].as_object()["absent"].as_int64() == 1);
    CHECK(schools[0].as_object()["to_tell"].as_int64() == 2);

    auto one = api.call("GET", "/staff/api/schools/123456?event=" + ev);
    REQUIRE(one->status == HttpStatus::ok);
    auto o = api.json_of(one);
    CHECK(o["school_name"].as_string() == "Oakfield Junior School");
    CHECK(o["induction_tutors"].as_array().at(0).as_string() == "Tomos Price");
    auto& people = o["people"].as_array();
    REQUIRE(people.size() == 2);
    auto& zoe = people[1].as_object();
    CHECK(zoe["status"].as_string() == "left_early");
    CHECK(zoe["missed_sessions"].as_array().at(0).as_string() == "Afternoon");
    CHECK(zoe["progress"].as_object()["plan"].as_string() == "ECT year 1");
    CHECK(one->body.find("2345678") == std::string::npos);  // no TRN on the page
    CHECK(one->body.find("@") == std::string::npos);        // nor an email

    auto csv = api.call("GET", "/staff/api/schools/234567.csv?event=" + ev);
    REQUIRE(csv->status == HttpStatus::ok);
    CHECK(csv->content_type == "text/csv; charset=utf-8");
    CHECK(header_of(*csv, "Content-Disposition") == "attachment; filename=\"school-234567-event-" + ev + ".csv\"");
    CHECK(csv->body.rfind("\xEF\xBB\xBF" "event_id,", 0) == 0);
    CHECK(csv->body.find("\"=\"\"3456789\"\"\",Rhys,Jones,ect,yes,late,") != std::string::npos);

    CHECK(api.call("GET", "/staff/api/schools?event=999")->status == HttpStatus::not_found);
    CHECK(api.call("GET", "/staff/api/schools/12345?event=" + ev)->status == HttpStatus::not_found);
    auto no_event = api.call("GET", "/staff/api/schools");
    CHECK(no_event->status == HttpStatus::bad_request);
    CHECK(api.json_of(no_event).contains("problem"));
    CHECK(api.call("POST", "/staff/api/schools?event=" + ev, "{}")->status == HttpStatus::method_not_allowed);
    CHECK_FALSE(api.call("GET", "/staff/api/events"));  // not this handler's path
}

TEST_CASE("staff notices API drafts, marks sent once and refuses a draft changed since review", "[server][schools]") {
    Api api;
    const std::string ev = std::to_string(api.h.hub.event);

    auto draft = api.json_of(api.call("GET", "/staff/api/notices/draft?event=" + ev + "&urn=123456"));
    CHECK(draft["anything_to_send"].as_bool());
    CHECK(draft["held"].as_bool());
    CHECK(draft["addressed_to"].as_string() == "Tomos Price");
    std::string version(draft["version"].as_string());
    std::string text(draft["text"].as_string());
    CHECK(text.find("Siân O'Brien (ECT): absent") != std::string::npos);

    auto body = [&](const std::string& v) {
        return json::serialize(json::object{{"event_id", api.h.hub.event}, {"urn", "123456"}, {"version", v}});
    };
    auto sent = api.call("POST", "/staff/api/notices", body(version));
    REQUIRE(sent->status == HttpStatus::created);
    auto s = api.json_of(sent);
    CHECK(s["result"].as_string() == "recorded");
    CHECK(s["notice"].as_object()["text"].as_string() == text);
    CHECK(s["notice"].as_object()["author"].as_string() == "Ann Example");
    CHECK(s["notice"].as_object()["staff_id"].as_int64() == api.who.id);

    auto again = api.call("POST", "/staff/api/notices", body(version));
    CHECK(again->status == HttpStatus::ok);
    CHECK(api.json_of(again)["result"].as_string() == "already");

    // Nothing new now; then Zoë's absence is excused: a new draft about her, and the old
    // version of it (reviewed before Siân's was excused too) is refused with the current one.
    auto none = api.json_of(api.call("GET", "/staff/api/notices/draft?event=" + ev + "&urn=123456"));
    CHECK_FALSE(none["anything_to_send"].as_bool());
    CHECK(none["left_out"].as_array().size() == 2);
    api.h.mark(api.h.zoe, AttendanceStatus::excused);
    auto update = api.json_of(api.call("GET", "/staff/api/notices/draft?event=" + ev + "&urn=123456"));
    REQUIRE(update["lines"].as_array().size() == 1);
    api.h.mark(api.h.sian, AttendanceStatus::excused);
    auto stale = api.call("POST", "/staff/api/notices", body(std::string(update["version"].as_string())));
    CHECK(stale->status == HttpStatus::conflict);
    auto st = api.json_of(stale);
    CHECK(st["code"].as_string() == "changed");
    CHECK(st["draft"].as_object()["lines"].as_array().size() == 2);

    auto list = api.json_of(api.call("GET", "/staff/api/notices?event=" + ev));
    REQUIRE(list["notices"].as_array().size() == 1);
    CHECK(list["notices"].as_array()[0].as_object()["people"].as_array().size() == 2);

    CHECK(api.call("POST", "/staff/api/notices", "not json")->status == HttpStatus::bad_request);
    CHECK(api.call("POST", "/staff/api/notices", body("short"))->status == HttpStatus::bad_request);
    CHECK(api.call("GET", "/staff/api/notices/draft?event=" + ev + "&urn=12")->status == HttpStatus::bad_request);
    CHECK(api.call("GET", "/staff/api/notices/draft?event=999&urn=123456")->status == HttpStatus::not_found);
    CHECK(api.call("DELETE", "/staff/api/notices")->status == HttpStatus::method_not_allowed);
}
