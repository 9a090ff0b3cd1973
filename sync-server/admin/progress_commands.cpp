// `muster progress`: programme progress per participant and per school (docs/progress.md),
// as a table and optionally as a CSV for Excel (docs/exports.md).
#include "command.hpp"

#include "muster/attendance/programme_progress.hpp"
#include "muster/csv/csv_writer.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/programme_progress_store.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/private_files.hpp"

#include <cstdio>
#include <ostream>
#include <sstream>

namespace muster::admin {
namespace {

using attendance::ParticipantProgress;
using attendance::Progress;

std::string fixed1(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

// "conferences 2/2, clinics 1/3" or, for NPQ, "4/5 elements, 80.0 % (best 100.0 %)".
std::string counts_text(const Progress& p) {
    if (p.percent)
        return std::to_string(p.all.counted()) + "/" + std::to_string(p.all.elements) + " elements, " + fixed1(*p.percent) +
               " % (best " + fixed1(p.best_percent.value_or(0)) + " %)";
    std::string out;
    for (const auto& t : p.targets)
        out += (out.empty() ? "" : ", ") + std::string(t.name) + " " + std::to_string(t.counted()) + "/" + std::to_string(t.required);
    return out;
}

std::string status_text(const Progress& p) {
    if (p.met) return "met";
    if (p.at_risk) return "AT RISK: " + p.risk;
    return "on track";
}

std::string pad(std::string s, std::size_t width) {
    // Width in characters, not bytes: names carry accents (UTF-8 continuation bytes take no column).
    std::size_t chars = 0;
    for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
    if (chars < width) s.append(width - chars, ' ');
    return s + ' ';
}

void print_table(const std::vector<ParticipantProgress>& rows, std::ostream& out) {
    out << pad("ID", 6) << pad("Name", 26) << pad("URN", 7) << pad("Plan", 36) << pad("Counted", 42) << pad("Exc", 4)
        << pad("Miss", 5) << pad("Left", 5) << "Status\n";
    for (const auto& r : rows) {
        const auto& a = r.progress.all;
        out << pad(std::to_string(r.participant.id), 6) << pad(r.participant.full_name(), 26)
            << pad(r.participant.school_urn.value_or("-"), 7) << pad(r.progress.plan, 36) << pad(counts_text(r.progress), 42)
            << pad(std::to_string(a.excused), 4) << pad(std::to_string(a.missed), 5) << pad(std::to_string(a.to_come), 5)
            << status_text(r.progress) << "\n";
    }
}

void print_schools(const std::vector<ParticipantProgress>& rows, std::ostream& out) {
    out << "\nBy school:\n"
        << pad("URN", 7) << pad("School", 30) << pad("People", 7) << pad("Met", 4) << pad("Risk", 5) << pad("Counted", 10)
        << pad("Excused", 8) << "Missed\n";
    for (const auto& s : attendance::by_school(rows))
        out << pad(s.urn.empty() ? "-" : s.urn, 7) << pad(s.name.empty() ? "(no school)" : s.name, 30)
            << pad(std::to_string(s.participants), 7) << pad(std::to_string(s.met), 4) << pad(std::to_string(s.at_risk), 5)
            << pad(std::to_string(s.counted) + "/" + std::to_string(s.required), 10) << pad(std::to_string(s.excused), 8)
            << s.missed << "\n";
}

// One participant in full: each element and each of their events.
void print_detail(const ParticipantProgress& r, std::ostream& out) {
    out << "\nElements (" << r.progress.plan << "):\n";
    for (const auto& item : r.progress.items)
        out << "  " << pad(item.item.programme + " " + item.item.item, 28) << pad(std::string(to_string(item.state)), 14)
            << (item.local_date.empty() ? "" : item.local_date) << "\n";
    out << "Events:\n";
    if (r.records.empty()) out << "  none yet\n";
    for (const auto& e : r.records)
        out << "  " << pad(e.local_date, 11) << pad("event " + std::to_string(e.event_id), 10)
            << pad(e.programme + " " + e.item, 28) << label(e.standing) << (e.marked_by_staff ? " (staff)" : "")
            << (!e.whole && !e.marked_by_staff && e.standing != attendance::Standing::not_yet_held ? " (part only: not counted)" : "")
            << "\n";
}

// Elements still to count: per target (a clinic does not stand in for a conference), or of all.
int needed(const Progress& p) {
    if (p.targets.empty()) return p.all.needed();
    int n = 0;
    for (const auto& t : p.targets) n += t.needed();
    return n;
}

void write_csv(const std::vector<ParticipantProgress>& rows, std::ostream& out) {
    csv::Writer w(out, {"participant_id", "trn", "first_name", "last_name", "school_urn", "school", "role", "plan", "cohort",
                        "programme_year", "part_time", "required", "counted", "attended", "alternate", "caught_up",
                        "excused", "missed", "dates_left", "needed", "percent", "best_percent", "status", "at_risk_because"});
    for (const auto& r : rows) {
        const auto& p = r.participant;
        const auto& g = r.progress;
        const auto& a = g.all;
        w.number(p.id).identifier(p.trn.value_or("")).text(p.first_name).text(p.last_name);
        w.identifier(p.school_urn.value_or("")).text(p.school_name.value_or("")).text(to_string(p.role)).text(g.plan);
        p.cohort ? w.number(*p.cohort) : w.empty();
        p.programme_year ? w.number(*p.programme_year) : w.empty();
        w.text(p.part_time ? "yes" : "no").number(a.required).number(a.counted()).number(a.attended).number(a.alternate);
        w.number(a.caught_up).number(a.excused).number(a.missed).number(a.to_come);
        w.number(needed(g));
        w.text(g.percent ? fixed1(*g.percent) : "").text(g.best_percent ? fixed1(*g.best_percent) : "");
        w.text(g.met ? "met" : g.at_risk ? "at_risk" : "on_track").text(g.risk).end_row();
    }
}

int progress(const Args& a, Context& ctx) {
    store::ProgressScope scope;
    scope.participant = a.get_int("participant");
    scope.school_urn = a.get("school");
    scope.with_events = scope.participant.has_value();  // the detail lists each event
    if (scope.participant && scope.school_urn) throw UsageError("give --participant or --school, not both");
    if (scope.school_urn && (scope.school_urn->size() != 6 ||
                             scope.school_urn->find_first_not_of("0123456789") != std::string::npos))
        throw UsageError("--school takes the school's URN, 6 digits");
    auto csv_path = a.get("csv");
    if (csv_path && csv_path->empty()) throw UsageError("--csv needs a file name");

    auto db = ctx.hub.open();
    TimeMs now = uk_time::now_ms();
    auto rows = store::load_programme_progress(*db, scope, now);
    if (rows.empty()) {
        if (scope.participant) {
            auto p = store::find_participant(*db, *scope.participant);
            ctx.err << "muster progress: "
                    << (p ? "participant " + std::to_string(*scope.participant) +
                                " is not on a programme (ECTs, mentors and NPQ participants are; withdrawn people are not)"
                          : "no participant " + std::to_string(*scope.participant) + " (muster roster list)")
                    << "\n";
        } else {
            ctx.err << "muster progress: nobody on a programme (ECT, mentor, NPQ)"
                    << (scope.school_urn ? " at school " + *scope.school_urn : std::string(" on this hub")) << "\n";
        }
        return 1;
    }
    if (csv_path) {
        std::ostringstream csv;
        write_csv(rows, csv);
        try {
            replace_private_file(*csv_path, csv.str());
        } catch (const std::exception& e) {
            ctx.err << "muster progress: cannot write " << *csv_path << " (" << e.what() << "); any earlier file there is unchanged\n";
            return 1;
        }
    }
    std::size_t at_risk = 0;
    for (const auto& r : rows) at_risk += r.progress.at_risk;
    ctx.out << "Programme progress at " << uk_time::format_local(now) << ": " << rows.size() << " participant(s), " << at_risk
            << " at risk\n\n";
    print_table(rows, ctx.out);
    if (scope.participant) print_detail(rows.front(), ctx.out);
    else print_schools(rows, ctx.out);
    if (csv_path) ctx.out << "\nWrote " << rows.size() << " row(s) to " << *csv_path << "\n";
    return 0;
}

}  // namespace

std::vector<Command> progress_commands() {
    return {{"progress", "Programme progress per participant and school: required, attended, excused, at risk",
             "[--participant ID | --school URN] [--csv FILE.csv]\n\n"
             "  --participant  one participant, with each element and event of their programme\n"
             "  --school       the participants of one school (its 6-digit URN)\n"
             "  --csv          also write the rows as CSV for Excel (replaced whole, or left as it was)\n"
             "Without --participant or --school: every ECT, mentor and NPQ participant on the hub, then one\n"
             "line per school. The rules (what counts, at risk, part-time ECTs) are in docs/progress.md.",
             {"participant", "school", "csv"}, {}, progress}};
}

}  // namespace muster::admin
