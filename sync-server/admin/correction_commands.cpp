// `muster attendance mark` and `attendance void`: a staff decision from the hub's terminal,
// through the same core function as the staff pages (store::record_staff_correction[s]):
// append-only, with the author's name and a reason; an amendment once the event is signed off.
#include "event_command_support.hpp"
#include "reconcile_text.hpp"

#include "muster/util/uuid.hpp"

#include <charconv>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>

namespace muster::admin {
namespace {

using store::StaffAction;
using store::StaffCorrection;

constexpr const char* mark_statuses = "present|late|left_early|absent|excused|caught_up|alternate";

ParticipantId parse_id(const std::string& text, const std::string& where) {
    long long id = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0)
        throw UsageError(where + ": '" + text + "' is not a participant id (see: muster roster list)");
    return id;
}

// --participant (repeatable) and --participants-file (ids separated by spaces, commas or
// lines; '#' starts a comment): the people to mark, each once.
std::vector<ParticipantId> participants_of(const Args& a) {
    std::vector<ParticipantId> ids;
    for (const auto& v : a.get_all("participant")) ids.push_back(parse_id(v, "--participant"));
    if (auto file = a.get("participants-file")) {
        std::ifstream in(*file);
        if (!in) throw UsageError("--participants-file: cannot read " + *file);
        std::string line;
        for (int n = 1; std::getline(in, line); ++n) {
            line = line.substr(0, line.find('#'));
            for (char& c : line)
                if (c == ',' || c == '\r' || c == '\t') c = ' ';
            std::istringstream words(line);
            for (std::string w; words >> w;) ids.push_back(parse_id(w, *file + " line " + std::to_string(n)));
        }
    }
    if (ids.empty()) throw UsageError("--participant is required (or --participants-file)");
    std::set<ParticipantId> seen;
    for (auto id : ids)
        if (!seen.insert(id).second) throw UsageError("participant " + std::to_string(id) + " is given twice");
    return ids;
}

// The options a mark's status needs, and refusals of those it does not use.
void fill_status_options(const Args& a, StaffCorrection& c) {
    auto refuse_unless = [&](const char* option, bool used_by_status, const char* which) {
        if (a.get(option) && !used_by_status)
            throw UsageError(std::string("--") + option + " goes with --status " + which + " only");
    };
    refuse_unless("caught-up-on", c.action == StaffAction::caught_up, "caught_up");
    refuse_unless("evidence", c.action == StaffAction::caught_up, "caught_up");
    refuse_unless("attended-event", c.action == StaffAction::alternate, "alternate");
    if (c.action == StaffAction::caught_up) {
        c.caught_up_on = a.require("caught-up-on");
        if (!uk_time::parse_date(*c.caught_up_on)) throw UsageError("--caught-up-on must be a date, YYYY-MM-DD");
        c.evidence = a.require_text("evidence", store::correction_note_chars);
    }
    if (c.action == StaffAction::alternate) c.attended_event_id = a.require_int("attended-event");
}

// Writes the corrections (one, or a batch all or nothing) and says what happened.
int record(const std::string& command, const std::vector<StaffCorrection>& items, const store::CorrectionAuthor& by,
           db::Database& db, Context& ctx) {
    auto results = store::record_staff_corrections(db, by, items, uk_time::now_ms());
    int worst = 0, stored = 0, already = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        int code = 0;
        auto words = refusal_words(results[i], items[i], code);
        if (code == 0) {
            stored += results[i].outcome == store::CorrectionOutcome::stored;
            already += results[i].outcome == store::CorrectionOutcome::already;
            continue;
        }
        worst = std::max(worst, code);
        // A batch's own refusals first; its bystanders in one line below.
        if (results[i].outcome != store::CorrectionOutcome::batch_refused)
            ctx.err << "muster " << command << ": participant " << items[i].participant_id << ": " << words << "\n";
    }
    if (worst != 0) {
        if (items.size() > 1) ctx.err << "muster " << command << ": nothing was written (a batch is all or nothing)\n";
        return worst;
    }
    bool amendment = !results.empty() && results.front().amendment;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& c = items[i];
        ctx.out << (results[i].outcome == store::CorrectionOutcome::already ? "Already recorded: " : "Recorded: ")
                << store::to_string(c.action) << (c.target_uuid ? " " + *c.target_uuid : std::string()) << " for participant "
                << c.participant_id << " at event " << c.event_id << " (" << c.uuid << ", change " << results[i].change << ")"
                << (results[i].amendment ? ", an amendment after sign-off" : "") << "\n";
    }
    if (stored == 0) {
        ctx.err << "muster " << command << ": " << (already == 1 ? "it was" : "they were")
                << " already recorded with these uuids; nothing to do\n";
        return 1;
    }
    ctx.out << stored << " correction(s) by " << by.name << (amendment ? " (amendment)" : "")
            << "; devices serving the event receive them at their next sync\n";
    return 0;
}

