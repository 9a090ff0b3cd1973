// `muster attendance show` and `attendance history`: an event's reconciliation as the staff
// pages show it (docs/reconciliation.md), read through store::load_reconciliation, as a
// table or as CSV for Excel (docs/exports.md).
#include "csv_output.hpp"
#include "event_command_support.hpp"
#include "reconcile_text.hpp"

#include "muster/csv/csv_writer.hpp"

#include <algorithm>
#include <cctype>
#include <ostream>
#include <sstream>

namespace muster::admin {
namespace {

using store::EventReconciliation;
using store::ReconcileRow;

EventReconciliation require_reconciliation(db::Database& db, EventId event) {
    auto r = store::load_reconciliation(db, event, uk_time::now_ms());
    if (!r) throw UsageError("no event " + std::to_string(event) + " (see: muster event list)");
    return std::move(*r);
}

std::string status_text(const ReconcileRow& r) {
    std::string s(label(r.summary.status));
    if (r.alternate_event_id) s += " (event " + std::to_string(*r.alternate_event_id) + ")";
    if (r.summary.marked_by_staff) s += " *";
    return s;
}

// "minutes late" of the first session, "-" when on time.
std::string late_text(const ReconcileRow& r) { return r.minutes_late ? std::to_string(*r.minutes_late) + " min" : "-"; }

void print_heading(const EventReconciliation& rec, std::ostream& out) {
    const auto& e = rec.event;
    out << "Event " << e.id << ": " << e.title << ", " << e.local_date << " at " << e.venue << " ("
        << (rec.held ? "held" : "not yet held") << ")\n";
    if (rec.signed_off)
        out << "Signed off " << uk_time::format_local(rec.signed_off->at_ms) << " by " << rec.signed_off->by.name
            << (rec.signed_off->note.empty() ? "" : " (" + rec.signed_off->note + ")")
            << ": a change now needs --amendment-reason\n";
    out << rec.rows.size() << " expected, " << rec.unsettled << " unsettled, " << rec.unexpected.size()
        << " scanned but not expected. By status:";
    for (const auto& c : rec.counts)
        if (c.count > 0) out << ' ' << to_string(c.status) << ' ' << c.count;
    out << "\n\n";
}

void print_table(const EventReconciliation& rec, bool unsettled_only, std::ostream& out) {
    out << column("ID", 6) << column("Name", 26) << column("School", 24) << column("Role", 20) << column("Room", 8);
    for (const auto& s : rec.event.sessions) out << column(s.name, std::max<std::size_t>(s.name.size(), 5));
    out << column("Out", 5) << column("Status", 22) << column("Late", 7) << column("Left", 5) << "Settle\n";
    for (const auto& r : rec.rows) {
        if (unsettled_only && !r.unsettled) continue;
        out << column(std::to_string(r.participant_id), 6) << column(r.full_name, 26)
            << column(r.school_name.empty() ? "-" : r.school_name, 24) << column(std::string(label(r.role)), 20)
            << column(r.room_name.empty() ? "-" : r.room_name, 8);
        for (std::size_t i = 0; i < rec.event.sessions.size(); ++i) {
            const auto& name = rec.event.sessions[i].name;
            std::optional<TimeMs> in = i < r.parts.size() ? r.parts[i].in_ms : std::nullopt;
            out << column(hhmm_or_dash(in), std::max<std::size_t>(name.size(), 5));
        }
        out << column(hhmm_or_dash(r.checked_out_ms), 5) << column(status_text(r), 22) << column(late_text(r), 7)
            << column(r.left_early ? "yes" : "-", 5) << (r.unsettled ? "UNSETTLED" : "") << "\n";
    }
    out << "(* marked by staff)\n";
}

void print_unexpected(const EventReconciliation& rec, std::ostream& out) {
    if (rec.unexpected.empty()) return;
    out << "\nScanned here but not expected (an alternate-date attendance to link from the event they were expected at):\n";
    for (const auto& u : rec.unexpected) {
        out << "  " << column(std::to_string(u.participant_id), 6) << column(u.full_name, 26)
            << column(u.school_name.empty() ? "-" : u.school_name, 24) << "in " << hhmm_or_dash(u.first_in_ms);
        if (u.linked_to) out << "  linked: attended for event " << *u.linked_to;
        else if (!u.candidates.empty()) {
            out << "  expected at:";
            for (const auto& c : u.candidates) out << " event " << c.event_id << " (" << c.local_date << ")";
        }
        out << "\n";
    }
}

// Column names from the event's session names: "Morning" -> "morning_in".
std::string part_column(const std::string& name) {
    std::string out;
    for (unsigned char c : name) out += std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '_';
    return out + "_in";
}

void write_csv(const EventReconciliation& rec, bool unsettled_only, std::ostream& out) {
    std::vector<std::string> names = {"participant_id", "name", "school_urn", "school", "role", "room"};
    for (const auto& s : rec.event.sessions) names.push_back(part_column(s.name));
    for (const char* n : {"checked_out", "status", "marked_by_staff", "minutes_late", "left_early", "unsettled",
                          "alternate_event_id"})
        names.push_back(n);
    std::vector<std::string_view> header(names.begin(), names.end());
    csv::Writer w(out, std::span<const std::string_view>(header));
    for (const auto& r : rec.rows) {
        if (unsettled_only && !r.unsettled) continue;
        w.number(r.participant_id).text(r.full_name).identifier(r.school_urn).text(r.school_name).text(to_string(r.role));
        w.text(r.room_name);
        for (std::size_t i = 0; i < rec.event.sessions.size(); ++i) {
            auto in = i < r.parts.size() ? r.parts[i].in_ms : std::nullopt;
            in ? w.text(uk_time::format_hhmm(*in)) : w.empty();
        }
        r.checked_out_ms ? w.text(uk_time::format_hhmm(*r.checked_out_ms)) : w.empty();
        w.text(to_string(r.summary.status)).text(r.summary.marked_by_staff ? "yes" : "no");
        r.minutes_late ? w.number(*r.minutes_late) : w.empty();
        w.text(r.left_early ? "yes" : "no").text(r.unsettled ? "yes" : "no");
        r.alternate_event_id ? w.number(*r.alternate_event_id) : w.empty();
        w.end_row();
    }
}

int show(const Args& a, Context& ctx) {
    auto event = a.require_int("event");
    auto csv = csv_output_option(a);
    auto db = ctx.hub.open();
    auto rec = require_reconciliation(*db, event);
    bool unsettled_only = a.flag("unsettled");
    if (rec.rows.empty() && (csv.wanted || rec.unexpected.empty())) {
        ctx.err << "muster attendance show: nobody is expected at event " << event
                << (rec.unexpected.empty() ? " and nobody scanned there" : "")
                << (csv.path ? "; " + *csv.path + " was not written" : "") << "\n";
        return 1;
    }
    if (csv.wanted) {
        std::ostringstream text;
        write_csv(rec, unsettled_only, text);
        return put_csv(csv, text.str(), unsettled_only ? static_cast<std::size_t>(rec.unsettled) : rec.rows.size(),
                       "muster attendance show", ctx);
    }
    print_heading(rec, ctx.out);
    if (unsettled_only && rec.unsettled == 0) ctx.out << "Every row is settled.\n";
    else print_table(rec, unsettled_only, ctx.out);
    print_unexpected(rec, ctx.out);
    return 0;
}

// ---- history ----

std::string session_name(const Event& e, const std::optional<SessionId>& id) {
    if (id)
        for (const auto& s : e.sessions)
            if (s.id == *id) return s.name;
    return "-";
}

std::string room_name(const Event& e, const std::optional<RoomId>& id) {
    if (id)
        for (const auto& r : e.rooms)
            if (r.id == *id) return r.name;
    return "-";
}

std::string correction_text(const store::CorrectionFact& c) {
    std::string out;
    if (c.kind == CorrectionKind::mark) {
        out = "marked " + std::string(c.status ? to_string(*c.status) : "?");
        if (c.linked_event_id) out += " (attended event " + std::to_string(*c.linked_event_id) + ")";
        if (c.caught_up_on) out += " on " + *c.caught_up_on;
        if (c.evidence) out += ", evidence: " + *c.evidence;
    } else {
        out = "voided " + c.target_uuid.value_or("?");
    }
    out += ", \"" + c.reason + "\"";
    if (!c.note.empty()) out += " (note: " + c.note + ")";
    out += " by " + c.author + " (" + std::string(store::to_string(c.source)) + ")";
    if (c.amendment_reason) out += " AMENDMENT after sign-off: " + *c.amendment_reason;
    return out;
}

// One line per fact and correction, merged by time (scans on the device's clock).
void print_history(const Event& e, const std::vector<store::ScanFact>& scans,
                   const std::vector<store::CorrectionFact>& corrections, std::ostream& out) {
    struct Line {
        TimeMs at;
        std::string text;
    };
    std::vector<Line> lines;
    for (const auto& s : scans)
        lines.push_back({s.at_ms, "scan  " + std::string(to_string(s.direction)) + " " + std::string(to_string(s.outcome)) +
                                      ", " + session_name(e, s.session_id) + ", " + room_name(e, s.room_id) + ", " +
                                      s.device_name + ", " + std::string(to_string(s.method)) + "  " + s.uuid +
                                      (s.voided ? "  [voided]" : "")});
    for (const auto& c : corrections)
        lines.push_back({c.at_ms, std::string(c.kind == CorrectionKind::mark ? "mark  " : "void  ") + correction_text(c) + "  " +
                                      c.uuid + (c.voided ? "  [voided]" : "")});
    std::stable_sort(lines.begin(), lines.end(), [](const Line& x, const Line& y) { return x.at < y.at; });
    if (lines.empty()) out << "  nothing yet: no scan and no correction\n";
    for (const auto& l : lines) out << "  " << uk_time::format_local(l.at) << "  " << l.text << "\n";
}

int history(const Args& a, Context& ctx) {
    auto event = a.require_int("event");
    auto participant = a.require_int("participant");
    auto db = ctx.hub.open();
    auto person = require_participant(*db, participant);
    auto rec = require_reconciliation(*db, event);
    ctx.out << "Event " << event << ": " << rec.event.title << ", " << rec.event.local_date << ". Participant "
            << participant << " " << person.full_name() << "\n";
    for (const auto& r : rec.rows) {
        if (r.participant_id != participant) continue;
        ctx.out << "Expected (" << label(r.role) << ", " << (r.room_name.empty() ? "no room" : r.room_name)
                << "). Status: " << label(r.summary.status)
                << (r.summary.marked_by_staff ? " (marked by " + r.summary.mark_author.value_or("staff") + ")"
                                              : std::string(" (from the scans)"))
                << (r.unsettled ? ", unsettled" : "") << "\nFacts and corrections, oldest first:\n";
        print_history(rec.event, r.scans, r.corrections, ctx.out);
        return 0;
    }
    for (const auto& u : rec.unexpected) {
        if (u.participant_id != participant) continue;
        ctx.out << "Not expected here, but scanned"
                << (u.linked_to ? ": linked as attended for event " + std::to_string(*u.linked_to) : std::string())
                << "\nScans, oldest first:\n";
        print_history(rec.event, u.scans, {}, ctx.out);
        return 0;
    }
    ctx.err << "muster attendance history: participant " << participant << " is neither expected at event " << event
            << " nor scanned there\n";
    return 1;
}

}  // namespace

std::vector<Command> reconcile_commands() {
    return {{"attendance show", "An event's reconciliation: one row per expected person, settled or not",
             "--event ID [--unsettled] [--csv] [--out FILE.csv]\n\n"
             "  --event      the event (muster event list)\n"
             "  --unsettled  only the rows staff still have to settle\n"
             "  --csv        the rows as CSV for Excel on standard output, instead of the table\n"
             "  --out        write that CSV to a file (replaced whole, or left as it was)\n"
             "Per row: name, school, role, room, the time in for each session, check-out, the status (a staff\n"
             "mark wins; '*' when marked), minutes late, left early, and UNSETTLED when staff have not\n"
             "decided a status other than present. People scanned but not expected follow the table.",
             {"event", "out"}, {"unsettled", "csv"}, show},
            {"attendance history", "One person's scans and corrections at an event, oldest first",
             "--event ID --participant ID", {"event", "participant"}, {}, history}};
}

}  // namespace muster::admin
