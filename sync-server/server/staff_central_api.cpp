// The deliveries to the central attendance records on the staff pages (docs/staff.md,
// "Deliveries"; the outbox is docs/central.md): every signed-off event's delivery counts per
// target with totals, one event's entries, and the retry of what a target rejected once the
// cause is fixed. StaffApi has checked the session, CSRF token, origin and content type; any
// staff account (staff or admin) may read and retry. The outbox's rules are the store's
// (muster/store/central_outbox.hpp); this file reads the JSON strictly, answers, logs
// without personal data, and wakes the delivery worker after a retry.
//
// The event pages are a few thousand entries at most (an event of 1,000 people and three
// targets), so the replies are built as boost::json trees rather than written by hand.
#include "staff_routes.hpp"
#include "staff_web.hpp"

#include "muster/store/central_outbox.hpp"
#include "muster/store/event_store.hpp"
#include "muster/time/uk_time.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <cstdint>
#include <limits>

namespace muster::server {

namespace json = boost::json;

namespace {

ApiResponse ok(const json::object& o, TimeMs now) { return staff_reply(HttpStatus::ok, json::serialize(o), now); }

// {"error", "code", "problem"}: the shape the other staff handlers answer with.
ApiResponse refusal(HttpStatus status, std::string_view code, std::string_view problem, TimeMs now) {
    return staff_reply(status, json::serialize(json::object{{"error", problem}, {"code", code}, {"problem", problem}}), now);
}
ApiResponse invalid(std::string_view problem, TimeMs now) { return refusal(HttpStatus::bad_request, "invalid", problem, now); }
ApiResponse no_event(TimeMs now) { return refusal(HttpStatus::not_found, "not_found", "There is no such event.", now); }

ApiResponse wrong_method(std::string_view allowed, TimeMs now) {
    auto res = refusal(HttpStatus::method_not_allowed, "method_not_allowed",
                       "This address answers " + std::string(allowed) + " only.", now);
    res.headers.emplace_back("Allow", std::string(allowed));
    return res;
}

// A time both ways: milliseconds (for sorting) and the hub's local clock as text, so every
// browser shows UK time whatever its own zone. Null when there is none.
void put_time(json::object& o, std::string_view name, std::optional<TimeMs> at) {
    o[std::string(name) + "_ms"] = at ? json::value(*at) : json::value(nullptr);
    o[std::string(name) + "_local"] = at ? json::value(uk_time::format_local(*at)) : json::value(nullptr);
}

json::object counts_json(const store::DeliveryCounts& c) {
    return json::object{{"pending", c.pending},     {"sending", c.sending},       {"delivered", c.delivered},
                        {"rejected", c.rejected},   {"superseded", c.superseded}};
}

json::object target_json(const store::TargetDeliveryCounts& t) {
    return json::object{{"target", t.target},
                        {"kind", store::to_string(t.kind)},
                        {"active", t.active},
                        {"counts", counts_json(t.counts)}};
}

// GET /staff/api/central
ApiResponse status(const StaffRequest& r) {
    json::array totals, events;
    for (const auto& t : store::central_totals(r.db)) totals.push_back(target_json(t));
    for (const auto& e : store::central_status(r.db)) {
        json::array targets;
        int rejected = 0;
        for (const auto& t : e.targets) {
            targets.push_back(target_json(t));
            rejected += t.counts.rejected;
        }
        json::object o{{"event_id", e.event_id},
                       {"title", e.title},
                       {"local_date", e.local_date},
                       {"records", e.records},
                       {"rejected", rejected},
                       {"targets", std::move(targets)}};
        put_time(o, "signed_off", e.signed_off_ms);
        put_time(o, "last_delivered", e.last_delivered_ms);
        events.push_back(std::move(o));
    }
    return ok(json::object{{"totals", std::move(totals)}, {"events", std::move(events)}, {"server_time_ms", r.now}}, r.now);
}

json::object entry_json(const store::RecordDelivery& d) {
    json::object o{{"delivery_id", d.delivery_id},
                   {"target", d.target},
                   {"record_id", d.record_id},
                   {"version", d.version},
                   {"correction", d.correction},
                   {"participant_id", d.participant_id},
                   {"name", d.full_name},
                   {"status", to_string(d.status)},
                   {"state", store::to_string(d.state)},
                   {"attempts", d.attempts},
                   {"last_status", d.last_status ? json::value(*d.last_status) : json::value(nullptr)},
                   {"last_error", d.last_error},
                   {"remote_id", d.remote_id ? json::value(*d.remote_id) : json::value(nullptr)},
                   {"retried_by", d.retried_by ? json::value(*d.retried_by) : json::value(nullptr)}};
    put_time(o, "queued", d.queued_ms);
    put_time(o, "updated", d.updated_ms);
    put_time(o, "next_attempt", d.next_attempt_ms);
    put_time(o, "delivered", d.delivered_ms);
    return o;
}

// GET /staff/api/events/{id}/deliveries
ApiResponse deliveries(const StaffRequest& r, EventId id) {
    auto entries = store::event_deliveries(r.db, id);
    auto event = store::load_event(r.db, id);
    if (!entries || !event) return no_event(r.now);
    json::array list;
    for (const auto& d : *entries) list.push_back(entry_json(d));
    return ok(json::object{{"event", json::object{{"id", event->id}, {"title", event->title}, {"local_date", event->local_date}}},
                           {"entries", std::move(list)},
                           {"server_time_ms", r.now}},
              r.now);
}

// A positive whole number, or nullopt with `problem` set.
std::optional<std::int64_t> positive(const json::value& v, std::string_view key, std::string& problem) {
    if (v.is_int64() && v.as_int64() > 0) return v.as_int64();
    if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return static_cast<std::int64_t>(v.as_uint64());
    problem = std::string(key) + ": must be a positive whole number";
    return std::nullopt;
}

// POST /staff/api/central/retry {"delivery_id": N} | {"event_id": N} | {"event_id": N, "target": "crm"}
// | {"target": "crm"}. Strict: an unknown key is refused (a typo must not widen or empty the
// selection), and an empty selection is refused rather than read as "everything".
ApiResponse retry(const StaffRequest& r) {
    boost::system::error_code ec;
    json::parse_options opts;
    opts.max_depth = 4;
    auto body = json::parse(r.http.body, ec, {}, opts);
    if (ec || !body.is_object())
        return invalid(R"(The body must be a JSON object: {"delivery_id": N}, {"event_id": N} or {"event_id": N, "target": "name"}.)",
                       r.now);
    store::RetrySelection which;
    std::string problem;
    for (const auto& [key, value] : body.as_object()) {
        if (key == "delivery_id") {
            which.delivery_id = positive(value, "delivery_id", problem);
        } else if (key == "event_id") {
            which.event_id = positive(value, "event_id", problem);
        } else if (key == "target") {
            if (!value.is_string() || !store::valid_target_name(value.as_string()))
                problem = "target: a target's name (1 to 40 of a-z, 0-9, _ and -)";
            else which.target = std::string(value.as_string());
        } else {
            problem = std::string(key).substr(0, 40) + ": not a retry field (delivery_id, event_id, target)";
        }
        if (!problem.empty()) return invalid(problem, r.now);
    }
    if (!which.delivery_id && !which.event_id && !which.target)
        return invalid("Say what to retry: delivery_id, event_id, or event_id with target.", r.now);

    const int n = store::retry_rejected(r.db, which, r.who.name, r.now);
    r.log.info("central_retry", {{"staff_id", r.who.id},
                                 {"retried", static_cast<std::int64_t>(n)},
                                 {"delivery_id", which.delivery_id.value_or(0)},
                                 {"event_id", which.event_id.value_or(0)},
                                 {"target", which.target.value_or("")}});
    if (n > 0) tell_outbox_changed(r);  // after the commit: the worker sends them now, not at its next poll
    return ok(json::object{{"retried", n}}, r.now);
}

// "12" as an id: digits only, no sign, no leading zero, fits an id.
std::optional<EventId> parse_id(std::string_view s) {
    if (s.empty() || s.size() > 18 || s[0] == '0') return std::nullopt;
    EventId id = 0;
    auto [p, e] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (e != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return id;
}

}  // namespace

std::optional<ApiResponse> handle_staff_central(const StaffRequest& r) {
    const bool get = r.http.method == "GET";
    if (r.path == "/staff/api/central" || r.path == "/staff/api/central/") return get ? status(r) : wrong_method("GET", r.now);
    if (r.path == "/staff/api/central/retry") return r.http.method == "POST" ? retry(r) : wrong_method("POST", r.now);
    if (r.path.rfind("/staff/api/central/", 0) == 0)
        return refusal(HttpStatus::not_found, "not_found", "No such address under /staff/api/central.", r.now);

    // /staff/api/events/{id}/deliveries: under the events handler's root, so this handler is
    // listed before it (server_main.cpp) and claims only this exact shape.
    constexpr std::string_view events = "/staff/api/events/", tail = "/deliveries";
    if (r.path.rfind(events, 0) != 0 || r.path.size() <= events.size() + tail.size() ||
        r.path.substr(r.path.size() - tail.size()) != tail)
        return std::nullopt;
    auto id = parse_id(r.path.substr(events.size(), r.path.size() - events.size() - tail.size()));
    if (!id) return std::nullopt;  // the events handler answers its own 404
    return get ? deliveries(r, *id) : wrong_method("GET", r.now);
}

}  // namespace muster::server
