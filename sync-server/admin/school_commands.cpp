// `muster school report|progress` and `muster notice draft|sent|list`: the per-school report
// for induction tutors and the non-attendance notices sent to schools (docs/schools.md).
#include "command.hpp"
#include "csv_output.hpp"

#include "muster/attendance/school_report.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/school_notice_store.hpp"
#include "muster/time/uk_time.hpp"

#include <ostream>
#include <sstream>

namespace muster::admin {
namespace {

std::string pad(std::string s, std::size_t width) {
    // Width in characters, not bytes (names carry accents).
    std::size_t chars = 0;
    for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
    if (chars < width) s.append(width - chars, ' ');
    return s + ' ';
}

std::string urn_option(const Args& a, bool required) {
    auto urn = required ? std::optional<std::string>(a.require("urn")) : a.get("urn");
    if (!urn) return {};
    if (!store::is_urn(*urn)) throw UsageError("--urn takes the school's URN, 6 digits");
    return *urn;
}

EventId event_option(const Args& a) {
    auto id = a.require_int("event");
    if (id <= 0) throw UsageError("--event takes an event id (muster event list)");
    return id;
}

std::string status_cell(const attendance::SchoolPerson& p) {
    std::string s(label(p.summary.status));
    if (!p.summary.expected) s += " (not expected here)";
    if (p.summary.marked_by_staff) s += " (marked by " + p.summary.mark_author.value_or("staff") + ")";
    return s;
}

std::string detail_cell(const attendance::SchoolPerson& p) {
    std::string out;
    auto add = [&](const std::string& s) { out += (out.empty() ? "" : "; ") + s; };
    if (p.minutes_late) add(std::to_string(*p.minutes_late) + " min late");
    if (p.left_early) add("left early by the scans");
    if (!p.missed_sessions.empty()) {
        std::string m;
        for (const auto& s : p.missed_sessions) m += (m.empty() ? "" : ", ") + s;
        add("missed " + m);
    }
    return out.empty() ? "-" : out;
}

std::string progress_cell(const std::optional<attendance::Progress>& p) {
    if (!p) return "-";
    std::string s = attendance::progress_counts(*p);
    if (p->met) s += ", met";
    else if (p->at_risk) s += ", AT RISK: " + p->risk;
    return s;
}

void print_report(const attendance::SchoolEventReport& r, std::ostream& out) {
    out << (r.school_name.empty() ? "(no name)" : r.school_name) << " (URN " << r.urn << ") at event " << r.event.id << ", "
        << r.event.title << ", " << r.event.local_date << (r.held ? "" : " (not over yet)") << "\n";
    out << "Induction tutor: ";
    if (r.induction_tutors.empty()) out << "none on the roster";
    for (std::size_t i = 0; i < r.induction_tutors.size(); ++i) out << (i ? ", " : "") << r.induction_tutors[i].full_name();
    out << "\n\n";
    if (r.people.empty()) {
        out << "No ECTs or mentors of this school expected at this event.\n";
        return;
    }
    out << pad("ID", 6) << pad("Name", 26) << pad("Role", 7) << pad("Status", 34) << pad("In", 6) << pad("Out", 6)
        << pad("Detail", 30) << "Programme\n";
    for (const auto& p : r.people) {
        auto hhmm = [](const std::optional<TimeMs>& t) { return t ? uk_time::format_hhmm(*t) : std::string("-"); };
        out << pad(std::to_string(p.participant.id), 6) << pad(p.participant.full_name(), 26)
            << pad(std::string(to_string(p.participant.role)), 7) << pad(status_cell(p), 34) << pad(hhmm(p.summary.first_in_ms), 6)
            << pad(hhmm(p.summary.last_out_ms), 6) << pad(detail_cell(p), 30) << progress_cell(p.progress) << "\n";
    }
}

int school_report(const Args& a, Context& ctx) {
    EventId event = event_option(a);
    std::string urn = urn_option(a, false);
    auto db = ctx.hub.open();
    TimeMs now = uk_time::now_ms();
    std::vector<attendance::SchoolEventReport> reports;
    if (!urn.empty()) {
        auto r = store::load_school_report(*db, event, urn, now);
        if (!r) throw UsageError("no event " + std::to_string(event) + " (muster event list)");
        reports.push_back(std::move(*r));
    } else {
        auto all = store::load_event_school_reports(*db, event, now);
        if (!all) throw UsageError("no event " + std::to_string(event) + " (muster event list)");
        reports = std::move(*all);
    }
    if (auto to = csv_destination(a); to.wanted) {
        std::ostringstream text;
        auto rows = attendance::write_school_report_csv(reports, text);
        return write_csv_output(ctx, "muster school report", to, text.str(), rows);
    }
    if (!urn.empty()) {
        print_report(reports.front(), ctx.out);
        return 0;
    }
    if (reports.empty()) {
        ctx.err << "muster school report: no ECTs or mentors of any school at event " << event << "\n";
        return 1;
    }
    ctx.out << "Schools at event " << event << ", " << reports.front().event.title << ", " << reports.front().event.local_date
            << "\n\n"
            << pad("URN", 7) << pad("School", 30) << pad("Expected", 9) << pad("Present", 8) << pad("Late", 5) << pad("Left", 5)
            << pad("Absent", 7) << pad("Excused", 8) << pad("At risk", 8) << "To tell\n";
    for (const auto& r : reports) {
        auto c = attendance::count(r);
        ctx.out << pad(c.urn, 7) << pad(c.school_name.empty() ? "(no name)" : c.school_name, 30) << pad(std::to_string(c.expected), 9)
                << pad(std::to_string(c.present), 8) << pad(std::to_string(c.late), 5) << pad(std::to_string(c.left_early), 5)
                << pad(std::to_string(c.absent), 7) << pad(std::to_string(c.excused), 8) << pad(std::to_string(c.at_risk), 8)
                << c.to_tell << "\n";
    }
    ctx.out << "\n'muster school report --event " << event << " --urn URN' for one school; 'muster notice draft' for its notice.\n";
    return 0;
}

int school_progress(const Args& a, Context& ctx) {
    std::string urn = urn_option(a, true);
    auto db = ctx.hub.open();
    TimeMs now = uk_time::now_ms();
    auto school = store::load_school_programme(*db, urn, now);
    if (auto to = csv_destination(a); to.wanted) {
        std::ostringstream text;
        auto rows = attendance::write_school_progress_csv(school.people, text);
        return write_csv_output(ctx, "muster school progress", to, text.str(), rows);
    }
    if (school.people.empty()) {
        ctx.err << "muster school progress: no ECTs or mentors at school " << urn << "\n";
        return 1;
    }
    ctx.out << (school.school_name.empty() ? "(no name)" : school.school_name) << " (URN " << urn
            << "): programme progress at " << uk_time::format_local(now) << "\n\n";
    for (const auto& p : school.people) {
        ctx.out << p.participant.full_name() << " (" << to_string(p.participant.role) << ", " << p.progress.plan
                << "): " << progress_cell(p.progress) << "\n";
        for (const auto& e : p.records)
            ctx.out << "  " << pad(e.local_date, 11) << pad("event " + std::to_string(e.event_id), 10)
                    << pad(e.programme + " " + e.item, 28) << label(e.standing) << (e.marked_by_staff ? " (staff)" : "") << "\n";
    }
    return 0;
}

void print_people(const std::vector<store::NoticePerson>& people, std::ostream& out) {
    for (const auto& p : people) out << "  " << p.name << ": " << label(p.status) << "\n";
}

int notice_draft(const Args& a, Context& ctx) {
    EventId event = event_option(a);
    std::string urn = urn_option(a, true);
    auto db = ctx.hub.open();
    auto d = store::draft_school_notice(*db, event, urn, uk_time::now_ms());
    if (!d) throw UsageError("no event " + std::to_string(event) + " (muster event list)");
    if (!d->held) {
        ctx.err << "muster notice draft: event " << event << " is not over yet: no notice until it is\n";
        return 1;
    }
    if (!d->anything_to_send()) {
        ctx.err << "muster notice draft: nothing new to tell school " << urn << " about event " << event;
        if (!d->left_out.empty()) ctx.err << " (" << d->left_out.size() << " already told)";
        ctx.err << "\n";
        return 1;
    }
    ctx.out << d->text << "\n-- version " << d->version << "\n"
            << "After sending it: muster notice sent --event " << event << " --urn " << urn << " --author NAME --version "
            << d->version << "\n";
    return 0;
}

int notice_sent(const Args& a, Context& ctx) {
    EventId event = event_option(a);
    std::string urn = urn_option(a, true);
    std::string author = a.require_text("author", 80);
    auto db = ctx.hub.open();
    TimeMs now = uk_time::now_ms();
    std::string version;
    if (auto v = a.get("version")) {
        version = *v;
    } else {
        // The current draft: what `muster notice draft` shows now.
        auto d = store::draft_school_notice(*db, event, urn, now);
        if (!d) throw UsageError("no event " + std::to_string(event) + " (muster event list)");
        version = d->version;
        if (version.empty()) {
            ctx.err << "muster notice sent: nothing new to tell school " << urn << " about event " << event << "\n";
            return 1;
        }
    }
    auto r = store::mark_notice_sent(*db, event, urn, version, {std::nullopt, author}, now);
    switch (r.outcome) {
        case store::MarkSentOutcome::recorded:
            ctx.out << "Notice " << r.notice->id << " recorded as sent to school " << urn << " by " << r.notice->author
                    << "; it told about:\n";
            print_people(r.notice->people, ctx.out);
            return 0;
        case store::MarkSentOutcome::already:
            ctx.out << "Already recorded: notice " << r.notice->id << ", sent " << uk_time::format_local(r.notice->sent_ms) << " by "
                    << r.notice->author << "\n";
            return 0;
        case store::MarkSentOutcome::invalid: throw UsageError(r.problem);
        case store::MarkSentOutcome::not_found: throw UsageError(r.problem + " (muster event list)");
        case store::MarkSentOutcome::changed:
        case store::MarkSentOutcome::nothing_to_send:
            ctx.err << "muster notice sent: " << r.problem << " (muster notice draft --event " << event << " --urn " << urn
                    << ")\n";
            return 1;
    }
    return 1;
}

int notice_list(const Args& a, Context& ctx) {
    std::optional<EventId> event;
    if (a.get("event")) event = event_option(a);
    auto db = ctx.hub.open();
    auto notices = store::list_notices(*db, event);
    if (notices.empty()) {
        ctx.err << "muster notice list: no notices recorded" << (event ? " for event " + std::to_string(*event) : std::string())
                << "\n";
        return 1;
    }
    for (const auto& n : notices) {
        ctx.out << "Notice " << n.id << ": event " << n.event_id << " (" << n.event_title << ", " << n.event_date << "), school "
                << n.urn << ", sent " << uk_time::format_local(n.sent_ms) << " by " << n.author << "\n";
        print_people(n.people, ctx.out);
    }
    return 0;
}

}  // namespace

std::vector<Command> school_commands() {
    return {
        {"school report", "Each school's ECTs and mentors at an event: status, lateness, left early, programme progress",
         "--event ID [--urn URN] [--csv | --out FILE]\n\n"
         "  --event  the event (muster event list)\n"
         "  --urn    one school (its 6-digit URN): each person in full; without it, one line per school\n"
         "  --csv    write the rows as CSV for Excel to standard output (muster help school-columns)\n"
         "  --out    write that CSV to FILE instead (replaced whole; an earlier file stays if writing fails)",
         {"event", "urn", "out"}, {"csv"}, school_report},
        {"school progress", "A school's ECTs and mentors over their programme: counted, required, at risk, each event",
         "--urn URN [--csv | --out FILE]\n\n"
         "  --urn  the school's 6-digit URN\n"
         "  --csv  write one row per person as CSV for Excel to standard output\n"
         "  --out  write that CSV to FILE instead (replaced whole; an earlier file stays if writing fails)",
         {"urn", "out"}, {"csv"}, school_progress},
        {"notice draft", "The non-attendance notice for a school's induction tutor after an event, as it stands",
         "--event ID --urn URN\n\n"
         "Prints the text and its version. People an earlier notice told about are left out (muster help notices).\n"
         "Exit 1 when there is nothing new to tell.",
         {"event", "urn"}, {}, notice_draft},
        {"notice sent", "Record a school's notice as sent, word for word (once: a second run changes nothing)",
         "--event ID --urn URN --author NAME [--version HASH]\n\n"
         "  --author   who sent it (shown in the record)\n"
         "  --version  the version `muster notice draft` printed: refused if the draft has changed since.\n"
         "             Without it, the draft as it stands now is recorded.",
         {"event", "urn", "author", "version"}, {}, notice_sent},
        {"notice list", "Notices recorded as sent, newest first, with who each told about",
         "[--event ID]", {"event"}, {}, notice_list},
    };
}

}  // namespace muster::admin
