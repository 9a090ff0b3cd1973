// `muster satisfaction`: the answers to the satisfaction question at check-out, per event,
// against the alliance's KPI (at least 90 % agree the activity will help them improve their
// practice; docs/satisfaction.md), as a table or as CSV for Excel (docs/exports.md).
#include "command.hpp"

#include "muster/csv/csv_writer.hpp"
#include "muster/store/satisfaction_store.hpp"
#include "muster/util/private_files.hpp"

#include <ostream>
#include <sstream>

namespace muster::admin {
namespace {

using store::SatisfactionFigure;

// "90.0": the agree share in tenths of a percent, rounded down, so a figure just under the
// target never reads as 90.0 beside "no". Whole numbers throughout: no float to misround.
std::string percent_text(const SatisfactionFigure& f) {
    if (f.answers() == 0) return {};
    long long tenths = static_cast<long long>(f.agree) * 1000 / f.answers();
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

std::string meets_text(const SatisfactionFigure& f) {
    if (f.answers() == 0) return "no answers";
    return f.meets_target() ? "yes" : "no";
}

std::string pad(std::string s, std::size_t width) {
    // Width in characters, not bytes (titles may carry accents).
    std::size_t chars = 0;
    for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
    if (chars < width) s.append(width - chars, ' ');
    return s + ' ';
}

void print_table(const std::vector<SatisfactionFigure>& figures, std::ostream& out) {
    out << "\"Will this activity help you improve your practice?\" Target: at least 90 % agree (not sure counts as not agreeing).\n\n"
        << pad("Date", 10) << pad("Event", 6) << pad("Title", 34) << pad("Answers", 7) << pad("Agree", 5) << pad("Not sure", 8)
        << pad("Disagree", 8) << pad("% agree", 10) << "Meets 90 %\n";
    for (const auto& f : figures) {
        out << pad(f.local_date, 10) << pad(std::to_string(f.event_id), 6) << pad(f.title, 34);
        if (f.answers() == 0) {
            out << "no answers\n";
            continue;
        }
        out << pad(std::to_string(f.answers()), 7) << pad(std::to_string(f.agree), 5) << pad(std::to_string(f.not_sure), 8)
            << pad(std::to_string(f.disagree), 8) << pad(percent_text(f) + " %", 10) << meets_text(f) << "\n";
    }
}

void write_csv(const std::vector<SatisfactionFigure>& figures, std::ostream& out) {
    csv::Writer w(out, {"event_id", "event_date", "event", "answers", "agree", "not_sure", "disagree", "percent_agree",
                        "meets_90_percent"});
    for (const auto& f : figures) {
        w.number(f.event_id).text(f.local_date).text(f.title).number(f.answers()).number(f.agree).number(f.not_sure);
        w.number(f.disagree);
        f.answers() ? w.text(percent_text(f)) : w.empty();
        w.text(meets_text(f)).end_row();
    }
}

int satisfaction(const Args& a, Context& ctx) {
    auto out_path = a.get("out");
    if (out_path && out_path->empty()) throw UsageError("--out needs a file name");
    bool csv = a.flag("csv") || out_path;
    if (a.flag("csv") && out_path) throw UsageError("give --csv (to standard output) or --out FILE, not both");
    auto db = ctx.hub.open();
    std::vector<SatisfactionFigure> figures;
    if (a.get("event")) {
        auto event = a.require_int("event");
        auto f = event > 0 ? store::satisfaction_for_event(*db, event) : std::nullopt;
        if (!f) throw UsageError("no event " + std::to_string(event) + " (see: muster event list)");
        figures.push_back(std::move(*f));
    } else {
        figures = store::satisfaction_by_event(*db);
        if (figures.empty()) {
            ctx.err << "muster satisfaction: no answers at any event yet" << (out_path ? "; " + *out_path + " was not written" : "")
                    << "\n";
            return 1;
        }
    }
    if (!csv) {
        print_table(figures, ctx.out);
        return 0;
    }
    std::ostringstream text;
    write_csv(figures, text);
    if (!out_path) {
        ctx.out << text.str();
        return 0;
    }
    try {
        replace_private_file(*out_path, text.str());
    } catch (const std::exception& e) {
        ctx.err << "muster satisfaction: cannot write " << *out_path << " (" << e.what() << "); any earlier file there is unchanged\n";
        return 1;
    }
    ctx.out << "Wrote " << figures.size() << " event(s) to " << *out_path << "\n";
    return 0;
}

}  // namespace

std::vector<Command> satisfaction_commands() {
    return {{"satisfaction", "The satisfaction question's answers per event against the 90 % target",
             "[--event ID] [--csv | --out FILE]\n\n"
             "  --event  one event (muster event list), shown even with no answers; without it, every event with answers,\n"
             "           newest first\n"
             "  --csv    write the rows as CSV for Excel to standard output\n"
             "  --out    write the CSV to FILE (replaced whole, readable by you only)",
             {"event", "out"}, {"csv"}, satisfaction}};
}

}  // namespace muster::admin
