// `muster facilitators`: the sessions each facilitator delivered, by school, for paying their
// schools (docs/facilitators.md); as text, or the CSV for Excel to stdout or a file.
#include "command.hpp"
#include "csv_output.hpp"
#include "reconcile_text.hpp"  // column()

#include "muster/attendance/facilitator_report.hpp"
#include "muster/time/uk_time.hpp"

#include <ostream>

namespace muster::admin {
namespace {

attendance::FacilitatorReportQuery query_of(const Args& a) {
    attendance::FacilitatorReportQuery q;
    q.from = a.get("from");
    q.to = a.get("to");
    q.school_urn = a.get("school");
    if (auto p = attendance::query_problem(q)) {
        // The core names the field as the pages send it; the terminal's user knows the option.
        throw UsageError("--" + *p);
    }
    return q;
}

std::string range_words(const attendance::FacilitatorReportQuery& q) {
    if (q.from && q.to) return "from " + *q.from + " to " + *q.to;
    if (q.from) return "from " + *q.from;
    if (q.to) return "up to " + *q.to;
    return "at every event held";
}

void print_report(const std::vector<attendance::FacilitatorSessions>& report, const attendance::FacilitatorReportQuery& q,
                  std::ostream& out) {
    std::size_t total = 0;
    for (const auto& f : report) total += f.sessions.size();
    out << "Facilitators' delivered sessions " << range_words(q) << ": " << total << " session(s), " << report.size()
        << " facilitator(s)\n";
    const std::string* school = nullptr;
    for (const auto& f : report) {
        if (!school || *school != f.school_urn) {
            school = &f.school_urn;
            std::size_t sessions = 0;
            for (const auto& g : report)
                if (g.school_urn == f.school_urn) sessions += g.sessions.size();
            out << "\n"
                << (f.school_urn.empty() ? std::string("No school on the roster")
                                         : (f.school_name.empty() ? "(no name)" : f.school_name) + " (URN " + f.school_urn + ")")
                << ": " << sessions << " session(s)\n";
        }
        out << "  " << f.full_name << " (id " << f.participant_id << "): " << f.sessions.size() << " session(s)\n";
        for (const auto& s : f.sessions)
            out << "    " << column(s.local_date, 10) << column("event " + std::to_string(s.event_id), 9)
                << column(s.event_title, 40) << column(s.room_name.empty() ? "-" : s.room_name + (s.lead ? " (lead)" : ""), 16)
                << column(s.part, 10) << column(uk_time::format_hhmm(s.starts_ms) + "-" + uk_time::format_hhmm(s.ends_ms), 11)
                << s.evidence << (s.signed_off ? "" : ", not signed off") << "\n";
    }
}

int facilitators(const Args& a, Context& ctx) {
    auto q = query_of(a);
    auto to = csv_destination(a);
    auto db = ctx.hub.open();
    auto report = attendance::facilitator_report(*db, q, uk_time::now_ms());
    if (report.empty()) {
        // As `attendance show`: nothing to show is exit 1, and no file is written.
        ctx.err << "muster facilitators: no delivered sessions " << range_words(q)
                << (q.school_urn ? " by facilitators of school " + *q.school_urn : std::string())
                << (to.out_path ? "; " + *to.out_path + " was not written" : std::string()) << "\n";
        return 1;
    }
    if (to.wanted) {
        std::size_t rows = 0;
        for (const auto& f : report) rows += f.sessions.size();
        return write_csv_output(ctx, "muster facilitators", to, attendance::facilitator_report_csv(report), rows);
    }
    print_report(report, q, ctx.out);
    return 0;
}

}  // namespace

std::vector<Command> facilitator_commands() {
    return {
        {"facilitators", "Sessions each facilitator delivered, by school (for paying their schools)",
         "[--from YYYY-MM-DD] [--to YYYY-MM-DD] [--school URN] [--csv | --out FILE]\n\n"
         "  --from, --to  events on these dates (inclusive); without them, every event held\n"
         "  --school      one school's facilitators (its 6-digit URN)\n"
         "  --csv         write one row per delivered session as CSV for Excel to standard output\n"
         "  --out FILE    write the CSV to FILE (replaced whole, or left as it was)\n\n"
         "A session counts when the facilitator's entry scan is in it, or hub staff marked them present\n"
         "(muster help facilitators). Exit 1 when there is nothing to show.",
         {"from", "to", "school", "out"}, {"csv"}, facilitators},
    };
}

}  // namespace muster::admin
