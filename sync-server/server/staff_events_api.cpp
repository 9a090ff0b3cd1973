// /staff/api/events... (docs/reconciliation.md, "The API"): the event list, one event's
// reconciliation, staff corrections (one or a selection), sign-off and the audit log. StaffApi
// has checked the session, CSRF token, origin and content type; this file reads the JSON
// defensively, calls the reconciliation store (whose rules these are), answers, logs without
// personal data, and tells the change feed after a stored correction so devices and
// registers hear of it at once.
#include "staff_events_json.hpp"
#include "staff_routes.hpp"

#include "muster/store/event_store.hpp"
#include "muster/store/reconciliation_store.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>

namespace muster::server {

namespace json = boost::json;

namespace {

// A selection of at most this many rows is marked in one request (an event has ~1,000
// expected people; the page sends a selection in pieces of this size at most).
constexpr std::size_t max_items = 1000;
// Longer text than this is refused before the store sees it: four bytes a character of the
// store's own limits (reason 200, note 500 characters), so a huge string costs nothing.
constexpr std::size_t max_text_bytes = 4 * store::correction_note_chars;

const std::vector<std::pair<std::string, std::string>>& json_headers() {
    static const std::vector<std::pair<std::string, std::string>> h{{"Cache-Control", "no-store"}};
    return h;
}

ApiResponse reply(HttpStatus status, std::string body, TimeMs now) {
    return ApiResponse{status, std::move(body), now, "application/json; charset=utf-8", json_headers()};
}
ApiResponse reply(HttpStatus status, const json::object& body, TimeMs now) {
    return reply(status, json::serialize(body), now);
}

// A refusal: the shape of error_response ({"error", "code", "server_time_ms"}) plus `problem`,
// the words the page shows, and codes of this API's own (forbidden, conflict, not_held, ...).
ApiResponse refusal(HttpStatus status, std::string_view code, std::string_view problem, TimeMs now,
                    json::object extra = {}) {
    extra["error"] = problem;
    extra["problem"] = problem;
    extra["code"] = code;
    extra["server_time_ms"] = now;
    return reply(status, std::move(extra), now);
}

// 422: the event is signed off and the correction came without an amendment reason. Not in
// sync::HttpStatus (the devices never see it); the HTTP layer sends any status it is given.
constexpr auto unprocessable = static_cast<HttpStatus>(422);

// ---- reading the body ----

// A field problem ("reason: must be text") or nothing; fills `out` when present and right.
struct Reader {
    const json::object& o;
    std::string problem;

