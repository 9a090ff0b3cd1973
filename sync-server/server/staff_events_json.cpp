// The reconciliation pages' JSON (staff_events_json.hpp). Names are full names: the staff
// pages are behind a login, not public screens. Nothing here is logged.
#include "staff_events_json.hpp"

#include "muster/time/uk_time.hpp"

#include <boost/json.hpp>

namespace muster::server {

namespace json = boost::json;

namespace {

json::value opt_int(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value opt_text(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value text(std::string_view v) { return json::value(json::string(v)); }

// A time as the pages show it: milliseconds plus the hub's local clock.
void put_time(json::object& o, std::string_view key, const std::optional<TimeMs>& at, bool with_date = false) {
    o[key] = opt_int(at);
    std::string local_key = std::string(key.substr(0, key.size() - 3)) + "_local";  // "in_ms" -> "in_local"
    o[local_key] = at ? text(with_date ? uk_time::format_local(*at) : uk_time::format_hhmm(*at)) : json::value(nullptr);
}

json::object author_json(const store::CorrectionAuthor& a) {
    return json::object{{"staff_id", opt_int(a.staff_id)}, {"name", a.name}};
}

json::object scan_json(const store::ScanFact& s) {
    json::object o{{"uuid", s.uuid},
                   {"direction", text(to_string(s.direction))},
                   {"outcome", text(to_string(s.outcome))},
                   {"method", text(to_string(s.method))},
                   {"session_id", opt_int(s.session_id)},
                   {"room_id", opt_int(s.room_id)},
                   {"device", s.device_name},
                   {"voided", s.voided}};
    put_time(o, "at_ms", s.at_ms, true);
    return o;
}

json::object correction_json(const store::CorrectionFact& c) {
    json::object o{{"uuid", c.uuid},
                   {"kind", c.kind == CorrectionKind::mark ? "mark" : "void"},
                   {"status", c.status ? text(to_string(*c.status)) : json::value(nullptr)},
                   {"status_label", c.status ? text(label(*c.status)) : json::value(nullptr)},
                   {"target_uuid", opt_text(c.target_uuid)},
                   {"reason", c.reason},
                   {"note", c.note},
                   {"author", c.author},
                   {"source", text(store::to_string(c.source))},
                   {"amendment", c.amendment_reason.has_value()},
                   {"amendment_reason", opt_text(c.amendment_reason)},
                   {"linked_event_id", opt_int(c.linked_event_id)},
                   {"caught_up_on", opt_text(c.caught_up_on)},
                   {"evidence", opt_text(c.evidence)},
                   {"voided", c.voided}};
    put_time(o, "at_ms", c.at_ms, true);
    return o;
}

template <class T, class F>
json::array array_of(const std::vector<T>& items, F&& f) {
    json::array a;
    a.reserve(items.size());
    for (const auto& i : items) a.emplace_back(f(i));
    return a;
}

json::object part_json(const store::PartCell& p) {
    json::object o{{"session_id", p.session_id},
                   {"name", p.name},
                   {"minutes_late", p.minutes_late ? json::value(*p.minutes_late) : json::value(nullptr)},
                   {"attended", p.attended}};
    put_time(o, "in_ms", p.in_ms);
    return o;
}

json::object row_json(const store::ReconcileRow& r) {
    const auto& s = r.summary;
    json::object o{{"participant_id", r.participant_id},
                   {"name", r.full_name},
                   {"school", r.school_name},
                   {"urn", r.school_urn},
                   {"role", text(to_string(r.role))},
                   {"role_label", text(label(r.role))},
                   {"room_id", opt_int(r.room_id)},
                   {"room", r.room_name},
                   {"parts", array_of(r.parts, part_json)},
                   {"status", text(to_string(s.status))},
                   {"status_label", text(label(s.status))},
                   {"marked_by_staff", s.marked_by_staff},
                   {"mark_reason", opt_text(s.mark_reason)},
                   {"mark_author", opt_text(s.mark_author)},
                   {"minutes_late", r.minutes_late ? json::value(*r.minutes_late) : json::value(nullptr)},
                   {"left_early", r.left_early},
                   {"unsettled", r.unsettled},
                   {"alternate_event_id", opt_int(r.alternate_event_id)},
                   {"scans", array_of(r.scans, scan_json)},
                   {"corrections", array_of(r.corrections, correction_json)}};
    put_time(o, "checked_out_ms", r.checked_out_ms);
    return o;
}

json::object candidate_json(const store::LinkCandidate& c) {
    return json::object{{"event_id", c.event_id}, {"title", c.title}, {"date", c.local_date}, {"same_item", c.same_item}};
}

json::object unexpected_json(const store::UnexpectedRow& u) {
    json::object o{{"participant_id", u.participant_id},
                   {"name", u.full_name},
                   {"school", u.school_name},
                   {"urn", u.school_urn},
                   {"role", text(to_string(u.role))},
                   {"role_label", text(label(u.role))},
                   {"scans", array_of(u.scans, scan_json)},
                   {"candidates", array_of(u.candidates, candidate_json)},
                   {"linked_to", opt_int(u.linked_to)}};
    put_time(o, "first_in_ms", u.first_in_ms);
    return o;
}

json::object event_json(const Event& e) {
    json::array sessions;
    for (const auto& s : e.sessions) {
        json::object so{{"id", s.id}, {"name", s.name}};
        put_time(so, "starts_ms", s.starts_ms);
        put_time(so, "ends_ms", s.ends_ms);
        sessions.emplace_back(std::move(so));
    }
    json::array rooms;
    for (const auto& r : e.rooms) rooms.emplace_back(json::object{{"id", r.id}, {"name", r.name}});
    return json::object{{"id", e.id},
                        {"title", e.title},
                        {"venue", e.venue},
                        {"date", e.local_date},
                        {"programme", e.programme},
                        {"item", e.item},
                        {"kind", text(to_string(e.kind))},
                        {"late_after_min", e.late_after_min},
                        {"sessions", std::move(sessions)},
                        {"rooms", std::move(rooms)}};
}

}  // namespace

json::object sign_off_json(const store::SignOff& s) {
    json::object o{{"by", author_json(s.by)}, {"note", s.note}};
    put_time(o, "at_ms", s.at_ms, true);
    return o;
}

json::object overview_json(std::span<const store::EventOverview> events, TimeMs now) {
    json::array list;
    list.reserve(events.size());
    for (const auto& e : events)
        list.emplace_back(json::object{{"id", e.event_id},
                                       {"title", e.title},
                                       {"venue", e.venue},
                                       {"date", e.local_date},
                                       {"programme", e.programme},
                                       {"item", e.item},
                                       {"kind", text(to_string(e.kind))},
                                       {"held", e.held},
                                       {"cancelled", e.cancelled},
                                       {"signed_off", e.signed_off ? json::value(sign_off_json(*e.signed_off)) : json::value(nullptr)},
                                       {"expected", e.expected},
                                       {"unsettled", e.unsettled},
                                       {"unexpected", e.unexpected}});
    return json::object{{"events", std::move(list)}, {"server_time_ms", now}};
}

json::object reconciliation_json(const store::EventReconciliation& rec) {
    json::array counts;
    for (const auto& c : rec.counts)
        counts.emplace_back(json::object{{"status", text(to_string(c.status))}, {"label", text(label(c.status))}, {"count", c.count}});
    return json::object{{"event", event_json(rec.event)},
                        {"held", rec.held},
                        {"signed_off", rec.signed_off ? json::value(sign_off_json(*rec.signed_off)) : json::value(nullptr)},
                        {"counts", std::move(counts)},
                        {"unsettled", rec.unsettled},
                        {"change", rec.change},
                        {"rows", array_of(rec.rows, row_json)},
                        {"unexpected", array_of(rec.unexpected, unexpected_json)}};
}

json::object audit_json(EventId event, std::span<const store::AuditEntry> entries) {
    json::array list;
    list.reserve(entries.size());
    for (const auto& e : entries) {
        json::object o{{"kind", e.kind},
                       {"author", e.author},
                       {"source", text(store::to_string(e.source))},
                       {"participant_id", opt_int(e.participant_id)},
                       {"participant", e.participant_name},
                       {"what", e.what},
                       {"reason", e.reason},
                       {"amendment", e.amendment_reason.has_value()},
                       {"amendment_reason", opt_text(e.amendment_reason)},
                       {"uuid", e.uuid}};
        put_time(o, "at_ms", e.at_ms, true);
        list.emplace_back(std::move(o));
    }
    return json::object{{"event_id", event}, {"entries", std::move(list)}};
}

}  // namespace muster::server