void base_fields(const Args& a, StaffCorrection& c) {
    c.event_id = a.require_int("event");
    c.reason = a.require_text("reason", store::correction_reason_chars);
    c.note = a.get_text("note", store::correction_note_chars).value_or("");
    c.amendment_reason = a.get_text("amendment-reason", store::correction_reason_chars);
    if (c.amendment_reason && c.amendment_reason->empty()) throw UsageError("--amendment-reason needs words");
}

std::string uuid_option(const Args& a) {
    auto u = a.get("uuid");
    if (!u) return new_uuid(uk_time::now_ms());
    if (!is_uuid(*u)) throw UsageError("--uuid must be a lower-case UUID (8-4-4-4-12 hex digits), not '" + *u + "'");
    return *u;
}

int mark(const Args& a, Context& ctx) {
    StaffCorrection c;
    auto status = a.require("status");
    auto action = store::parse_staff_action(status);
    if (!action || *action == StaffAction::void_scan || *action == StaffAction::void_mark)
        throw UsageError("--status must be one of " + std::string(mark_statuses) + ", not '" + status + "'");
    c.action = *action;
    base_fields(a, c);
    fill_status_options(a, c);
    auto by = terminal_author(a);
    auto people = participants_of(a);
    if (a.get("uuid") && people.size() > 1) throw UsageError("--uuid names one correction: give it with one participant");

    auto db = ctx.hub.open();
    require_event(*db, c.event_id);
    if (c.attended_event_id) require_event(*db, *c.attended_event_id);
    std::vector<StaffCorrection> items;
    for (auto p : people) {
        require_participant(*db, p);
        items.push_back(c);
        items.back().participant_id = p;
        items.back().uuid = uuid_option(a);
    }
    return record("attendance mark", items, by, *db, ctx);
}

int void_one(const Args& a, Context& ctx) {
    StaffCorrection c;
    auto scan = a.get("scan"), earlier_mark = a.get("mark");
    if (scan.has_value() == earlier_mark.has_value()) throw UsageError("give --scan UUID or --mark UUID (one of them)");
    c.action = scan ? StaffAction::void_scan : StaffAction::void_mark;
    c.target_uuid = scan ? *scan : *earlier_mark;
    if (c.target_uuid->empty())
        throw UsageError(std::string(scan ? "--scan" : "--mark") + " needs the uuid (see: muster attendance history)");
    base_fields(a, c);
    c.participant_id = a.require_int("participant");
    auto by = terminal_author(a);
    c.uuid = uuid_option(a);
    auto db = ctx.hub.open();
    require_event(*db, c.event_id);
    require_participant(*db, c.participant_id);
    return record("attendance void", {c}, by, *db, ctx);
}

}  // namespace

std::vector<Command> correction_commands() {
    return {{"attendance mark", "Settle attendance: mark one or more people's status at an event, with a reason",
             "--event ID --participant ID --status " + std::string(mark_statuses) +
                 " --reason TEXT --author NAME [--note TEXT]\n"
                 "       [--caught-up-on YYYY-MM-DD --evidence TEXT] [--attended-event ID] [--amendment-reason TEXT] [--uuid U]\n\n"
                 "  --participant       repeat it to mark several people alike; or --participants-file FILE (ids\n"
                 "                      separated by spaces, commas or lines). A batch is all or nothing.\n"
                 "  --status            the status staff decide (a mark wins over the scans; the newest un-voided one)\n"
                 "  --reason            why, 1-200 characters (\"forgot badge\", \"illness\")\n"
                 "  --author            who decides, as the audit log shows it\n"
                 "  --caught-up-on, --evidence   caught_up: the date the recording was watched, and what shows it\n"
                 "  --attended-event    alternate: the event the person attended instead (where their scans are)\n"
                 "  --amendment-reason  required once the event is signed off: why it changes afterwards\n"
                 "  --uuid              the correction's id (made when not given): a retry with it stores once\n"
                 "Nothing is overwritten: each mark is a new correction; devices receive it at their next sync.",
             {"event", "participant", "participants-file", "status", "reason", "author", "note", "caught-up-on", "evidence",
              "attended-event", "amendment-reason", "uuid"},
             {}, mark},
            {"attendance void", "Void a scan or an earlier mark of a person at an event, with a reason",
             "--event ID --participant ID --scan UUID|--mark UUID --reason TEXT --author NAME [--note TEXT]\n"
             "       [--amendment-reason TEXT] [--uuid U]\n\n"
             "  --scan, --mark      the uuid of the scan or mark to void (muster attendance history lists them)\n"
             "The voided record stays, flagged, in the history and the audit log.",
             {"event", "participant", "scan", "mark", "reason", "author", "note", "amendment-reason", "uuid"}, {},
             void_one}};
}

}  // namespace muster::admin
