// /staff/api/facilitators and /staff/api/facilitators.csv (docs/facilitators.md): the
// sessions each facilitator delivered, by school, for paying their schools; JSON for the page,
// the CSV as a download. StaffApi has checked the session; every staff account may read it.
#include "request_parts.hpp"
#include "staff_routes.hpp"
#include "staff_web.hpp"

#include "muster/attendance/facilitator_report.hpp"
#include "muster/time/uk_time.hpp"

#include <boost/json.hpp>

#include <variant>

namespace muster::server {

namespace json = boost::json;

namespace {

ApiResponse invalid(const std::string& problem, TimeMs now) {
    return staff_reply(HttpStatus::bad_request,
                       json::serialize(json::object{{"error", "Check the request: " + problem}, {"code", "invalid"},
                                                    {"problem", problem}}),
                       now);
}

// The query's filters: from, to (YYYY-MM-DD), school (a URN); an empty value is no filter
// (the page's form sends every field). Percent-encoding is not needed by any valid value, so
// a value carrying it is simply not a date or URN.
std::variant<attendance::FacilitatorReportQuery, std::string> query_of(std::string_view target) {
    attendance::FacilitatorReportQuery q;
    auto take = [&](std::string_view key, std::optional<std::string>& into) {
        auto v = query_value(target, key);
        if (v && !v->empty()) into = std::string(*v);
    };
    take("from", q.from);
    take("to", q.to);
    take("school", q.school_urn);
    if (auto problem = attendance::query_problem(q)) return *problem;
    return q;
}

json::object session_json(const attendance::DeliveredSession& s) {
    return json::object{{"event_id", s.event_id},
                        {"date", s.local_date},
                        {"event", s.event_title},
                        {"programme", s.programme},
                        {"item", s.item},
                        {"room", s.room_name},
                        {"lead", s.lead},
                        {"session_id", s.session_id},
                        {"part", s.part},
                        {"starts", uk_time::format_hhmm(s.starts_ms)},
                        {"ends", uk_time::format_hhmm(s.ends_ms)},
                        {"starts_ms", s.starts_ms},
                        {"ends_ms", s.ends_ms},
                        {"evidence", s.evidence},
                        {"signed_off", s.signed_off}};
}

// Schools in the report's order, each with its facilitators and the sessions' totals.
json::object report_json(const std::vector<attendance::FacilitatorSessions>& report,
                         const attendance::FacilitatorReportQuery& q, TimeMs now) {
    json::array schools;
    std::size_t total = 0;
    for (const auto& f : report) {
        if (schools.empty() || schools.back().as_object().at("urn").as_string() != f.school_urn)
            schools.push_back(json::object{{"urn", f.school_urn},
                                           {"school_name", f.school_name},
                                           {"sessions", 0},
                                           {"facilitators", json::array()}});
        auto& school = schools.back().as_object();
        json::array sessions;
        for (const auto& s : f.sessions) sessions.push_back(session_json(s));
        school["sessions"] = school["sessions"].as_int64() + static_cast<std::int64_t>(f.sessions.size());
        school["facilitators"].as_array().push_back(json::object{{"participant_id", f.participant_id},
                                                                 {"name", f.full_name},
                                                                 {"sessions", std::move(sessions)}});
        total += f.sessions.size();
    }
    auto opt = [](const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); };
    return json::object{{"from", opt(q.from)},
                        {"to", opt(q.to)},
                        {"school", opt(q.school_urn)},
                        {"facilitators", report.size()},
                        {"sessions", total},
                        {"schools", std::move(schools)},
                        {"server_time_ms", now}};
}

}  // namespace

std::optional<ApiResponse> handle_staff_facilitators(const StaffRequest& r) {
    constexpr std::string_view json_path = "/staff/api/facilitators", csv_path = "/staff/api/facilitators.csv";
    if (r.path != json_path && r.path != csv_path) return std::nullopt;
    if (r.http.method != "GET")
        return staff_refusal(HttpStatus::method_not_allowed, "method_not_allowed", "Use GET.", r.now);
    auto q = query_of(r.http.target);
    if (auto* problem = std::get_if<std::string>(&q)) return invalid(*problem, r.now);
    const auto& query = std::get<attendance::FacilitatorReportQuery>(q);
    auto report = attendance::facilitator_report(r.db, query, r.now);
    if (r.path == json_path) return staff_reply(HttpStatus::ok, json::serialize(report_json(report, query, r.now)), r.now);
    auto res = staff_reply(HttpStatus::ok, attendance::facilitator_report_csv(report), r.now);
    res.content_type = "text/csv; charset=utf-8";
    // The file's name says what it covers; the values are checked dates and digits only.
    std::string name = "facilitators";
    if (query.school_urn) name += "-" + *query.school_urn;
    if (query.from) name += "-from-" + *query.from;
    if (query.to) name += "-to-" + *query.to;
    res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
    return res;
}

}  // namespace muster::server
