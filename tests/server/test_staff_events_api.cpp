// The staff events API (handle_staff_events, docs/reconciliation.md "The API") called as a
// function: a real hub database (TestHub), a StaffRequest built by hand. Routes, the JSON the
// pages read, corrections one at a time and as a selection (201 / 200 / 409 / 400 / 404 /
// 422), bad bodies, the admin-only sign-off, amendments and the audit, the change feed.
#include "staff_routes.hpp"

#include "test_hub.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/staff_store.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdio>
#include <functional>

using namespace muster;
using namespace muster::server;
namespace json = boost::json;

namespace {

constexpr const char* uuid1 = "0b6c2f1e-8a4d-4c3b-9f7e-1d2a3b4c5d6e";
constexpr const char* uuid2 = "1c7d3a2f-9b5e-4d4c-8a8f-2e3b4c5d6e7f";
constexpr const char* uuid3 = "2d8e4b3a-ac6f-4e5d-9b9a-3f4c5d6e7f80";
constexpr const char* uuid4 = "3e9f5c4b-bd7a-4f6e-8cab-4a5d6e7f8091";

// A hub with today's conference (morning began 30 minutes before `start`), a second run of
// the same element a week later, an admin and a staff account, and a logger that writes
// nowhere a test reads.
struct World {
    TimeMs start = uk_time::from_local({2026, 11, 12, 10, 0, 0});
    test::TestHub hub{start};
    EventId other = 0;
    store::StaffIdentity admin{}, staff{};
    std::FILE* devnull = std::fopen("/dev/null", "w");
    log::Logger log{log::Level::info, devnull};
    ChangeFeed feed;
    TimeMs later = start + 2 * 24 * 3'600'000LL;  // two days on: today's event is held
    int outbox_wakes = 0;  // the delivery worker's wake, as StaffApi passes it
    std::function<void()> wake = [this] { ++outbox_wakes; };

    World() {
        other = store::create_event(*hub.db, {"ect-y1", "conference-1", 2025, uk_time::format_date(start + 7 * 86'400'000LL),
                                              "Other venue", 2, 10});
        auto a = store::add_staff(*hub.db, {"Ann Admin", "ann@hub.example.org", store::StaffRole::admin},
                                  "correct horse battery", start, staff::test_cost, std::nullopt);
        auto s = store::add_staff(*hub.db, {"Bo Staff", "bo@hub.example.org", store::StaffRole::staff},
                                  "correct horse battery", start, staff::test_cost, std::nullopt);
        admin = {*a.id, "Ann Admin", store::StaffRole::admin};
        staff = {*s.id, "Bo Staff", store::StaffRole::staff};
    }
    ~World() { std::fclose(devnull); }

    void scan(const std::string& uuid, ParticipantId who, EventId event, TimeMs at, std::int64_t seq,
              Outcome outcome = Outcome::checked_in) {
        CheckIn c;
        c.uuid = uuid;
        c.device_id = "entrance-1";
        c.device_seq = seq;
        c.participant_id = who;
        c.event_id = event;
        c.session_id = hub.loaded.sessions.front().id;
        c.outcome = outcome;
        c.device_ms = at;
        REQUIRE(store::insert_check_in(*hub.db, c, false));
    }

