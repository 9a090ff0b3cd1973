// `muster event sign-off` and `event audit`: an event's sign-off from the hub's terminal (it
// acts as an admin: whoever runs `muster` holds the hub's folder and keys), and the event's
// audit log of every correction and the sign-off, as a table or CSV for Excel.
#include "csv_output.hpp"
#include "event_command_support.hpp"
#include "reconcile_text.hpp"

#include "muster/csv/csv_writer.hpp"

#include <ostream>
#include <sstream>

namespace muster::admin {
namespace {

int sign_off(const Args& a, Context& ctx) {
    auto event = a.require_int("event");
    auto by = terminal_author(a);
    auto note = a.get_text("note", store::sign_off_note_chars).value_or("");
    auto db = ctx.hub.open();
    auto result = store::sign_off_event(*db, event, by, note, uk_time::now_ms());
    const std::string which = "event " + std::to_string(event);
    switch (result.outcome) {
        case store::SignOffOutcome::signed_off:
            ctx.out << "Signed off " << which << " by " << by.name
                    << ". From now on a change to it is an amendment: it needs --amendment-reason and shows in "
                       "muster event audit --event "
                    << event << "\n";
            return 0;
        case store::SignOffOutcome::already:
            ctx.err << "muster event sign-off: " << which << " was already signed off";
            if (result.sign_off)
                ctx.err << " on " << uk_time::format_local(result.sign_off->at_ms) << " by " << result.sign_off->by.name;
            ctx.err << "; nothing to do\n";
            return 1;
        case store::SignOffOutcome::not_found:
            throw UsageError("no event " + std::to_string(event) + " (see: muster event list)");
        case store::SignOffOutcome::not_held:
            ctx.err << "muster event sign-off: " << which
                    << " is not over yet: it can be signed off once its last session has ended\n";
            return 1;
        case store::SignOffOutcome::invalid: throw UsageError(with_option_names(result.problem));
        case store::SignOffOutcome::unsettled_rows:
            ctx.err << "muster event sign-off: " << which << " has " << result.unsettled
                    << " unsettled row(s): settle each first (muster attendance show --event " << event
                    << " --unsettled, then muster attendance mark)\n";
            return 1;
    }
    return 1;
}

void write_csv(const std::vector<store::AuditEntry>& entries, std::ostream& out) {
    csv::Writer w(out, {"at", "kind", "author", "source", "participant_id", "participant", "what", "reason",
                        "amendment_reason", "uuid"});
    for (const auto& e : entries) {
        w.text(uk_time::format_local(e.at_ms)).text(e.kind).text(e.author).text(store::to_string(e.source));
        e.participant_id ? w.number(*e.participant_id) : w.empty();
        w.text(e.participant_name).text(e.what).text(e.reason).text(e.amendment_reason.value_or("")).text(e.uuid);
        w.end_row();
    }
}

int audit(const Args& a, Context& ctx) {
    auto event = a.require_int("event");
    auto csv = csv_output_option(a);
    auto db = ctx.hub.open();
    require_event(*db, event);
    auto entries = store::event_audit(*db, event);
    if (entries.empty()) {
        ctx.err << "muster event audit: event " << event << " has no corrections and no sign-off yet"
                << (csv.path ? "; " + *csv.path + " was not written" : "") << "\n";
        return 1;
    }
    if (csv.wanted) {
        std::ostringstream text;
        write_csv(entries, text);
        return put_csv(csv, text.str(), entries.size(), "muster event audit", ctx);
    }
    ctx.out << "Audit log of event " << event << ", oldest first:\n";
    for (const auto& e : entries) {
        ctx.out << "  " << uk_time::format_local(e.at_ms) << "  " << column(e.kind, 10) << column(e.author, 20)
                << column(std::string(store::to_string(e.source)), 7);
        if (e.participant_id) ctx.out << std::to_string(*e.participant_id) << " " << e.participant_name << ": ";
        ctx.out << e.what;
        if (!e.reason.empty()) ctx.out << ", \"" << e.reason << "\"";
        if (e.amendment_reason) ctx.out << "  AMENDMENT: " << *e.amendment_reason;
        ctx.out << "\n";
    }
    return 0;
}

}  // namespace

std::vector<Command> sign_off_commands() {
    return {{"event sign-off", "Sign an event off once every row is settled; later changes are amendments",
             "--event ID --author NAME [--note TEXT]\n\n"
             "  --author  who signs off, as the audit log shows it (the hub's terminal acts as an admin)\n"
             "Refused before the event's last session has ended and while any row is unsettled\n"
             "(muster attendance show --event ID --unsettled).",
             {"event", "author", "note"}, {}, sign_off},
            {"event audit", "An event's audit log: every correction (hub, tablets, kiosks), amendments, the sign-off",
             "--event ID [--csv] [--out FILE.csv]\n\n"
             "  --csv  the log as CSV for Excel on standard output, instead of the table\n"
             "  --out  write that CSV to a file (replaced whole, or left as it was)",
             {"event", "out"}, {"csv"}, audit}};
}

}  // namespace muster::admin
