// The facilitators' report as CSV for Excel (docs/facilitators.md): one row per delivered
// session, written by csv::Writer (BOM, CRLF, formula-safe, URN kept as text).
#include "muster/attendance/facilitator_report.hpp"

#include "muster/csv/csv_writer.hpp"
#include "muster/time/uk_time.hpp"

#include <sstream>

namespace muster::attendance {
namespace {

constexpr ExportColumn columns[] = {
    {"facilitator_id", "the facilitator's participant id on this hub"},
    {"facilitator", "the facilitator's full name"},
    {"school_urn", "their school's URN (6 digits): the school the hub pays"},
    {"school", "their school's name"},
    {"date", "the event's date, YYYY-MM-DD"},
    {"event_id", "the event's id (muster event list)"},
    {"event", "the event's title"},
    {"programme", "the programme template (ect-y1, mentor, ...)"},
    {"item", "the programme item (conference-1, clinic-2, ...)"},
    {"room", "the room they delivered in, if they are listed for one"},
    {"part", "the session part (Morning, Afternoon, Clinic)"},
    {"starts", "the part's start, UK local HH:MM"},
    {"ends", "the part's end, UK local HH:MM"},
    {"evidence", "scan (they checked in to it) or staff mark (hub staff marked them present)"},
    {"lead", "yes when they are the room's lead facilitator"},
    {"signed_off", "yes when the event is signed off (the figure changes only by an amendment)"},
};

}  // namespace

std::span<const ExportColumn> facilitator_report_columns() { return columns; }

std::string facilitator_report_csv(const std::vector<FacilitatorSessions>& report) {
    std::vector<std::string_view> header;
    for (const auto& c : columns) header.push_back(c.name);
    std::ostringstream out;
    csv::Writer w(out, header);
    for (const auto& f : report)
        for (const auto& s : f.sessions) {
            w.number(f.participant_id).text(f.full_name).identifier(f.school_urn).text(f.school_name);
            w.text(s.local_date).number(s.event_id).text(s.event_title).text(s.programme).text(s.item);
            w.text(s.room_name).text(s.part).text(uk_time::format_hhmm(s.starts_ms)).text(uk_time::format_hhmm(s.ends_ms));
            w.text(s.evidence).text(s.lead ? "yes" : "no").text(s.signed_off ? "yes" : "no");
            w.end_row();
        }
    return out.str();
}

}  // namespace muster::attendance