    ApiResponse call(std::string method, std::string target, std::string body = "",
                     const store::StaffIdentity* who = nullptr, TimeMs now = 0) {
        ApiRequest http{std::move(method), target, {{"content-type", "application/json"}}, std::move(body)};
        auto q = target.find('?');
        std::string path = target.substr(0, q);
        StaffRequest r{http, path, q == std::string::npos ? std::string_view{} : std::string_view(target).substr(q + 1),
                       who ? *who : admin, *hub.db, log, &feed, now ? now : later, &wake};
        auto res = handle_staff_events(r);
        REQUIRE(res);
        return *res;
    }
    json::value get(const std::string& target) {
        auto res = call("GET", target);
        INFO(res.body);
        REQUIRE(res.status == HttpStatus::ok);
        return json::parse(res.body);
    }
};

std::string ev(EventId e, const char* tail = "") { return "/staff/api/events/" + std::to_string(e) + tail; }

const json::object* row_of(const json::value& rec, ParticipantId who) {
    for (const auto& r : rec.at("rows").as_array())
        if (r.at("participant_id").as_int64() == who) return &r.as_object();
    return nullptr;
}

std::string mark(const char* uuid, ParticipantId who, const char* action, const char* reason = "illness",
                 json::object extra = {}) {
    extra["uuid"] = uuid;
    extra["participant_id"] = who;
    extra["action"] = action;
    extra["reason"] = reason;
    return json::serialize(extra);
}

}  // namespace

