#include "muster/attendance/attendance_export.hpp"

#include "muster/attendance/attendance_rules.hpp"
#include "muster/csv/csv_reader.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/time/uk_time.hpp"

namespace muster::attendance {
namespace {

constexpr ExportColumn columns[] = {
    {"event_id", "the event's id (muster event list)"},
    {"event_date", "the event's date, YYYY-MM-DD"},
    {"programme", "the programme template's code (ect-y1, mentor, ...)"},
    {"event", "the event's title"},
    {"venue", "where it was held"},
    {"participant_id", "the participant's id on this hub"},
    {"trn", "teacher reference number (7 digits), if known"},
    {"first_name", "first name"},
    {"last_name", "last name"},
    {"email", "email address"},
    {"school_urn", "the school's URN (6 digits)"},
    {"school", "the school's name"},
    {"role", "the participant's role (muster help roles)"},
    {"expected", "yes when enrolled at this event, no when they came without being expected"},
    {"status", "the attendance status (muster help statuses)"},
    {"first_in", "first entry, UK local HH:MM"},
    {"last_out", "last exit, UK local HH:MM"},
    {"sessions_attended", "sessions with a counted scan"},
    {"sessions_total", "the event's sessions"},
    {"marked_by", "who set the status by hand (a staff correction), else empty"},
    {"note", "the reason given with that correction"},
};

}  // namespace

std::span<const ExportColumn> export_columns() { return columns; }

std::size_t export_csv(db::Database& db, std::optional<EventId> event_id, std::ostream& out) {
    for (std::size_t i = 0; i < std::size(columns); ++i) out << (i ? "," : "") << columns[i].name;
    out << "\r\n";
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
