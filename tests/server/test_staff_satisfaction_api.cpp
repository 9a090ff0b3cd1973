// handle_staff_satisfaction as a function (no server): a StaffRequest built by hand, as
// StaffApi hands it over after its checks. Every event with answers, one event's figure
// (with none too), the figure against 90 % with exactly 90 % meeting it, and refusals.
#include "test_hub.hpp"

#include "staff_routes.hpp"

#include "muster/staff/staff_password.hpp"
#include "muster/store/satisfaction_store.hpp"
#include "muster/store/staff_store.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdio>

using namespace muster;
using namespace muster::server;
namespace json = boost::json;

namespace {

struct Api {
    test::TestHub hub{uk_time::from_local({2025, 10, 1, 10, 0, 0})};
    EventId quiet = store::create_event(*hub.db, {"ect-y1", "clinic-1", 2025, "2025-11-12", "Leeds", 0, 10});
    std::FILE* sink = std::tmpfile();
    log::Logger log{log::Level::info, sink};
    store::StaffIdentity who;
    int made = 0;

    Api() {
        auto added = store::add_staff(*hub.db, {"Ann Example", "ann@hub.example.org", store::StaffRole::staff},
                                      "a long enough password", 0, staff::test_cost, std::nullopt);
        who = {*added.id, "Ann Example", store::StaffRole::staff};
    }
    ~Api() { std::fclose(sink); }

    void give(int n, SatisfactionAnswerKind kind) {
        for (int i = 0; i < n; ++i) {
            char uuid[40];
            std::snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", ++made);
            sync::SatisfactionAnswer a{uuid, hub.event, std::nullopt, kind, 486'000LL * 3'600'000};
            REQUIRE(store::store_satisfaction_answer(*hub.db, a) == store::AnswerIntake::stored);
        }
    }
    std::optional<ApiResponse> call(std::string method, std::string target) {
        ApiRequest http{std::move(method), std::move(target), {}, {}};
        std::string_view path = http.target;
        StaffRequest r{http, path, {}, who, *hub.db, log, nullptr, 0};
        return handle_staff_satisfaction(r);
    }
    json::object json_of(const std::optional<ApiResponse>& res) {
        REQUIRE(res);
        return json::parse(res->body).as_object();
    }
};

}  // namespace

TEST_CASE("staff satisfaction API gives every event with answers and its figure against 90 percent", "[server][satisfaction]") {
    Api api;
    api.give(9, SatisfactionAnswerKind::agree);
    api.give(1, SatisfactionAnswerKind::not_sure);
    auto res = api.call("GET", "/staff/api/satisfaction");
    REQUIRE(res->status == HttpStatus::ok);
    auto o = api.json_of(res);
    CHECK(o["target_percent"].as_int64() == 90);
    auto& events = o["events"].as_array();
    REQUIRE(events.size() == 1);  // the clinic has no answers
    auto& f = events[0].as_object();
    CHECK(f["event_id"].as_int64() == api.hub.event);
    CHECK(f["answers"].as_int64() == 10);
    CHECK(f["agree"].as_int64() == 9);
    CHECK(f["not_sure"].as_int64() == 1);
    CHECK(f["disagree"].as_int64() == 0);
    CHECK(f["agree_tenths_percent"].as_int64() == 900);
    CHECK(f["meets_target"].as_bool());
    CHECK(f["local_date"].as_string() == "2025-10-01");

    api.give(1, SatisfactionAnswerKind::disagree);  // 9 of 11: 81.8 %
    auto one = api.json_of(api.call("GET", "/staff/api/satisfaction/" + std::to_string(api.hub.event)));
    CHECK(one["event"].as_object()["agree_tenths_percent"].as_int64() == 818);
    CHECK_FALSE(one["event"].as_object()["meets_target"].as_bool());
}

TEST_CASE("staff satisfaction API shows an event without answers as such and refuses what it does not serve", "[server][satisfaction]") {
    Api api;
    auto quiet = api.call("GET", "/staff/api/satisfaction/" + std::to_string(api.quiet));
    REQUIRE(quiet->status == HttpStatus::ok);
    auto e = api.json_of(quiet)["event"].as_object();
    CHECK(e["answers"].as_int64() == 0);
    CHECK(e["agree_tenths_percent"].is_null());
    CHECK_FALSE(e["meets_target"].as_bool());
    CHECK(api.json_of(api.call("GET", "/staff/api/satisfaction"))["events"].as_array().empty());

    CHECK(api.call("GET", "/staff/api/satisfaction/99999")->status == HttpStatus::not_found);
    CHECK(api.call("GET", "/staff/api/satisfaction/abc")->status == HttpStatus::not_found);
    CHECK(api.call("POST", "/staff/api/satisfaction")->status == HttpStatus::method_not_allowed);
    CHECK_FALSE(api.call("GET", "/staff/api/satisfactionx"));
    CHECK_FALSE(api.call("GET", "/staff/api/events"));
}
