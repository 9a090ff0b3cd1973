// `muster central status` and `muster central retry`: the outbox of attendance records for the
// central attendance records (docs/central.md, "Command line"), from the hub's terminal,
// through the same store functions as the staff pages' Deliveries page
// (muster/store/central_outbox.hpp). The delivery worker runs inside the server; these
// commands only read the outbox or put rejected entries back in it.
#include "csv_output.hpp"
#include "event_command_support.hpp"
#include "reconcile_text.hpp"

#include "muster/csv/csv_writer.hpp"
#include "muster/store/central_outbox.hpp"

#include <ostream>
#include <sstream>

namespace muster::admin {
namespace {

using store::DeliveryCounts;

std::string counts_text(const DeliveryCounts& c) {
    return column(std::to_string(c.pending), 8) + column(std::to_string(c.sending), 8) +
           column(std::to_string(c.delivered), 10) + column(std::to_string(c.rejected), 9) + std::to_string(c.superseded);
}

const char* const counts_heading = "Pending  Sending  Delivered  Rejected  Superseded\n";

void print_overview(const std::vector<store::TargetDeliveryCounts>& totals,
                    const std::vector<store::EventDeliveryStatus>& events, std::ostream& out) {
    out << "Central records: every target, over every signed-off event\n  " << column("Target", 22)
        << column("Kind", 13) << counts_heading;
    for (const auto& t : totals)
        out << "  " << column(t.target + (t.active ? "" : " (inactive)"), 22) << column(std::string(store::to_string(t.kind)), 13)
            << counts_text(t.counts) << "\n";
    out << "\nSigned-off events, newest first:\n";
    for (const auto& e : events) {
        out << "  Event " << e.event_id << ": " << e.title << ", " << e.local_date << ", " << e.records << " record(s)";
        if (e.last_delivered_ms) out << ", last delivered " << uk_time::format_local(*e.last_delivered_ms);
        out << "\n    " << column("Target", 20) << counts_heading;
        for (const auto& t : e.targets) out << "    " << column(t.target, 20) << counts_text(t.counts) << "\n";
    }
    out << "\n'muster central status --event ID' for every entry of an event; 'muster central retry' after fixing what a\n"
           "target rejected.\n";
}

std::string next_text(const store::RecordDelivery& d) {
    return d.state == store::DeliveryState::pending && d.next_attempt_ms ? uk_time::format_local(*d.next_attempt_ms) : "-";
}

void print_entries(const Event& e, const std::vector<store::RecordDelivery>& entries, std::ostream& out) {
    out << "Event " << e.id << ": " << e.title << ", " << e.local_date << ": " << entries.size() << " delivery entr"
        << (entries.size() == 1 ? "y" : "ies") << " (times are UK time)\n";
    out << column("ID", 7) << column("Name", 26) << column("Version", 8) << column("Target", 16) << column("State", 11)
        << column("Tries", 6) << column("HTTP", 5) << column("Next attempt", 17) << "Error\n";
    for (const auto& d : entries) {
        out << column(std::to_string(d.delivery_id), 7) << column(d.full_name, 26)
            << column(std::to_string(d.version) + (d.correction ? " corr" : ""), 8) << column(d.target, 16)
            << column(std::string(store::to_string(d.state)), 11) << column(std::to_string(d.attempts), 6)
            << column(d.last_status ? std::to_string(*d.last_status) : "-", 5) << column(next_text(d), 17)
            << (d.last_error.empty() ? "-" : d.last_error) << "\n";
    }
}

void write_entries_csv(const std::vector<store::RecordDelivery>& entries, std::ostream& out) {
    csv::Writer w(out, {"delivery_id", "participant_id", "name", "record_id", "version", "correction", "status", "target",
                        "state", "attempts", "last_status", "last_error", "next_attempt", "remote_id", "delivered",
                        "retried_by"});
    for (const auto& d : entries) {
        w.number(d.delivery_id).number(d.participant_id).text(d.full_name).text(d.record_id).number(d.version);
        w.text(d.correction ? "yes" : "no").text(to_string(d.status)).text(d.target).text(store::to_string(d.state));
        w.number(d.attempts);
        d.last_status ? w.number(*d.last_status) : w.empty();
        w.text(d.last_error);
        d.state == store::DeliveryState::pending && d.next_attempt_ms ? w.text(uk_time::format_local(*d.next_attempt_ms))
                                                                      : w.empty();
        w.text(d.remote_id.value_or(""));
        d.delivered_ms ? w.text(uk_time::format_local(*d.delivered_ms)) : w.empty();
        w.text(d.retried_by.value_or(""));
        w.end_row();
    }
}

// One row per event and target (the totals are their sums).
std::size_t write_events_csv(const std::vector<store::EventDeliveryStatus>& events, std::ostream& out) {
    csv::Writer w(out, {"event_id", "event_date", "event_title", "records", "target", "kind", "pending", "sending",
                        "delivered", "rejected", "superseded", "last_delivered"});
    for (const auto& e : events)
        for (const auto& t : e.targets) {
            w.number(e.event_id).text(e.local_date).text(e.title).number(e.records).text(t.target).text(store::to_string(t.kind));
            w.number(t.counts.pending).number(t.counts.sending).number(t.counts.delivered).number(t.counts.rejected);
            w.number(t.counts.superseded);
            e.last_delivered_ms ? w.text(uk_time::format_local(*e.last_delivered_ms)) : w.empty();
            w.end_row();
        }
    return w.rows();
}

int status(const Args& a, Context& ctx) {
    std::optional<EventId> event;
    if (a.get("event")) event = a.require_int("event");
    auto csv = csv_destination(a);
    auto db = ctx.hub.open();
    std::ostringstream text;
    if (event) {
        auto e = require_event(*db, *event);
        auto entries = store::event_deliveries(*db, *event).value_or(std::vector<store::RecordDelivery>{});
        if (entries.empty()) {
            ctx.err << "muster central status: event " << *event << " has no delivery entries"
                    << " (entries are queued when it is signed off: muster event sign-off)"
                    << (csv.out_path ? "; " + *csv.out_path + " was not written" : "") << "\n";
            return 1;
        }
        if (!csv.wanted) {
            print_entries(e, entries, ctx.out);
            return 0;
        }
        write_entries_csv(entries, text);
        return write_csv_output(ctx, "muster central status", csv, text.str(), entries.size());
    }
    auto totals = store::central_totals(*db);
    auto events = store::central_status(*db);
    if (totals.empty() && events.empty()) {
        ctx.err << "muster central status: no central records targets yet: they are the [[central.target]] tables of "
                   "sync-server.toml, registered when the server starts (docs/central.md)"
                << (csv.out_path ? "; " + *csv.out_path + " was not written" : "") << "\n";
        return 1;
    }
    if (!csv.wanted) {
        print_overview(totals, events, ctx.out);
        return 0;
    }
    auto rows = write_events_csv(events, text);
    return write_csv_output(ctx, "muster central status", csv, text.str(), rows);
}

int retry(const Args& a, Context& ctx) {
    store::RetrySelection which;
    if (a.get("delivery")) which.delivery_id = a.require_int("delivery");
    if (a.get("event")) which.event_id = a.require_int("event");
    if (auto t = a.get("target")) which.target = *t;
    if (!which.delivery_id && !which.event_id && !which.target)
        throw UsageError("say what to retry: --delivery ID, --event ID and/or --target NAME (muster central status)");
    if (which.delivery_id && (which.event_id || which.target))
        throw UsageError("--delivery names one entry: give it alone, or --event and/or --target for several");
    if (which.delivery_id && *which.delivery_id <= 0) throw UsageError("--delivery takes an entry's id (muster central status --event ID)");
    if (which.target && !store::valid_target_name(*which.target))
        throw UsageError("--target takes a target's name, 1 to 40 of a-z 0-9 _ - (muster central status lists them)");
    auto author = a.require_text("author", 80);
    auto db = ctx.hub.open();
    if (which.event_id) require_event(*db, *which.event_id);
    if (which.target) {
        bool known = false;
        for (const auto& t : store::central_totals(*db)) known = known || t.target == *which.target;
        if (!known) throw UsageError("no target '" + *which.target + "' (muster central status lists them)");
    }
    int retried = store::retry_rejected(*db, which, author, uk_time::now_ms());
    std::string what = which.delivery_id ? "entry " + std::to_string(*which.delivery_id) : std::string();
    if (which.event_id) what += "event " + std::to_string(*which.event_id);
    if (which.target) what += (what.empty() ? "" : ", ") + std::string("target ") + *which.target;
    if (retried == 0) {
        ctx.err << "muster central retry: nothing retried: no rejected entry for " << what
                << " (only rejected entries are retried; muster central status shows the states)\n";
        return 1;
    }
    ctx.out << "Retried " << retried << " rejected entr" << (retried == 1 ? "y" : "ies") << " for " << what << " (by "
            << author << "). They are due now: a running server sends them within its poll interval ([central] poll_ms\n"
            << "in sync-server.toml, 1 s by default); 'muster central status' shows how they went.\n";
    return 0;
}

}  // namespace

std::vector<Command> central_commands() {
    return {{"central status", "What was delivered to the central attendance records (CRM, lead provider), per target and event",
             "[--event ID] [--csv] [--out FILE.csv]\n\n"
             "  --event  every entry of one event: person, record version, target, state, tries, last HTTP status,\n"
             "           error and next attempt (UK time)\n"
             "  --csv    the rows as CSV for Excel on standard output (without --event: one row per event and target)\n"
             "  --out    write that CSV to a file (replaced whole, or left as it was)\n"
             "Without --event: totals per target, then each signed-off event's counts per target (muster help central).",
             {"event", "out"}, {"csv"}, status},
            {"central retry", "Send again what a target rejected, once the cause is fixed",
             "(--delivery ID | --event ID | --target NAME) --author NAME\n\n"
             "  --delivery  one entry (its ID in muster central status --event ID)\n"
             "  --event     every rejected entry of an event; with --target, of that target only\n"
             "  --target    every rejected entry of a target\n"
             "  --author    who asked, kept with each entry\n"
             "Only rejected entries are retried (pending ones are retried by the server on its own). A running\n"
             "server sends them within its poll interval. Exit 1 when nothing was rejected.",
             {"delivery", "event", "target", "author"}, {}, retry}};
}

}  // namespace muster::admin