    bool fail(std::string_view key, std::string_view what) {
        if (problem.empty()) problem = std::string(key) + ": " + std::string(what);
        return false;
    }
    // Text (null or absent = nullopt when optional).
    bool text(std::string_view key, std::optional<std::string>& out, bool required, std::size_t max_bytes = max_text_bytes) {
        auto* v = o.if_contains(key);
        if (!v || v->is_null()) return required ? fail(key, "missing") : true;
        if (!v->is_string()) return fail(key, "must be text");
        const auto& s = v->as_string();
        if (s.size() > max_bytes) return fail(key, "too long");
        out = std::string(s.data(), s.size());
        return true;
    }
    bool integer(std::string_view key, std::optional<std::int64_t>& out, bool required) {
        auto* v = o.if_contains(key);
        if (!v || v->is_null()) return required ? fail(key, "missing") : true;
        if (v->is_int64() && v->as_int64() > 0) out = v->as_int64();
        else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            out = static_cast<std::int64_t>(v->as_uint64());
        else return fail(key, "must be a positive whole number");
        return true;
    }
};

// One correction from its JSON object, or the problem with it.
std::variant<store::StaffCorrection, std::string> correction_from(const json::value& v, EventId event) {
    if (!v.is_object()) return std::string("a correction must be a JSON object");
    const auto& o = v.as_object();
    Reader in{o, {}};
    std::optional<std::string> uuid, action, reason, note, target, caught_up_on, evidence, amendment;
    std::optional<std::int64_t> participant, attended, event_id;
    bool ok = in.text("uuid", uuid, true, 64) && in.text("action", action, true, 32) && in.integer("participant_id", participant, true) &&
              in.text("reason", reason, true) && in.text("note", note, false) && in.text("target_uuid", target, false, 64) &&
              in.text("caught_up_on", caught_up_on, false, 32) && in.text("evidence", evidence, false) &&
              in.integer("attended_event_id", attended, false) && in.text("amendment_reason", amendment, false) &&
              in.integer("event_id", event_id, false);
    if (!ok) return in.problem;
    if (event_id && *event_id != event) return std::string("event_id: not the event of the address");
    auto a = store::parse_staff_action(*action);
    if (!a) return "action: not one of present, late, left_early, absent, excused, caught_up, alternate, void_scan, void_mark";
    store::StaffCorrection c;
    c.uuid = std::move(*uuid);
    c.action = *a;
    c.event_id = event;
    c.participant_id = *participant;
    c.reason = std::move(*reason);
    c.note = note.value_or("");
    c.target_uuid = std::move(target);
    c.caught_up_on = std::move(caught_up_on);
    c.evidence = std::move(evidence);
    c.attended_event_id = attended;
    // An empty amendment reason is no reason: the store then asks for one.
    if (amendment && !amendment->empty()) c.amendment_reason = std::move(amendment);
    return c;
}

HttpStatus status_of(store::CorrectionOutcome o) {
    using O = store::CorrectionOutcome;
    switch (o) {
        case O::stored: return HttpStatus::created;
        case O::already: return HttpStatus::ok;
        case O::conflict: return HttpStatus::conflict;
        case O::invalid: return HttpStatus::bad_request;
        case O::not_found: return HttpStatus::not_found;
        case O::amendment_reason_needed: return unprocessable;
        case O::batch_refused: return HttpStatus::conflict;
    }
    return HttpStatus::bad_request;
}

bool written(store::CorrectionOutcome o) {
    return o == store::CorrectionOutcome::stored || o == store::CorrectionOutcome::already;
}

json::object result_json(const std::string& uuid, const store::CorrectionResult& r) {
    json::object o{{"uuid", uuid},
                   {"outcome", store::to_string(r.outcome)},
                   {"change", r.change},
                   {"amendment", r.amendment}};
    if (!r.problem.empty()) o["problem"] = r.problem;
    return o;
}

store::CorrectionAuthor author_of(const StaffRequest& r) { return store::CorrectionAuthor{r.who.id, r.who.name}; }

// ---- the routes ----

ApiResponse overview(const StaffRequest& r) {
    auto events = store::reconciliation_overview(r.db, r.now);
    return reply(HttpStatus::ok, overview_json(events, r.now), r.now);
}

ApiResponse one_event(const StaffRequest& r, EventId id) {
    // The table's data: histories counted only (a person's is its own request, below).
    auto rec = store::load_reconciliation(r.db, id, r.now, store::Histories::counts);
    if (!rec) return refusal(HttpStatus::not_found, "not_found", "There is no such event.", r.now);
    return reply(HttpStatus::ok, reconciliation_json(*rec, r.now), r.now);
}

ApiResponse history(const StaffRequest& r, EventId id, ParticipantId who) {
    auto h = store::load_participant_history(r.db, id, who, r.now);
    if (!h) {
        if (!store::load_event(r.db, id)) return refusal(HttpStatus::not_found, "not_found", "There is no such event.", r.now);
        return refusal(HttpStatus::not_found, "not_found", "That person is neither expected nor scanned at this event.",
                       r.now);
    }
    return reply(HttpStatus::ok, history_json(id, who, *h, r.now), r.now);
}

ApiResponse audit(const StaffRequest& r, EventId id) {
    if (!store::load_event(r.db, id)) return refusal(HttpStatus::not_found, "not_found", "There is no such event.", r.now);
    auto entries = store::event_audit(r.db, id);
    return reply(HttpStatus::ok, audit_json(id, entries), r.now);
}

ApiResponse corrections(const StaffRequest& r, EventId id) {
    boost::system::error_code ec;
    json::parse_options opts;
    opts.max_depth = 8;  // a correction is flat; deep nesting is not a selection
    auto body = json::parse(r.http.body, ec, {}, opts);
    if (ec || !body.is_object())
        return refusal(HttpStatus::bad_request, "bad_request",
                       "The body must be a JSON object: one correction, or {\"items\": [...]} for a selection.", r.now);
    const auto& o = body.as_object();

    const bool bulk = o.contains("items");
    std::vector<store::StaffCorrection> items;
    if (bulk) {
        const auto& list = o.at("items");
        if (!list.is_array() || list.as_array().empty())
            return refusal(HttpStatus::bad_request, "bad_request", "items: must be a list of corrections, not empty.", r.now);
        if (list.as_array().size() > max_items)
            return refusal(HttpStatus::bad_request, "bad_request",
                           "items: at most " + std::to_string(max_items) + " corrections in one request.", r.now);
        std::size_t n = 0;
        for (const auto& v : list.as_array()) {
            auto c = correction_from(v, id);
            if (auto* p = std::get_if<std::string>(&c))
                return refusal(HttpStatus::bad_request, "bad_request", "item " + std::to_string(n + 1) + ": " + *p, r.now);
            items.push_back(std::move(std::get<store::StaffCorrection>(c)));
            ++n;
        }
    } else {
        auto c = correction_from(body, id);
        if (auto* p = std::get_if<std::string>(&c)) return refusal(HttpStatus::bad_request, "bad_request", *p, r.now);
        items.push_back(std::move(std::get<store::StaffCorrection>(c)));
    }

    const auto by = author_of(r);
    std::vector<store::CorrectionResult> results;
    if (bulk) results = store::record_staff_corrections(r.db, by, items, r.now);
    else results.push_back(store::record_staff_correction(r.db, by, items.front(), r.now));

    // The reply's status: the first refusal's (nothing was written), else 201 when anything
    // was stored and 200 when every item was there already (a retried POST).
    std::optional<std::size_t> refused;
    bool any_stored = false;
    std::int64_t change = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& res = results[i];
        if (!written(res.outcome) && res.outcome != store::CorrectionOutcome::batch_refused && !refused) refused = i;
        if (res.outcome == store::CorrectionOutcome::stored) any_stored = true;
        if (written(res.outcome)) change = std::max(change, res.change);
    }
    json::array list;
    for (std::size_t i = 0; i < results.size(); ++i) list.emplace_back(result_json(items[i].uuid, results[i]));

