#include "muster/attendance/attendance_export.hpp"

#include "muster/attendance/attendance_rules.hpp"
#include "muster/csv/csv_writer.hpp"
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
    std::vector<Event> events;
    if (event_id) {
        auto e = store::load_event(db, *event_id);
        if (!e) throw std::invalid_argument("no event " + std::to_string(*event_id));
        events.push_back(std::move(*e));
    } else {
        events = store::list_events(db);
    }
    std::vector<std::string_view> header;
    for (const auto& c : columns) header.push_back(c.name);
    csv::Writer w(out, header);  // byte-order mark, CRLF, neutralised text, TRN/URN kept as text
    auto opt = [](const std::optional<std::string>& s) { return std::string_view(s ? *s : std::string_view()); };
    auto hhmm = [](const std::optional<TimeMs>& ms) { return ms ? uk_time::format_hhmm(*ms) : std::string(); };
    for (const auto& event : events) {
        auto scans = store::check_ins_for_event(db, event.id);
        auto corrections = store::corrections_for_event(db, event.id);
        auto enrolled = store::enrolments(db, event.id);
        for (const auto& s : summarise_event(event, enrolled, scans, corrections)) {
            auto p = store::find_participant(db, s.participant_id);
            if (!p) continue;
            w.number(event.id).text(event.local_date).text(event.programme).text(event.title).text(event.venue);
            w.number(p->id).identifier(opt(p->trn)).text(p->first_name).text(p->last_name).text(opt(p->email));
            w.identifier(opt(p->school_urn)).text(opt(p->school_name)).text(to_string(p->role));
            w.text(s.expected ? "yes" : "no").text(to_string(s.status)).text(hhmm(s.first_in_ms)).text(hhmm(s.last_out_ms));
            w.number(s.sessions_attended).number(s.sessions_total).text(opt(s.mark_author)).text(opt(s.mark_reason));
            w.end_row();
        }
    }
    return w.rows();
}

}  // namespace muster::attendance
