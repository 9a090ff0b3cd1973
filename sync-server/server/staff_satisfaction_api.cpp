// /staff/api/satisfaction... (docs/satisfaction.md): the satisfaction question's answers per
// event against the alliance's 90 %, for the staff page satisfaction.html. Counts only:
// an answer carries nothing that names who gave it, and nothing here adds anything.
// StaffApi has checked the session already; every staff account may read these.
#include "request_parts.hpp"
#include "staff_routes.hpp"
#include "staff_web.hpp"

#include "muster/attendance/school_report.hpp"
#include "muster/store/satisfaction_store.hpp"

#include <boost/json.hpp>

namespace muster::server {

namespace json = boost::json;

namespace {

using store::SatisfactionFigure;

// The agree share in tenths of a percent, rounded down (900 is 90.0 %), so the page never
// shows 90.0 beside "below the target"; null with no answers.
json::value agree_tenths(const SatisfactionFigure& f) {
    if (f.answers() == 0) return nullptr;
    return static_cast<std::int64_t>(f.agree) * 1000 / f.answers();
}

json::object figure_json(const SatisfactionFigure& f) {
    return json::object{{"event_id", f.event_id},
                        {"title", f.title},
                        {"local_date", f.local_date},
                        {"long_date", attendance::long_date(f.local_date)},
                        {"answers", f.answers()},
                        {"agree", f.agree},
                        {"not_sure", f.not_sure},
                        {"disagree", f.disagree},
                        {"agree_tenths_percent", agree_tenths(f)},
                        {"meets_target", f.meets_target()}};
}

ApiResponse ok(json::object o, TimeMs now) {
    o["target_percent"] = static_cast<std::int64_t>(store::satisfaction_target * 100 + 0.5);
    return staff_reply(HttpStatus::ok, json::serialize(o), now);
}

}  // namespace

std::optional<ApiResponse> handle_staff_satisfaction(const StaffRequest& r) {
    constexpr std::string_view base = "/staff/api/satisfaction";
    if (r.path != base && r.path.rfind("/staff/api/satisfaction/", 0) != 0) return std::nullopt;
    if (r.http.method != "GET") return staff_refusal(HttpStatus::method_not_allowed, "method_not_allowed", "Use GET.", r.now);
    if (r.path == base) {
        json::array events;
        for (const auto& f : store::satisfaction_by_event(r.db)) events.push_back(figure_json(f));
        return ok(json::object{{"events", std::move(events)}}, r.now);
    }
    auto id = parse_int(r.path.substr(base.size() + 1));
    auto figure = id && *id > 0 ? store::satisfaction_for_event(r.db, *id) : std::nullopt;
    if (!figure) return staff_refusal(HttpStatus::not_found, "not_found", "There is no such event.", r.now);
    return ok(json::object{{"event", figure_json(*figure)}}, r.now);
}

}  // namespace muster::server