    if (refused) {
        const auto& res = results[*refused];
        r.log.warn("staff_correction_refused", {{"event_id", id},
                                                {"staff_id", r.who.id},
                                                {"reason", std::string(store::to_string(res.outcome))},
                                                {"items", static_cast<std::int64_t>(items.size())}});
        std::string problem = res.problem.empty() ? std::string(store::to_string(res.outcome)) : res.problem;
        if (bulk) problem = "item " + std::to_string(*refused + 1) + ": " + problem + " Nothing was saved.";
        json::object extra;
        if (bulk) extra["results"] = std::move(list);
        else extra["uuid"] = items.front().uuid;
        auto code = res.outcome == store::CorrectionOutcome::invalid ? std::string_view("bad_request")
                                                                     : store::to_string(res.outcome);
        return refusal(status_of(res.outcome), code, problem, r.now, std::move(extra));
    }
    if (any_stored) {
        r.log.info("staff_correction", {{"event_id", id},
                                        {"staff_id", r.who.id},
                                        {"items", static_cast<std::int64_t>(items.size())},
                                        {"amendment", results.front().amendment},
                                        {"change", change}});
        if (r.feed) r.feed->publish(change);  // after the commit: devices' long polls and registers hear it
        // An amendment may have queued a new version of a central record.
        if (std::any_of(results.begin(), results.end(), [](const auto& x) { return x.amendment; })) tell_outbox_changed(r);
    }
    const auto status = any_stored ? HttpStatus::created : HttpStatus::ok;
    if (bulk) return reply(status, json::object{{"results", std::move(list)}, {"change", change}}, r.now);
    return reply(status, std::move(list.front().as_object()), r.now);
}

ApiResponse sign_off(const StaffRequest& r, EventId id) {
    if (r.who.role != store::StaffRole::admin)
        return refusal(HttpStatus::forbidden, "forbidden", "Only an admin can sign an event off.", r.now);
    std::string note;
    if (!r.http.body.empty()) {
        boost::system::error_code ec;
        auto body = json::parse(r.http.body, ec);
        if (ec || !body.is_object())
            return refusal(HttpStatus::bad_request, "bad_request", R"(The body must be a JSON object: {"note": "..."}.)", r.now);
        Reader in{body.as_object(), {}};
        std::optional<std::string> n;
        if (!in.text("note", n, false, max_text_bytes)) return refusal(HttpStatus::bad_request, "bad_request", in.problem, r.now);
        note = n.value_or("");
    }
    auto res = store::sign_off_event(r.db, id, author_of(r), note, r.now);
    using O = store::SignOffOutcome;
    switch (res.outcome) {
        case O::not_found: return refusal(HttpStatus::not_found, "not_found", "There is no such event.", r.now);
        case O::not_held:
            return refusal(HttpStatus::conflict, "not_held", "The event has not been held yet: sign it off once it is over.",
                           r.now);
        case O::unsettled_rows:
            return refusal(HttpStatus::conflict, "unsettled_rows",
                           std::to_string(res.unsettled) + (res.unsettled == 1 ? " row still needs" : " rows still need") +
                               " settling: settle every row (filter: unsettled) before signing off.",
                           r.now, json::object{{"unsettled", res.unsettled}});
        case O::invalid: return refusal(HttpStatus::bad_request, "bad_request", res.problem, r.now);
        case O::signed_off:
        case O::already: break;
    }
    if (res.outcome == O::signed_off) {
        r.log.info("event_signed_off", {{"event_id", id}, {"staff_id", r.who.id}});
        tell_outbox_changed(r);  // the sign-off queued the event's central records
    }
    json::object body{{"outcome", store::to_string(res.outcome)}};
    body["signed_off"] = res.sign_off ? json::value(sign_off_json(*res.sign_off)) : json::value(nullptr);
    return reply(res.outcome == O::signed_off ? HttpStatus::created : HttpStatus::ok, std::move(body), r.now);
}

// "12" as an event or participant id: digits only, no sign, no leading zero, fits an id.
std::optional<EventId> parse_id(std::string_view s) {
    if (s.empty() || s.size() > 18 || s[0] == '0') return std::nullopt;
    EventId id = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return id;
}

ApiResponse wrong_method(const StaffRequest& r, std::string_view allowed) {
    auto res = refusal(HttpStatus::method_not_allowed, "method_not_allowed",
                       "This address answers " + std::string(allowed) + " only.", r.now);
    res.headers.emplace_back("Allow", std::string(allowed));
    return res;
}

}  // namespace

