// The staff pages' deliveries API (handle_staff_central, docs/staff.md "Deliveries") over the
// real server: the outbox is made through the store's own functions on the hub file (targets
// registered, the demo event settled and signed off, the worker's claim and results for one
// target with one rejection), then read and retried as the page does. Refusals change
// nothing.
#include "staff_fixture.hpp"

#include "muster/store/central_outbox.hpp"
#include "muster/store/reconciliation_store.hpp"
#include "muster/util/uuid.hpp"

using namespace muster;
using namespace muster::test;

namespace {

constexpr EventId demo_event = 1;

// The hub with two targets, the demo event signed off (its records queued for both), and the
// "crm" target's first attempt made: every record delivered but one, rejected with a 422.
struct Outbox {
    StaffServer s;
    std::int64_t rejected_id = 0;
    std::string rejected_name;
    int records = 0;

    Outbox() {
        s.add("Ann Admin", "ann@hub.example.org", "admin");
        s.add("Bo Staff", "bo@hub.example.org", "staff");
        auto db = s.hub_db();
        const TimeMs later = uk_time::now_ms() + 2 * 86'400'000LL;  // the demo event is held by then
        const std::vector<store::CentralTarget> targets{{"crm", store::TargetKind::https}, {"files", store::TargetKind::csv}};
        store::register_central_targets(*db, targets, later);

        // Every unsettled row settled (absent), then the sign-off, which queues the records.
        auto rec = store::load_reconciliation(*db, demo_event, later, store::Histories::counts);
        REQUIRE(rec);
        std::vector<store::StaffCorrection> settle;
        for (const auto& row : rec->rows) {
            if (!row.unsettled) continue;
            store::StaffCorrection c;
            c.uuid = new_uuid(later);
            c.action = store::StaffAction::absent;
            c.event_id = demo_event;
            c.participant_id = row.participant_id;
            c.reason = "no show";
            settle.push_back(std::move(c));
        }
        const store::CorrectionAuthor ann{std::nullopt, "Ann Admin"};
        if (!settle.empty())
            for (const auto& res : store::record_staff_corrections(*db, ann, settle, later))
                REQUIRE(res.outcome == store::CorrectionOutcome::stored);
        REQUIRE(store::sign_off_event(*db, demo_event, ann, "", later + 1).outcome == store::SignOffOutcome::signed_off);

        // The worker's side for "crm": claim everything, deliver all but the first.
        auto items = store::claim_due_deliveries(*db, "crm", 10'000, later + 2);
        REQUIRE(items.size() >= 2);
        records = static_cast<int>(items.size());
        std::vector<store::DeliveryResult> results;
        for (const auto& item : items) {
            store::DeliveryResult r;
            r.delivery_id = item.delivery_id;
            if (results.empty()) {
                r.kind = store::DeliveryResult::Kind::rejected;
                r.http_status = 422;
                r.error = "field attendance_status: not an allowed value";
                rejected_id = item.delivery_id;
            } else {
                r.kind = store::DeliveryResult::Kind::delivered;
                r.http_status = 201;
                r.remote_id = "crm-" + std::to_string(item.delivery_id);
            }
            results.push_back(std::move(r));
        }
        store::record_delivery_results(*db, results, later + 3);
        auto entries = store::event_deliveries(*db, demo_event);  // kept: a range-for over *temporary would dangle
        REQUIRE(entries);
        for (const auto& d : *entries)
            if (d.delivery_id == rejected_id) rejected_name = d.full_name;
        REQUIRE_FALSE(rejected_name.empty());
    }

    std::optional<store::RecordDelivery> entry(std::int64_t id) const {
        auto db = s.hub_db();
        auto entries = store::event_deliveries(*db, demo_event);
        if (entries)
            for (auto& d : *entries)
                if (d.delivery_id == id) return d;
        return std::nullopt;
    }
    std::string retry_body() const { return json::serialize(json::object{{"delivery_id", rejected_id}}); }
    std::map<std::string, std::string> json_type() const { return {{"Content-Type", "application/json"}}; }
};

const json::object* target_in(const json::array& list, std::string_view name) {
    for (const auto& t : list)
        if (t.at("target").as_string() == name) return &t.as_object();
    return nullptr;
}

}  // namespace

TEST_CASE("The deliveries status lists the signed-off event's counts per target and the totals", "[server][staff][central]") {
    Outbox o;
    auto bo = o.s.login("bo@hub.example.org");  // any staff account reads it
    auto r = o.s.get("/staff/api/central", bo.cookie);
    INFO(r.body);
    REQUIRE(r.status == 200);
    check_security_headers(r);
    auto body = body_of(r);

    auto* crm_total = target_in(body.at("totals").as_array(), "crm");
    auto* files_total = target_in(body.at("totals").as_array(), "files");
    REQUIRE(crm_total);
    REQUIRE(files_total);
    CHECK(crm_total->at("kind").as_string() == "https");
    CHECK(crm_total->at("counts").at("delivered").as_int64() == o.records - 1);
    CHECK(crm_total->at("counts").at("rejected").as_int64() == 1);
    CHECK(files_total->at("kind").as_string() == "csv");
    CHECK(files_total->at("counts").at("pending").as_int64() == o.records);

    const auto& events = body.at("events").as_array();
    REQUIRE(events.size() == 1);
    const auto& e = events[0].as_object();
    CHECK(e.at("event_id").as_int64() == demo_event);
    CHECK(e.at("records").as_int64() == o.records);
    CHECK(e.at("rejected").as_int64() == 1);
    CHECK(e.at("signed_off_ms").is_int64());
    CHECK(e.at("signed_off_local").is_string());
    auto* crm = target_in(e.at("targets").as_array(), "crm");
    REQUIRE(crm);
    CHECK(crm->at("counts").at("delivered").as_int64() == o.records - 1);
    CHECK(crm->at("counts").at("rejected").as_int64() == 1);
    CHECK(crm->at("counts").at("pending").as_int64() == 0);
}

TEST_CASE("An event's deliveries list every entry with its state, error and remote id", "[server][staff][central]") {
    Outbox o;
    auto ann = o.s.login("ann@hub.example.org");
    auto r = o.s.get("/staff/api/events/1/deliveries", ann.cookie);
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto body = body_of(r);
    CHECK(body.at("event").at("id").as_int64() == demo_event);
    const auto& entries = body.at("entries").as_array();
    CHECK(entries.size() == static_cast<std::size_t>(2 * o.records));  // one per record per target
    int rejected = 0, delivered = 0, pending = 0;
    for (const auto& v : entries) {
        const auto& d = v.as_object();
        auto state = d.at("state").as_string();
        CHECK(d.at("version").as_int64() == 1);
        CHECK_FALSE(d.at("correction").as_bool());
        CHECK(d.at("retried_by").is_null());
        if (state == "rejected") {
            ++rejected;
            CHECK(d.at("delivery_id").as_int64() == o.rejected_id);
            CHECK(d.at("name").as_string() == o.rejected_name);
            CHECK(d.at("target").as_string() == "crm");
            CHECK(d.at("last_status").as_int64() == 422);
            CHECK(d.at("last_error").as_string() == "field attendance_status: not an allowed value");
            CHECK(d.at("attempts").as_int64() == 1);
            CHECK(d.at("remote_id").is_null());
        } else if (state == "delivered") {
            ++delivered;
            CHECK(d.at("remote_id").as_string() == "crm-" + std::to_string(d.at("delivery_id").as_int64()));
            CHECK(d.at("delivered_local").is_string());
        } else if (state == "pending") {
            ++pending;
            CHECK(d.at("target").as_string() == "files");
            CHECK(d.at("next_attempt_ms").is_int64());
        }
    }
    CHECK(rejected == 1);
    CHECK(delivered == o.records - 1);
    CHECK(pending == o.records);

    auto none = o.s.get("/staff/api/events/9999/deliveries", ann.cookie);
    CHECK(none.status == 404);
    CHECK(code_of_reply(none) == "not_found");
    CHECK(o.s.get("/staff/api/events/abc/deliveries", ann.cookie).status == 404);
    CHECK(o.s.get("/staff/api/central/nothing", ann.cookie).status == 404);
    CHECK(o.s.get("/staff/api/events/1/deliveries", "").status == 401);
}

TEST_CASE("A retry makes the rejected entry pending again and says who asked", "[server][staff][central]") {
    Outbox o;
    auto bo = o.s.login("bo@hub.example.org");  // a staff account, not only admins, may retry
    auto r = o.s.post("/staff/api/central/retry", bo, o.retry_body(), o.json_type());
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(body_of(r).at("retried").as_int64() == 1);
    auto e = o.entry(o.rejected_id);
    REQUIRE(e);
    CHECK(e->state == store::DeliveryState::pending);
    CHECK(e->retried_by == std::optional<std::string>("Bo Staff"));
    CHECK(e->attempts == 1);  // kept: the retry is a person's, not another attempt

    auto list = o.s.get("/staff/api/events/1/deliveries", bo.cookie);
    INFO(list.status << " " << list.body.substr(0, 200));
    REQUIRE(list.status == 200);
    bool seen = false;
    const auto listed = body_of(list);
    for (const auto& v : listed.at("entries").as_array())
        if (v.at("delivery_id").as_int64() == o.rejected_id) {
            seen = true;
            CHECK(v.at("state").as_string() == "pending");
            CHECK(v.at("retried_by").as_string() == "Bo Staff");
        }
    CHECK(seen);

    // Nothing rejected is left: the same retry, or the event's, retries nothing.
    auto again = o.s.post("/staff/api/central/retry", bo, o.retry_body(), o.json_type());
    INFO(again.status << " " << again.body);
    REQUIRE(again.status == 200);
    CHECK(body_of(again).at("retried").as_int64() == 0);
    auto event = o.s.post("/staff/api/central/retry", bo, R"({"event_id": 1, "target": "crm"})", o.json_type());
    REQUIRE(event.status == 200);
    CHECK(body_of(event).at("retried").as_int64() == 0);
}

TEST_CASE("A retry of the whole event retries every rejected entry of it", "[server][staff][central]") {
    Outbox o;
    auto ann = o.s.login("ann@hub.example.org");
    auto r = o.s.post("/staff/api/central/retry", ann, R"({"event_id": 1})", o.json_type());
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(body_of(r).at("retried").as_int64() == 1);
    CHECK(o.entry(o.rejected_id)->retried_by == std::optional<std::string>("Ann Admin"));
}

TEST_CASE("Retries without the CSRF token, with a forged cookie, by GET or with a bad body change nothing", "[server][staff][central]") {
    Outbox o;
    auto bo = o.s.login("bo@hub.example.org");
    auto still_rejected = [&] {
        auto e = o.entry(o.rejected_id);
        REQUIRE(e);
        CHECK(e->state == store::DeliveryState::rejected);
        CHECK_FALSE(e->retried_by);
    };

    // No CSRF token: the session's cookie alone does not retry.
    auto no_csrf = http_request(o.s.port(), "POST", "/staff/api/central/retry", o.retry_body(),
                                {{"Cookie", "muster_staff=" + bo.cookie}, {"Origin", o.s.origin()}, {"Content-Type", "application/json"}});
    CHECK(no_csrf.status == 403);
    CHECK(code_of_reply(no_csrf) == "csrf");
    still_rejected();
    // Another session's token.
    auto ann = o.s.login("ann@hub.example.org");
    StaffSession mixed{bo.cookie, ann.csrf, bo.id};
    CHECK(o.s.post("/staff/api/central/retry", mixed, o.retry_body(), o.json_type()).status == 403);
    still_rejected();
    // A forged cookie (the real one with a character changed: no such session) with the token
    // that cookie would have.
    std::string fake = bo.cookie;
    fake[0] = fake[0] == 'A' ? 'B' : 'A';
    StaffSession forged{fake, staff::csrf_token_for(fake), 0};
    auto f = o.s.post("/staff/api/central/retry", forged, o.retry_body(), o.json_type());
    CHECK(f.status == 401);
    still_rejected();
    // Another origin.
    auto cross = o.s.post("/staff/api/central/retry", bo, o.retry_body(),
                          {{"Origin", "https://evil.example"}, {"Content-Type", "application/json"}});
    CHECK(cross.status == 403);
    still_rejected();
    // The wrong method.
    auto by_get = o.s.get("/staff/api/central/retry", bo.cookie);
    CHECK(by_get.status == 405);
    CHECK(by_get.headers["allow"] == "POST");
    CHECK(o.s.post("/staff/api/central", bo, "{}", o.json_type()).status == 405);
    CHECK(o.s.post("/staff/api/events/1/deliveries", bo, "{}", o.json_type()).status == 405);
    still_rejected();

    // Bodies that are not a retry: 400 invalid with the problem in words.
    for (const char* bad : {"not json", "[1]", "{}", R"({"delivery_id": "12"})", R"({"delivery_id": -1})",
                            R"({"delivery_id": 0})", R"({"event_id": 1.5})", R"({"event_id": 1, "target": "CRM <b>"})",
                            R"({"deliveryId": 1})", R"({"event_id": 1, "everything": true})"}) {
        INFO(bad);
        auto r = o.s.post("/staff/api/central/retry", bo, bad, o.json_type());
        CHECK(r.status == 400);
        CHECK(code_of_reply(r) == "invalid");
        CHECK_FALSE(std::string(body_of(r).at("problem").as_string()).empty());
    }
    // Not JSON's content type: StaffApi's own refusal.
    CHECK(o.s.post("/staff/api/central/retry", bo, o.retry_body(), {{"Content-Type", "text/plain"}}).status == 415);
    still_rejected();
}
