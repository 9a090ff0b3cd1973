// /staff/api/schools... and /staff/api/notices... (docs/schools.md): the per-school report for
// induction tutors (JSON for the page, CSV for Excel) and the non-attendance notices, drafted
// and recorded as sent. StaffApi has checked the session, CSRF, origin and JSON body already;
// every staff account (staff or admin) may use these.
#include "request_parts.hpp"
#include "staff_routes.hpp"
#include "staff_web.hpp"

#include "muster/attendance/school_report.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/school_notice_store.hpp"
#include "muster/time/uk_time.hpp"

#include <boost/json.hpp>

#include <sstream>

namespace muster::server {

namespace json = boost::json;

namespace {

ApiResponse invalid(std::string problem, TimeMs now) {
    return staff_reply(HttpStatus::bad_request,
                       json::serialize(json::object{{"error", "Check the request: " + problem}, {"code", "invalid"},
                                                    {"problem", problem}}),
                       now);
}

ApiResponse ok(json::object o, TimeMs now, HttpStatus status = HttpStatus::ok) {
    return staff_reply(status, json::serialize(o), now);
}

json::value opt_ms(const std::optional<TimeMs>& t) { return t ? json::value(*t) : json::value(nullptr); }
json::value opt_hhmm(const std::optional<TimeMs>& t) { return t ? json::value(uk_time::format_hhmm(*t)) : json::value(nullptr); }

json::object event_json(const Event& e, bool held) {
    return json::object{{"id", e.id},       {"title", e.title},           {"local_date", e.local_date},
                        {"venue", e.venue}, {"long_date", attendance::long_date(e.local_date)}, {"held", held}};
}

json::object progress_json(const attendance::Progress& p) {
    return json::object{{"plan", p.plan},
                        {"counts", attendance::progress_counts(p)},
                        {"counted", p.all.counted()},
                        {"required", p.all.required},
                        {"excused", p.all.excused},
                        {"missed", p.all.missed},
                        {"dates_left", p.all.to_come},
                        {"state", attendance::progress_state(p)},
                        {"at_risk", p.at_risk},
                        {"risk", p.risk}};
}

// A person as the page shows them: names, never a TRN or an email (the page does not need
// them; the CSV for the school carries the TRN).
json::object person_json(const attendance::SchoolPerson& p) {
    json::array missed;
    for (const auto& m : p.missed_sessions) missed.push_back(json::value(m));
    const auto& s = p.summary;
    return json::object{{"participant_id", p.participant.id},
                        {"name", p.participant.full_name()},
                        {"role", to_string(p.participant.role)},
                        {"role_label", label(p.participant.role)},
                        {"expected", s.expected},
                        {"status", to_string(s.status)},
                        {"status_label", label(s.status)},
                        {"marked_by_staff", s.marked_by_staff},
                        {"marked_by", s.marked_by_staff && s.mark_author ? json::value(*s.mark_author) : json::value(nullptr)},
                        {"first_in_ms", opt_ms(s.first_in_ms)},
                        {"first_in", opt_hhmm(s.first_in_ms)},
                        {"last_out_ms", opt_ms(s.last_out_ms)},
                        {"last_out", opt_hhmm(s.last_out_ms)},
                        {"minutes_late", p.minutes_late ? json::value(*p.minutes_late) : json::value(nullptr)},
                        {"left_early", p.left_early},
                        {"missed_sessions", std::move(missed)},
                        {"progress", p.progress ? json::value(progress_json(*p.progress)) : json::value(nullptr)}};
}

json::object counts_json(const attendance::SchoolCounts& c) {
    return json::object{{"urn", c.urn},         {"school_name", c.school_name}, {"expected", c.expected},
                        {"present", c.present}, {"late", c.late},               {"left_early", c.left_early},
                        {"absent", c.absent},   {"excused", c.excused},         {"caught_up", c.caught_up},
                        {"alternate", c.alternate}, {"unexpected", c.unexpected}, {"at_risk", c.at_risk},
                        {"to_tell", c.to_tell}};
}

json::array tutors_json(const std::vector<Participant>& tutors) {
    json::array out;
    for (const auto& t : tutors) out.push_back(json::value(t.full_name()));
    return out;
}

json::object draft_json(const attendance::NoticeDraft& d) {
    json::array lines, left_out;
    for (const auto& l : d.lines)
        lines.push_back(json::object{{"participant_id", l.participant_id},
                                     {"name", l.name},
                                     {"status", to_string(l.status)},
                                     {"previously", l.previously ? json::value(to_string(*l.previously)) : json::value(nullptr)}});
    for (const auto& l : d.left_out)
        left_out.push_back(json::object{{"participant_id", l.participant_id}, {"status", to_string(l.status)}, {"sent_ms", l.sent_ms}});
    return json::object{{"event_id", d.event_id},
                        {"urn", d.urn},
                        {"school_name", d.school_name},
                        {"addressed_to", d.addressed_to},
                        {"anything_to_send", d.anything_to_send()},
                        {"held", d.held},
                        {"lines", std::move(lines)},
                        {"left_out", std::move(left_out)},
                        {"text", d.text},
                        {"version", d.version}};
}

json::object notice_json(const store::SentNotice& n) {
    json::array people;
    for (const auto& p : n.people)
        people.push_back(json::object{{"participant_id", p.participant_id}, {"name", p.name}, {"status", to_string(p.status)}});
    return json::object{{"id", n.id},
                        {"event_id", n.event_id},
                        {"event_title", n.event_title},
                        {"event_date", n.event_date},
                        {"urn", n.urn},
                        {"sent_ms", n.sent_ms},
                        {"sent", uk_time::format_local(n.sent_ms)},
                        {"staff_id", n.staff_id ? json::value(*n.staff_id) : json::value(nullptr)},
                        {"author", n.author},
                        {"text", n.text},
                        {"version", n.version},
                        {"people", std::move(people)}};
}

std::optional<EventId> event_param(const StaffRequest& r) {
    auto v = query_value(r.http.target, "event");
    if (!v) return std::nullopt;
    auto id = parse_int(*v);
    if (!id || *id <= 0) return std::nullopt;
    return *id;
}

ApiResponse no_event(TimeMs now) { return staff_refusal(HttpStatus::not_found, "not_found", "There is no such event.", now); }

ApiResponse method_not_allowed(std::string_view allowed, TimeMs now) {
    return staff_refusal(HttpStatus::method_not_allowed, "method_not_allowed", "Use " + std::string(allowed) + ".", now);
}

// GET /staff/api/schools?event=ID
ApiResponse schools_of_event(const StaffRequest& r, EventId event) {
    auto e = store::load_event(r.db, event);
    auto schools = store::event_schools(r.db, event, r.now);
    if (!e || !schools) return no_event(r.now);
    json::array list;
    for (const auto& c : *schools) list.push_back(counts_json(c));
    return ok(json::object{{"event", event_json(*e, attendance::is_held(*e, r.now))}, {"schools", std::move(list)}}, r.now);
}

// GET /staff/api/schools/{urn}?event=ID and its .csv
ApiResponse school_report(const StaffRequest& r, EventId event, std::string_view urn, bool csv) {
    auto report = store::load_school_report(r.db, event, urn, r.now);
    if (!report) return no_event(r.now);
    if (csv) {
        std::ostringstream out;
        attendance::write_school_report_csv(std::span(&*report, 1), out);
        auto res = staff_reply(HttpStatus::ok, out.str(), r.now);
        res.content_type = "text/csv; charset=utf-8";
        res.headers.emplace_back("Content-Disposition",
                                 "attachment; filename=\"school-" + std::string(urn) + "-event-" + std::to_string(event) + ".csv\"");
        return res;
    }
    json::array people;
    for (const auto& p : report->people) people.push_back(person_json(p));
    return ok(json::object{{"event", event_json(report->event, report->held)},
                           {"urn", report->urn},
                           {"school_name", report->school_name},
                           {"induction_tutors", tutors_json(report->induction_tutors)},
                           {"counts", counts_json(attendance::count(*report))},
                           {"people", std::move(people)}},
              r.now);
}

std::optional<ApiResponse> schools(const StaffRequest& r) {
    constexpr std::string_view base = "/staff/api/schools";
    if (r.path != base && r.path.rfind("/staff/api/schools/", 0) != 0) return std::nullopt;
    if (r.http.method != "GET") return method_not_allowed("GET", r.now);
    auto event = event_param(r);
    if (!event) return invalid("event: give the event's id, ?event=ID", r.now);
    if (r.path == base) return schools_of_event(r, *event);
    std::string_view rest = r.path.substr(base.size() + 1);
    bool csv = rest.size() > 4 && rest.substr(rest.size() - 4) == ".csv";
    if (csv) rest.remove_suffix(4);
    if (!store::is_urn(rest)) return staff_refusal(HttpStatus::not_found, "not_found", "A school is its 6-digit URN.", r.now);
    return school_report(r, *event, rest, csv);
}

std::optional<ApiResponse> notices(const StaffRequest& r) {
    constexpr std::string_view base = "/staff/api/notices";
    if (r.path == "/staff/api/notices/draft") {
        if (r.http.method != "GET") return method_not_allowed("GET", r.now);
        auto event = event_param(r);
        auto urn = query_value(r.http.target, "urn");
        if (!event) return invalid("event: give the event's id, ?event=ID", r.now);
        if (!urn || !store::is_urn(*urn)) return invalid("urn: give the school's 6-digit URN, &urn=URN", r.now);
        auto d = store::draft_school_notice(r.db, *event, *urn, r.now);
        if (!d) return no_event(r.now);
        return ok(draft_json(*d), r.now);
    }
    if (r.path != base) return r.path.rfind("/staff/api/notices/", 0) == 0
                                   ? std::optional(staff_refusal(HttpStatus::not_found, "not_found", "No such notice path.", r.now))
                                   : std::nullopt;
    if (r.http.method == "GET") {
        std::optional<EventId> event;
        if (query_value(r.http.target, "event")) {
            event = event_param(r);
            if (!event) return invalid("event: give the event's id, ?event=ID", r.now);
        }
        auto urn = query_value(r.http.target, "urn");
        if (urn && !store::is_urn(*urn)) return invalid("urn: give the school's 6-digit URN", r.now);
        json::array list;
        for (const auto& n : store::list_notices(r.db, event, urn)) list.push_back(notice_json(n));
        return ok(json::object{{"notices", std::move(list)}}, r.now);
    }
    if (r.http.method != "POST") return method_not_allowed("GET or POST", r.now);
    // Mark sent: {"event_id": N, "urn": "012345", "version": "<the draft's version>"}.
    auto body = json_body(r.http);
    if (!body) return invalid("the body must be a JSON object", r.now);
    auto* event = body->if_contains("event_id");
    if (!event || !event->is_int64() || event->as_int64() <= 0) return invalid("event_id: the event's id, a number", r.now);
    auto urn = string_member(*body, "urn");
    if (!urn || !store::is_urn(*urn)) return invalid("urn: the school's 6-digit URN", r.now);
    auto version = string_member(*body, "version");
    if (!version) return invalid("version: the draft's version, as the draft gave it", r.now);
    auto result = store::mark_notice_sent(r.db, event->as_int64(), *urn, *version, {r.who.id, r.who.name}, r.now);
    switch (result.outcome) {
        case store::MarkSentOutcome::recorded:
            r.log.info("notice_sent", {{"notice_id", result.notice->id}, {"event_id", result.notice->event_id}, {"staff_id", r.who.id}});
            return ok(json::object{{"result", "recorded"}, {"notice", notice_json(*result.notice)}}, r.now, HttpStatus::created);
        case store::MarkSentOutcome::already:
            return ok(json::object{{"result", "already"}, {"notice", notice_json(*result.notice)}}, r.now);
        case store::MarkSentOutcome::changed:
        case store::MarkSentOutcome::nothing_to_send: {
            json::object o{{"error", result.problem}, {"code", store::to_string(result.outcome)}};
            if (result.draft) o["draft"] = draft_json(*result.draft);
            return ok(std::move(o), r.now, HttpStatus::conflict);
        }
        case store::MarkSentOutcome::not_found: return no_event(r.now);
        case store::MarkSentOutcome::invalid: return invalid(result.problem, r.now);
    }
    return invalid(result.problem, r.now);
}

}  // namespace

std::optional<ApiResponse> handle_staff_schools(const StaffRequest& r) {
    if (auto answer = schools(r)) return answer;
    return notices(r);
}

}  // namespace muster::server
