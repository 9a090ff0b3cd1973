// The per-school report and the school's programme progress as CSV for Excel.
#include "muster/attendance/school_report.hpp"

#include "muster/csv/csv_writer.hpp"
#include "muster/time/uk_time.hpp"

#include <cstdio>
#include <vector>

namespace muster::attendance {
namespace {

constexpr ExportColumn report_columns[] = {
    {"event_id", "the event's id (muster event list)"},
    {"event_date", "the event's date, YYYY-MM-DD"},
    {"event", "the event's title"},
    {"school_urn", "the school's URN (6 digits)"},
    {"school", "the school's name"},
    {"participant_id", "the participant's id on this hub"},
    {"trn", "teacher reference number (7 digits), if known"},
    {"first_name", "first name"},
    {"last_name", "last name"},
    {"role", "ect or mentor"},
    {"expected", "yes when expected at this event, no when they came without being expected (another date of theirs)"},
    {"status", "the attendance status (muster help statuses); a staff mark wins"},
    {"marked_by", "who set the status by hand, else empty"},
    {"first_in", "first entry, UK local HH:MM"},
    {"last_out", "last exit, UK local HH:MM"},
    {"minutes_late", "minutes after the first session's start, when late by the scans"},
    {"left_early", "yes when the scans say they left early (whatever a mark says)"},
    {"missed_sessions", "sessions without a scan, for someone who came to some"},
    {"plan", "their programme (ECT year 1, mentor, ...)"},
    {"programme_counted", "elements counted so far over the programme, per kind"},
    {"programme_status", "met, on_track or at_risk"},
    {"at_risk_because", "why at risk, in words"},
};

constexpr ExportColumn progress_columns[] = {
    {"participant_id", "the participant's id on this hub"},
    {"trn", "teacher reference number (7 digits), if known"},
    {"first_name", "first name"},
    {"last_name", "last name"},
    {"school_urn", "the school's URN (6 digits)"},
    {"school", "the school's name"},
    {"role", "ect or mentor"},
    {"plan", "their programme (ECT year 1, mentor, ...)"},
    {"required", "elements the programme requires"},
    {"counted", "elements counted (attended, another date, caught up)"},
    {"excused", "elements missed with the absence excused (a recording to catch up)"},
    {"missed", "elements missed for good"},
    {"dates_left", "elements with a date still to come"},
    {"counts", "counted of required, per kind"},
    {"status", "met, on_track or at_risk"},
    {"at_risk_because", "why at risk, in words"},
    {"events", "each event of theirs: date, programme item and standing"},
};

std::vector<std::string_view> header_of(std::span<const ExportColumn> columns) {
    std::vector<std::string_view> out;
    for (const auto& c : columns) out.push_back(c.name);
    return out;
}

std::string hhmm(const std::optional<TimeMs>& ms) { return ms ? uk_time::format_hhmm(*ms) : std::string(); }

std::string fixed1(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

}  // namespace

std::span<const ExportColumn> school_report_columns() { return report_columns; }
std::span<const ExportColumn> school_progress_columns() { return progress_columns; }

std::string_view progress_state(const Progress& p) { return p.met ? "met" : p.at_risk ? "at_risk" : "on_track"; }

std::string progress_counts(const Progress& p) {
    if (p.percent)
        return std::to_string(p.all.counted()) + "/" + std::to_string(p.all.elements) + " elements, " + fixed1(*p.percent) + " %";
    std::string out;
    for (const auto& t : p.targets)
        out += (out.empty() ? "" : ", ") + std::string(t.name) + " " + std::to_string(t.counted()) + "/" + std::to_string(t.required);
    return out;
}

std::size_t write_school_report_csv(std::span<const SchoolEventReport> reports, std::ostream& out) {
    auto header = header_of(report_columns);
    csv::Writer w(out, header);
    for (const auto& r : reports) {
        for (const auto& p : r.people) {
            const auto& who = p.participant;
            const auto& s = p.summary;
            std::string missed;
            for (const auto& m : p.missed_sessions) missed += (missed.empty() ? "" : "; ") + m;
            w.number(r.event.id).text(r.event.local_date).text(r.event.title).identifier(r.urn).text(r.school_name);
            w.number(who.id).identifier(who.trn.value_or("")).text(who.first_name).text(who.last_name).text(to_string(who.role));
            w.text(s.expected ? "yes" : "no").text(to_string(s.status)).text(s.marked_by_staff ? s.mark_author.value_or("") : "");
            w.text(hhmm(s.first_in_ms)).text(hhmm(s.last_out_ms));
            p.minutes_late ? w.number(*p.minutes_late) : w.empty();
            w.text(p.left_early ? "yes" : "no").text(missed);
            if (p.progress)
                w.text(p.progress->plan).text(progress_counts(*p.progress)).text(progress_state(*p.progress)).text(p.progress->risk);
            else
                w.empty().empty().empty().empty();
            w.end_row();
        }
    }
    return w.rows();
}

std::size_t write_school_progress_csv(std::span<const ParticipantProgress> people, std::ostream& out) {
    auto header = header_of(progress_columns);
    csv::Writer w(out, header);
    for (const auto& r : people) {
        const auto& p = r.participant;
        const auto& g = r.progress;
        std::string events;
        for (const auto& e : r.records)
            events += (events.empty() ? "" : "; ") + e.local_date + " " + e.programme + " " + e.item + " " +
                      std::string(to_string(e.standing));
        w.number(p.id).identifier(p.trn.value_or("")).text(p.first_name).text(p.last_name);
        w.identifier(p.school_urn.value_or("")).text(p.school_name.value_or("")).text(to_string(p.role)).text(g.plan);
        w.number(g.all.required).number(g.all.counted()).number(g.all.excused).number(g.all.missed).number(g.all.to_come);
        w.text(progress_counts(g)).text(progress_state(g)).text(g.risk).text(events);
        w.end_row();
    }
    return w.rows();
}

}  // namespace muster::attendance