TEST_CASE("staff events API: the event list and one event's reconciliation", "[staff_events]") {
    World w;
    auto rhys = w.hub.id_of_trn("3456789");
    w.scan("a0000000-0000-4000-8000-000000000001", rhys, w.hub.event, w.start - 20 * 60'000LL, 1);

    auto list = w.get("/staff/api/events");
    REQUIRE(list.at("events").as_array().size() == 2);
    const auto& today = list.at("events").as_array()[1].as_object();  // newest date first: the other run is later
    CHECK(today.at("id").as_int64() == w.hub.event);
    CHECK(today.at("held").as_bool());
    CHECK(today.at("signed_off").is_null());
    CHECK(today.at("expected").as_int64() >= 3);

    auto rec = w.get(ev(w.hub.event));
    CHECK(rec.at("event").at("id").as_int64() == w.hub.event);
    CHECK(rec.at("held").as_bool());
    auto* row = row_of(rec, rhys);
    REQUIRE(row);
    CHECK(row->at("name").as_string() == "Rhys Jones");
    CHECK(row->at("school").as_string() == "Brook Lane");
    CHECK(row->at("parts").as_array().size() == w.hub.loaded.sessions.size());
    CHECK(row->at("parts").as_array()[0].at("in_local").as_string() == "09:40");
    // The table's row counts its history but does not carry it (fetched when opened).
    CHECK(row->at("scan_count").as_int64() == 1);
    CHECK(row->at("correction_count").as_int64() == 0);
    CHECK_FALSE(row->contains("scans"));
    CHECK_FALSE(row->contains("corrections"));
    CHECK(rec.at("counts").as_array().size() == 7);  // every status listed

    CHECK(w.call("GET", ev(999)).status == HttpStatus::not_found);
    CHECK(w.call("GET", "/staff/api/events/abc").status == HttpStatus::not_found);
    CHECK(w.call("GET", "/staff/api/events/01").status == HttpStatus::not_found);
    CHECK(w.call("DELETE", ev(w.hub.event)).status == HttpStatus::method_not_allowed);
    CHECK(w.call("GET", ev(w.hub.event, "/corrections")).status == HttpStatus::method_not_allowed);
    // Not this handler's paths: StaffApi tries the next handler.
    ApiRequest http{"GET", "/staff/api/schools", {}, ""};
    StaffRequest other{http, "/staff/api/schools", "", w.admin, *w.hub.db, w.log, &w.feed, w.later};
    CHECK_FALSE(handle_staff_events(other));
    StaffRequest near{http, "/staff/api/eventsx", "", w.admin, *w.hub.db, w.log, &w.feed, w.later};
    CHECK_FALSE(handle_staff_events(near));
}

TEST_CASE("staff events API: a correction is stored once, a reused uuid conflicts, and the feed hears it", "[staff_events]") {
    World w;
    auto zoe = w.hub.id_of_trn("2345678");
    const auto before = w.feed.latest();
    auto r = w.call("POST", ev(w.hub.event, "/corrections"), mark(uuid1, zoe, "excused", "illness"), &w.staff);
    INFO(r.body);
    REQUIRE(r.status == HttpStatus::created);
    auto body = json::parse(r.body);
    CHECK(body.at("uuid").as_string() == uuid1);
    CHECK(body.at("outcome").as_string() == "stored");
    CHECK(w.feed.latest() > before);
    CHECK(w.feed.latest() == body.at("change").as_int64());

    // The retried POST: 200, nothing new.
    auto again = w.call("POST", ev(w.hub.event, "/corrections"), mark(uuid1, zoe, "excused", "illness"), &w.staff);
    CHECK(again.status == HttpStatus::ok);
    CHECK(json::parse(again.body).at("outcome").as_string() == "already");
    // The same uuid with other content.
    auto other = w.call("POST", ev(w.hub.event, "/corrections"), mark(uuid1, zoe, "absent", "no show"), &w.staff);
    CHECK(other.status == HttpStatus::conflict);
    CHECK(json::parse(other.body).at("code").as_string() == "conflict");

    auto rec = w.get(ev(w.hub.event));
    auto* row = row_of(rec, zoe);
    REQUIRE(row);
    CHECK(row->at("status").as_string() == "excused");
    CHECK_FALSE(row->at("unsettled").as_bool());
    CHECK(row->at("correction_count").as_int64() == 1);
    CHECK(row->at("mark_author").as_string() == "Bo Staff");
    CHECK(row->at("mark_reason").as_string() == "illness");
    auto history = w.get(ev(w.hub.event, "/participants/") + std::to_string(zoe));
    REQUIRE(history.at("corrections").as_array().size() == 1);
    CHECK(history.at("corrections").as_array()[0].at("author").as_string() == "Bo Staff");
}

TEST_CASE("staff events API: bad bodies are refused with the field named", "[staff_events]") {
    World w;
    auto zoe = w.hub.id_of_trn("2345678");
    auto post = [&](const std::string& body) { return w.call("POST", ev(w.hub.event, "/corrections"), body); };
    auto problem_of = [](const ApiResponse& r) { return std::string(json::parse(r.body).at("problem").as_string()); };

    CHECK(post("not json").status == HttpStatus::bad_request);
    CHECK(post("[1,2]").status == HttpStatus::bad_request);
    auto wrong_type = post(R"({"uuid": 5, "participant_id": 1, "action": "absent", "reason": "x"})");
    CHECK(wrong_type.status == HttpStatus::bad_request);
    CHECK(problem_of(wrong_type).find("uuid") != std::string::npos);
    auto wrong_id = post(R"({"uuid": "0b6c2f1e-8a4d-4c3b-9f7e-1d2a3b4c5d6e", "participant_id": "7", "action": "absent", "reason": "x"})");
    CHECK(wrong_id.status == HttpStatus::bad_request);
    auto huge = post(mark(uuid1, zoe, "absent", std::string(100'000, 'x').c_str()));
    CHECK(huge.status == HttpStatus::bad_request);
    CHECK(problem_of(huge).find("reason") != std::string::npos);
    auto action = post(mark(uuid1, zoe, "teleported"));
    CHECK(action.status == HttpStatus::bad_request);
    CHECK(problem_of(action).find("action") != std::string::npos);
    auto other_event = post(mark(uuid1, zoe, "absent", "x", json::object{{"event_id", w.other}}));
    CHECK(other_event.status == HttpStatus::bad_request);
    CHECK(post(R"({"items": []})").status == HttpStatus::bad_request);
    CHECK(post(R"({"items": "all"})").status == HttpStatus::bad_request);
    std::string deep(100, '[');
    CHECK(post(R"({"items": )" + deep + std::string(100, ']') + "}").status == HttpStatus::bad_request);
    // An empty reason reaches the store, which refuses it.
    CHECK(post(mark(uuid1, zoe, "absent", "")).status == HttpStatus::bad_request);
    // Someone unknown.
    CHECK(post(mark(uuid1, 99999, "absent")).status == HttpStatus::not_found);
    // Nothing was written by any of these.
    CHECK(row_of(w.get(ev(w.hub.event)), zoe)->at("correction_count").as_int64() == 0);
}

TEST_CASE("staff events API: a selection is all or nothing", "[staff_events]") {
    World w;
    auto sian = w.hub.id_of_trn("1234567"), zoe = w.hub.id_of_trn("2345678");
    json::array bad{json::parse(mark(uuid1, sian, "excused")), json::parse(mark(uuid2, 99999, "excused"))};
    auto refused = w.call("POST", ev(w.hub.event, "/corrections"), json::serialize(json::object{{"items", bad}}));
    INFO(refused.body);
    CHECK(refused.status == HttpStatus::not_found);
    auto rb = json::parse(refused.body);
    CHECK(rb.at("results").as_array()[0].at("outcome").as_string() == "batch_refused");
    CHECK(row_of(w.get(ev(w.hub.event)), sian)->at("correction_count").as_int64() == 0);

    json::array good{json::parse(mark(uuid1, sian, "excused")), json::parse(mark(uuid2, zoe, "excused"))};
    auto ok = w.call("POST", ev(w.hub.event, "/corrections"), json::serialize(json::object{{"items", good}}));
    INFO(ok.body);
    CHECK(ok.status == HttpStatus::created);
    CHECK(json::parse(ok.body).at("results").as_array().size() == 2);
    auto rec = w.get(ev(w.hub.event));
    CHECK(row_of(rec, sian)->at("status").as_string() == "excused");
    CHECK(row_of(rec, zoe)->at("status").as_string() == "excused");
}

TEST_CASE("staff events API: sign-off is for admins, then changes are amendments in the audit", "[staff_events]") {
    World w;
    // Staff may not sign off.
    auto refused = w.call("POST", ev(w.hub.event, "/sign-off"), "{}", &w.staff);
    CHECK(refused.status == HttpStatus::forbidden);
    CHECK(json::parse(refused.body).at("code").as_string() == "forbidden");
    // Not held yet: the other run is next week.
    auto early = w.call("POST", ev(w.other, "/sign-off"), "{}");
    CHECK(early.status == HttpStatus::conflict);
    CHECK(json::parse(early.body).at("code").as_string() == "not_held");
    CHECK(w.call("POST", ev(999, "/sign-off"), "{}").status == HttpStatus::not_found);
    CHECK(w.call("POST", ev(w.hub.event, "/sign-off"), R"({"note": 5})").status == HttpStatus::bad_request);

    // Unsettled rows first: everyone expected is absent (no scans).
    auto unsettled = w.call("POST", ev(w.hub.event, "/sign-off"), "{}");
    REQUIRE(unsettled.status == HttpStatus::conflict);
    auto ub = json::parse(unsettled.body);
    CHECK(ub.at("code").as_string() == "unsettled_rows");
    CHECK(ub.at("unsettled").as_int64() > 0);

    // Settle every row as absent, in one selection.
    auto rec = w.get(ev(w.hub.event));
    json::array items;
    int n = 0;
    for (const auto& r : rec.at("rows").as_array()) {
        char u[40];
        std::snprintf(u, sizeof u, "b0000000-0000-4000-8000-%012d", ++n);
        items.push_back(json::parse(mark(u, r.at("participant_id").as_int64(), "absent", "no show")));
    }
    REQUIRE(w.call("POST", ev(w.hub.event, "/corrections"), json::serialize(json::object{{"items", items}})).status ==
            HttpStatus::created);
    CHECK(w.outbox_wakes == 0);  // not an amendment: nothing queued for the central records
    auto signed_off = w.call("POST", ev(w.hub.event, "/sign-off"), R"({"note": "all settled"})");
    INFO(signed_off.body);
    REQUIRE(signed_off.status == HttpStatus::created);
    CHECK(json::parse(signed_off.body).at("signed_off").at("by").at("name").as_string() == "Ann Admin");
    CHECK(w.outbox_wakes == 1);  // the sign-off queued the event's records: the worker is woken
    CHECK(w.call("POST", ev(w.hub.event, "/sign-off"), "{}").status == HttpStatus::ok);  // already
    CHECK(w.outbox_wakes == 1);
    CHECK_FALSE(w.get(ev(w.hub.event)).at("signed_off").is_null());

    // A change now needs an amendment reason: 422 without, 201 (flagged) with.
    auto sian = w.hub.id_of_trn("1234567");
    auto without = w.call("POST", ev(w.hub.event, "/corrections"), mark(uuid3, sian, "excused", "illness"), &w.staff);
    CHECK(static_cast<int>(without.status) == 422);
    CHECK(json::parse(without.body).at("code").as_string() == "amendment_reason_needed");
    auto blank = w.call("POST", ev(w.hub.event, "/corrections"),
                        mark(uuid3, sian, "excused", "illness", json::object{{"amendment_reason", ""}}), &w.staff);
    CHECK(static_cast<int>(blank.status) == 422);
    auto with = w.call("POST", ev(w.hub.event, "/corrections"),
                       mark(uuid3, sian, "excused", "illness", json::object{{"amendment_reason", "doctor's note came late"}}),
                       &w.staff);
    INFO(with.body);
    REQUIRE(with.status == HttpStatus::created);
    CHECK(json::parse(with.body).at("amendment").as_bool());
    CHECK(w.outbox_wakes == 2);  // an amendment queues a new version

    auto audit = w.get(ev(w.hub.event, "/audit"));
    const auto& entries = audit.at("entries").as_array();
    bool saw_sign_off = false, saw_amendment = false;
    for (const auto& e : entries) {
        if (e.at("kind").as_string() == "sign_off") saw_sign_off = true;
        if (e.at("amendment").as_bool()) {
            saw_amendment = true;
            CHECK(e.at("amendment_reason").as_string() == "doctor's note came late");
            CHECK(e.at("author").as_string() == "Bo Staff");
        }
    }
    CHECK(saw_sign_off);
    CHECK(saw_amendment);
    CHECK(w.call("GET", ev(999, "/audit")).status == HttpStatus::not_found);
}

TEST_CASE("staff events API: an unexpected scan is linked as an alternate-date attendance", "[staff_events]") {
    World w;
    // Rhys is expected at both runs; unenrol him from today's, then he scans here today.
    auto rhys = w.hub.id_of_trn("3456789");
    REQUIRE(store::unenrol(*w.hub.db, w.hub.event, rhys, 0));
    w.scan("a0000000-0000-4000-8000-000000000002", rhys, w.hub.event, w.start - 10 * 60'000LL, 1, Outcome::not_expected);

    auto rec = w.get(ev(w.hub.event));
    const json::object* u = nullptr;
    for (const auto& x : rec.at("unexpected").as_array())
        if (x.at("participant_id").as_int64() == rhys) u = &x.as_object();
    REQUIRE(u);
    REQUIRE_FALSE(u->at("candidates").as_array().empty());
    CHECK(u->at("candidates").as_array()[0].at("event_id").as_int64() == w.other);
    CHECK(u->at("linked_to").is_null());

    // The mark goes on the event he was expected at, pointing here.
    auto r = w.call("POST", ev(w.other, "/corrections"),
                    mark(uuid4, rhys, "alternate", "came on another date", json::object{{"attended_event_id", w.hub.event}}));
    INFO(r.body);
    REQUIRE(r.status == HttpStatus::created);
    auto after = w.get(ev(w.hub.event));
    bool found = false;
    for (const auto& x : after.at("unexpected").as_array())
        if (x.at("participant_id").as_int64() == rhys) {
            found = true;
            CHECK(x.at("linked_to").as_int64() == w.other);
        }
    CHECK(found);
    // The audit of the attended event shows the link made on the other one.
    bool linked_in_audit = false;
    auto audit = w.get(ev(w.hub.event, "/audit"));
    for (const auto& e : audit.at("entries").as_array())
        if (e.at("uuid").as_string() == uuid4) linked_in_audit = true;
    CHECK(linked_in_audit);
    auto there = w.get(ev(w.other));
    auto* row = row_of(there, rhys);
    REQUIRE(row);
    CHECK(row->at("status").as_string() == "alternate");
    CHECK(row->at("alternate_event_id").as_int64() == w.hub.event);
}

TEST_CASE("staff events API: names with quotes, backslashes and control characters come back exactly", "[staff_events]") {
    World w;
    auto zoe = w.hub.id_of_trn("2345678");
    const std::string odd = "Zo\"e \\ <b>\t\x01";
    auto s = w.hub.db->prepare("UPDATE participants SET first_name = ?1 WHERE id = ?2");
    s.bind(1, odd).bind(2, zoe);
    s.run();
    auto rec = w.get(ev(w.hub.event));  // parses: the writer escaped what JSON needs
    auto* row = row_of(rec, zoe);
    REQUIRE(row);
    CHECK(row->at("name").as_string() == odd + " \u00d3 S\u00failleabh\u00e1in");
}

TEST_CASE("staff events API: caught up needs its date and evidence, and a mark can be voided", "[staff_events]") {
    World w;
    auto sian = w.hub.id_of_trn("1234567");
    auto post = [&](const std::string& body) { return w.call("POST", ev(w.hub.event, "/corrections"), body, &w.staff); };
    auto without = post(mark(uuid1, sian, "caught_up", "watched the recording"));
    CHECK(without.status == HttpStatus::bad_request);
    auto date_of_event = w.hub.loaded.local_date;
    auto with = post(mark(uuid1, sian, "caught_up", "watched the recording",
                          json::object{{"caught_up_on", date_of_event}, {"evidence", "reflection log received"}}));
    INFO(with.body);
    REQUIRE(with.status == HttpStatus::created);
    auto rec = w.get(ev(w.hub.event));
    auto* row = row_of(rec, sian);
    REQUIRE(row);
    CHECK(row->at("status").as_string() == "caught_up");
    auto history = w.get(ev(w.hub.event, "/participants/") + std::to_string(sian));
    const auto& c = history.at("corrections").as_array().back();
    CHECK(c.at("caught_up_on").as_string() == date_of_event);
    CHECK(c.at("evidence").as_string() == "reflection log received");

    auto voided = post(mark(uuid2, sian, "void_mark", "wrong person", json::object{{"target_uuid", uuid1}}));
    INFO(voided.body);
    REQUIRE(voided.status == HttpStatus::created);
    auto after = w.get(ev(w.hub.event));
    CHECK(row_of(after, sian)->at("status").as_string() == "absent");
    CHECK(row_of(after, sian)->at("unsettled").as_bool());
}

TEST_CASE("staff events API: one person's history is its own request", "[staff_events]") {
    World w;
    auto rhys = w.hub.id_of_trn("3456789"), zoe = w.hub.id_of_trn("2345678");
    const std::string scan_uuid = "a0000000-0000-4000-8000-000000000003";
    w.scan(scan_uuid, rhys, w.hub.event, w.start - 20 * 60'000LL, 1);
    w.scan("a0000000-0000-4000-8000-000000000004", rhys, w.hub.event, w.start - 19 * 60'000LL, 2,
           Outcome::already_checked_in);
    REQUIRE(w.call("POST", ev(w.hub.event, "/corrections"), mark(uuid1, rhys, "late", "train"), &w.staff).status ==
            HttpStatus::created);
    REQUIRE(w.call("POST", ev(w.hub.event, "/corrections"),
                   mark(uuid2, rhys, "void_scan", "someone else's badge", json::object{{"target_uuid", scan_uuid}}),
                   &w.staff)
                .status == HttpStatus::created);

    auto h = w.get(ev(w.hub.event, "/participants/") + std::to_string(rhys));
    CHECK(h.at("participant_id").as_int64() == rhys);
    CHECK(h.at("expected").as_bool());
    CHECK(h.at("unexpected").is_null());
    CHECK(h.at("row").at("status").as_string() == "late");
    CHECK(h.at("row").at("scan_count").as_int64() == 2);
    const auto& scans = h.at("scans").as_array();
    REQUIRE(scans.size() == 2);
    CHECK(scans[0].at("uuid").as_string() == scan_uuid);
    CHECK(scans[0].at("voided").as_bool());
    CHECK(scans[0].at("device").as_string() == "entrance-1");
    CHECK(scans[0].at("direction").as_string() == "entry");
    CHECK(scans[1].at("outcome").as_string() == "already_checked_in");
    CHECK_FALSE(scans[1].at("voided").as_bool());
    CHECK(scans[0].at("at_local").is_string());
    const auto& corrections = h.at("corrections").as_array();
    REQUIRE(corrections.size() == 2);
    CHECK(corrections[0].at("uuid").as_string() == uuid1);
    CHECK(corrections[0].at("status").as_string() == "late");
    CHECK(corrections[0].at("reason").as_string() == "train");
    CHECK(corrections[0].at("source").as_string() == "hub");
    CHECK(corrections[1].at("kind").as_string() == "void");
    CHECK(corrections[1].at("target_uuid").as_string() == scan_uuid);
    // Someone else's history is not in it, and the event's own row agrees.
    auto rec = w.get(ev(w.hub.event));
    CHECK(row_of(rec, rhys)->at("correction_count").as_int64() == 2);
    CHECK(row_of(rec, zoe)->at("scan_count").as_int64() == 0);
    auto zoes = w.get(ev(w.hub.event, "/participants/") + std::to_string(zoe));
    CHECK(zoes.at("scans").as_array().empty());
    CHECK(zoes.at("corrections").as_array().empty());

    // Nobody there, no such event, a bad id, a POST.
    CHECK(w.call("GET", ev(w.hub.event, "/participants/99999")).status == HttpStatus::not_found);
    CHECK(w.call("GET", ev(999, "/participants/") + std::to_string(rhys)).status == HttpStatus::not_found);
    CHECK(w.call("GET", ev(w.hub.event, "/participants/x1")).status == HttpStatus::not_found);
    CHECK(w.call("GET", ev(w.hub.event, "/participants/")).status == HttpStatus::not_found);
    CHECK(w.call("POST", ev(w.hub.event, "/participants/") + std::to_string(rhys), "{}").status ==
          HttpStatus::method_not_allowed);
}

TEST_CASE("staff events API: an unexpected person's history has their scans and the row its candidates",
          "[staff_events]") {
    World w;
    auto rhys = w.hub.id_of_trn("3456789");
    REQUIRE(store::unenrol(*w.hub.db, w.hub.event, rhys, 0));
    w.scan("a0000000-0000-4000-8000-000000000005", rhys, w.hub.event, w.start - 10 * 60'000LL, 1, Outcome::not_expected);
    auto h = w.get(ev(w.hub.event, "/participants/") + std::to_string(rhys));
    CHECK_FALSE(h.at("expected").as_bool());
    CHECK(h.at("row").is_null());
    CHECK(h.at("unexpected").at("candidates").as_array()[0].at("event_id").as_int64() == w.other);
    CHECK_FALSE(h.at("unexpected").at("candidates").as_array()[0].at("signed_off").as_bool());
    REQUIRE(h.at("scans").as_array().size() == 1);
    CHECK(h.at("scans").as_array()[0].at("outcome").as_string() == "not_expected");
}