std::optional<ApiResponse> handle_staff_events(const StaffRequest& r) {
    constexpr std::string_view root = "/staff/api/events";
    if (r.path.substr(0, root.size()) != root) return std::nullopt;
    std::string_view rest = r.path.substr(root.size());
    if (!rest.empty() && rest.front() != '/') return std::nullopt;  // "/staff/api/eventsX" is not ours
    const bool get = r.http.method == "GET", post = r.http.method == "POST";
    try {
        if (rest.empty() || rest == "/") return get ? overview(r) : wrong_method(r, "GET");
        rest.remove_prefix(1);
        auto slash = rest.find('/');
        auto id = parse_id(rest.substr(0, slash));
        if (!id) return refusal(HttpStatus::not_found, "not_found", "There is no such event.", r.now);
        std::string_view sub = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        if (sub.empty()) return get ? one_event(r, *id) : wrong_method(r, "GET");
        if (sub == "corrections") return post ? corrections(r, *id) : wrong_method(r, "POST");
        if (sub == "sign-off") return post ? sign_off(r, *id) : wrong_method(r, "POST");
        if (sub == "audit") return get ? audit(r, *id) : wrong_method(r, "GET");
        constexpr std::string_view people = "participants/";
        if (sub.substr(0, people.size()) == people) {
            auto who = parse_id(sub.substr(people.size()));
            if (!who) return refusal(HttpStatus::not_found, "not_found", "There is no such participant.", r.now);
            return get ? history(r, *id, *who) : wrong_method(r, "GET");
        }
        return refusal(HttpStatus::not_found, "not_found", "No such address under /staff/api/events.", r.now);
    } catch (const db::Error& e) {
        r.log.error("staff_events_store", {{"path", std::string(r.path.substr(0, 64))}, {"error", std::string(e.what())}});
        return refusal(HttpStatus::service_unavailable, "store_busy", "The hub's database could not answer: try again.",
                       r.now);
    }
}

}  // namespace muster::server
