#include "muster/attendance/attendance_export.hpp"

#include "muster/attendance/attendance_rules.hpp"
#include "muster/csv/csv_reader.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/time/uk_time.hpp"

namespace muster::attendance {

std::size_t export_csv(db::Database& db, std::optional<EventId> event_id, std::ostream& out) {
    out << "event_id,event_date,programme,event,venue,participant_id,trn,first_name,last_name,email,school_urn,"
           "school,role,expected,status,first_in,last_out,sessions_attended,sessions_total,marked_by,note\r\n";
    std::vector<Event> events;
    if (event_id) {
        auto e = store::load_event(db, *event_id);
        if (!e) throw std::invalid_argument("no event " + std::to_string(*event_id));
        events.push_back(std::move(*e));
    } else {
        events = store::list_events(db);
    }
    auto q = [](const std::optional<std::string>& s) { return csv::quote_for_spreadsheet(s.value_or("")); };
    std::size_t rows = 0;
    for (const auto& event : events) {
        auto scans = store::check_ins_for_event(db, event.id);
        auto corrections = store::corrections_for_event(db, event.id);
        auto enrolled = store::enrolments(db, event.id);
        for (const auto& s : summarise_event(event, enrolled, scans, corrections)) {
            auto p = store::find_participant(db, s.participant_id);
            if (!p) continue;
            out << event.id << ',' << event.local_date << ',' << csv::quote_for_spreadsheet(event.programme) << ','
                << csv::quote_for_spreadsheet(event.title) << ',' << csv::quote_for_spreadsheet(event.venue) << ','
                << p->id << ',' << q(p->trn) << ',' << csv::quote_for_spreadsheet(p->first_name) << ','
                << csv::quote_for_spreadsheet(p->last_name) << ',' << q(p->email) << ',' << q(p->school_urn) << ','
                << q(p->school_name) << ',' << to_string(p->role) << ',' << (s.expected ? "yes" : "no") << ','
                << to_string(s.status) << ',' << (s.first_in_ms ? uk_time::format_hhmm(*s.first_in_ms) : "") << ','
                << (s.last_out_ms ? uk_time::format_hhmm(*s.last_out_ms) : "") << ',' << s.sessions_attended << ','
                << s.sessions_total << ',' << q(s.mark_author) << ',' << q(s.mark_reason) << "\r\n";
            ++rows;
        }
    }
    return rows;
}

}  // namespace muster::attendance
