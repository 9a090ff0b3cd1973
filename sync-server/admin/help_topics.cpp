#include "help_topics.hpp"

#include "muster/attendance/attendance_export.hpp"
#include "muster/attendance/attendance_rules.hpp"
#include "muster/attendance/facilitator_report.hpp"
#include "muster/attendance/school_report.hpp"
#include "muster/programme/templates.hpp"

#include <ostream>
#include <utility>

namespace muster::admin {
namespace {

void pad(std::ostream& out, std::size_t used, std::size_t width) {
    for (std::size_t i = used; i < width; ++i) out << ' ';
    out << ' ';
}

void roles(std::ostream& out) {
    out << "Roles (the roster's role column, and --role): the code, then other spellings a roster may use\n"
           "(matched case-insensitively, with _ - and . read as spaces):\n";
    for (Role r : all_roles()) {
        out << "  " << to_string(r);
        pad(out, to_string(r).size(), 16);
        out << label(r);
        auto spellings = role_spellings(r);
        for (std::size_t i = 0; i < spellings.size(); ++i) out << (i ? ", " : "  (also: ") << spellings[i];
        out << (spellings.empty() ? "" : ")") << "\n";
    }
}

void roles_brief(std::ostream& out) {
    out << "Roles:";
    for (Role r : all_roles()) out << ' ' << to_string(r);
    out << "\n";
}

void programmes(std::ostream& out) {
    out << "Programme templates (event create --programme CODE --item CODE): who is expected, then each\n"
           "item with its default sessions (UK local time):\n";
    for (const auto& t : programme::all_templates()) {
        out << "  " << t.code << "  " << t.name << " (for role " << to_string(t.audience);
        if (t.programme_year) out << ", programme year " << *t.programme_year;
        out << ", of the event's cohort)\n";
        for (const auto& item : t.items) {
            out << "    " << item.code;
            pad(out, item.code.size(), 20);
            out << item.title << "  [";
            for (std::size_t i = 0; i < item.sessions.size(); ++i)
                out << (i ? ", " : "") << item.sessions[i].name << ' ' << item.sessions[i].start << '-' << item.sessions[i].end;
            out << "]" << (item.optional ? " (optional)" : "") << "\n";
        }
    }
}

void programmes_brief(std::ostream& out) {
    out << "Programmes:";
    bool first = true;
    for (const auto& t : programme::all_templates()) {
        out << (first ? " " : "; ") << t.code << " (";
        first = false;
        for (std::size_t i = 0; i < t.items.size(); ++i) out << (i ? ", " : "") << t.items[i].code;
        out << ")";
    }
    out << "\n";
}

void columns(std::ostream& out) {
    out << "Attendance export columns (CSV, one row per participant per event, in this order):\n";
    for (const auto& c : attendance::export_columns()) {
        out << "  " << c.name;
        pad(out, c.name.size(), 18);
        out << c.meaning << "\n";
    }
}

void columns_brief(std::ostream& out) {
    out << "Export columns:";
    for (const auto& c : attendance::export_columns()) out << ' ' << c.name;
    out << "\n";
}

void statuses(std::ostream& out) {
    out << "Attendance statuses (the export's status column; derived from the scans unless staff marked one):\n";
    for (AttendanceStatus s : all_attendance_statuses()) {
        out << "  " << to_string(s);
        pad(out, to_string(s).size(), 11);
        out << label(s) << " - " << attendance::meaning(s) << "\n";
    }
}

void statuses_brief(std::ostream& out) {
    out << "Statuses:";
    for (AttendanceStatus s : all_attendance_statuses()) out << ' ' << to_string(s);
    out << "\n";
}

void school_columns(std::ostream& out) {
    out << "School report columns (muster school report --csv; one row per ECT or mentor, in this order):\n";
    for (const auto& c : attendance::school_report_columns()) {
        out << "  " << c.name;
        pad(out, c.name.size(), 18);
        out << c.meaning << "\n";
    }
}

void school_columns_brief(std::ostream& out) {
    out << "School report columns:";
    for (const auto& c : attendance::school_report_columns()) out << ' ' << c.name;
    out << "\n";
}

void notices(std::ostream& out) {
    out << "Non-attendance notices (muster notice draft|sent|list; docs/schools.md):\n"
           "  A draft is addressed to the school's induction tutors (participants with role induction_tutor\n"
           "  and the school's URN), else to \"the induction tutor\". It lists, for ECTs and mentors expected\n"
           "  at the event: who did not attend (absent, left early), who arrived late, and who was excused\n"
           "  (as excused, not missing). No TRNs, emails or correction reasons. Nothing before the event is over.\n"
           "  'notice sent' records the text word for word and who it told about; a later draft leaves those\n"
           "  people out (and says so) unless their status changed, which it tells as an update.\n"
           "  Recording the same draft twice records it once.\n";
}

void notices_brief(std::ostream& out) {
    out << "Notices: absent, left early, late, excused; each person told once per status.\n";
}

// The satisfaction question (docs/satisfaction.md): what is asked, kept and reported.
void satisfaction(std::ostream& out) {
    out << "The satisfaction question (muster satisfaction; docs/satisfaction.md):\n"
           "  An exit kiosk asks after a check-out \"Will this activity help you improve your practice?\",\n"
           "  answered with one tap: agree, not sure or disagree (or skipped). An answer is kept with its event,\n"
           "  session and hour only: nothing names the person, the badge or the device.\n"
           "  Per event: answers, agree / not sure / disagree, % agree = agree / answers (not sure counts as not\n"
           "  agreeing), and whether it meets the alliance's target of at least 90 % agree (exactly 90 % does).\n"
           "  An event without answers shows \"no answers\" and does not meet it.\n";
}

void satisfaction_brief(std::ostream& out) {
    out << "Satisfaction: agree / not sure / disagree per event; meets the target at >= 90 % agree.\n";
}

// The statuses staff decide (`muster attendance mark`, the staff pages' actions) and what each needs.
void marks(std::ostream& out) {
    out << "Staff marks (muster attendance mark --status S --reason TEXT --author NAME): each is a new\n"
           "correction, never an edit, and the newest un-voided mark decides the status:\n";
    for (AttendanceStatus s : all_attendance_statuses()) {
        out << "  " << to_string(s);
        pad(out, to_string(s).size(), 11);
        out << attendance::meaning(s);
        if (s == AttendanceStatus::caught_up) out << "; needs --caught-up-on YYYY-MM-DD --evidence TEXT";
        if (s == AttendanceStatus::alternate) out << "; needs --attended-event ID (where their scans are)";
        out << "\n";
    }
    out << "A scan or a mark is voided with muster attendance void --scan|--mark UUID (muster attendance\n"
           "history lists the uuids). Once the event is signed off (muster event sign-off) every change\n"
           "needs --amendment-reason and is flagged as an amendment in muster event audit.\n";
}

void marks_brief(std::ostream& out) {
    out << "Marks: --status";
    for (AttendanceStatus s : all_attendance_statuses()) out << ' ' << to_string(s);
    out << " (caught_up needs --caught-up-on and --evidence; alternate needs --attended-event)\n";
}

// The outbox of records for the central attendance records (docs/central.md).
void central(std::ostream& out) {
    out << "Central records (muster central status|retry; docs/central.md): when an event is signed off, one\n"
           "attendance record per expected person is queued for every target in sync-server.toml\n"
           "([[central.target]], kind https, csv or evidence-csv); each later amendment that changes a record\n"
           "queues its next version, sent as a correction when the one before was delivered. The server's\n"
           "delivery worker sends them; every delivery carries the idempotency key target:record_id:version.\n"
           "Entry states:\n"
           "  pending     waiting to be sent (again: failures are retried with growing waits)\n"
           "  sending     being sent now (a stopped server's are sent again at its next start)\n"
           "  delivered   the target took it\n"
           "  rejected    the target refused it (an HTTP 4xx other than 429, or a record it cannot read): it\n"
           "              waits for a person; fix the cause, then muster central retry\n"
           "  superseded  a newer version of the record was queued before this one was delivered\n"
           "File targets write one CSV file per batch into their folder (UTF-8 with BOM, batch id, record id,\n"
           "version and idempotency key on each row).\n";
}

void central_brief(std::ostream& out) {
    out << "Central records: states pending, sending, delivered, rejected (waits for muster central retry), superseded.\n";
}

// What counts as a delivered session (facilitator_report.hpp's rule) and the CSV's columns.
void facilitators(std::ostream& out) {
    out << "Facilitators' delivered sessions (muster facilitators; docs/facilitators.md):\n"
           "  A facilitator is listed for a room of the event, or has the facilitator role and is expected there.\n"
           "  They delivered a session of a held, not cancelled event when their entry scan (counted, not\n"
           "  voided) is in it, or hub staff marked them present or late (every session; evidence \"staff\n"
           "  mark\" where no scan shows it). Left early: the sessions they scanned into, else the first.\n"
           "  A hub mark of absent, excused, caught up or alternate removes the event. Marks from a register\n"
           "  tablet or a device do not count (facilitators run the tablets).\n"
           "CSV columns (--csv, --out; one row per delivered session, in this order):\n";
    for (const auto& c : attendance::facilitator_report_columns()) {
        out << "  " << c.name;
        pad(out, c.name.size(), 16);
        out << c.meaning << "\n";
    }
}

void facilitators_brief(std::ostream& out) {
    out << "Facilitators' CSV columns:";
    for (const auto& c : attendance::facilitator_report_columns()) out << ' ' << c.name;
    out << "\n";
}

// Moving a hub from its SQLite file to PostgreSQL (muster hub migrate; docs/scale.md).
void postgresql(std::ostream& out) {
    out << "Moving a hub to PostgreSQL (muster hub migrate --to postgresql://...; docs/scale.md):\n"
           "  1. Stop muster-sync-server. Make an empty database for the hub (createdb), owned by the user\n"
           "     in the URL.\n"
           "  2. muster hub migrate --to postgresql://USER:PASSWORD@HOST:PORT/DATABASE\n"
           "     copies every table in one transaction (all or nothing), ids, change clock and sync\n"
           "     positions included, checks each table's row count, and sets [hub] database in\n"
           "     sync-server.toml to the URL. It prints the rows per table (counts only).\n"
           "  3. Start muster-sync-server again: devices and tablets carry on where they were.\n"
           "  hub.db is not changed: keep it as the backup of the hub before the move. To go back, set\n"
           "  [hub] database = \"hub.db\" (anything recorded on PostgreSQL since is then not on it).\n"
           "  Refused, nothing changed (exit 2): a database that already holds hub data, a hub already on\n"
           "  PostgreSQL, a URL that is not postgresql://. A server that cannot be reached, or a copy\n"
           "  that fails part way, leaves the database empty and the file as it was (exit 1).\n";
}

void postgresql_brief(std::ostream& out) {
    out << "PostgreSQL: muster hub migrate --to postgresql://... copies the hub (all or nothing); hub.db stays as the backup.\n";
}

constexpr HelpTopic topics[] = {
    {"roles", "roles a roster may give and their other spellings", roles, roles_brief},
    {"programmes", "programme templates and their item codes", programmes, programmes_brief},
    {"columns", "the attendance export's columns", columns, columns_brief},
    {"statuses", "attendance status values", statuses, statuses_brief},
    {"school-columns", "the school report's CSV columns", school_columns, school_columns_brief},
    {"notices", "what a non-attendance notice says and to whom", notices, notices_brief},
    {"marks", "the statuses staff mark and what each needs; voids and amendments", marks, marks_brief},
    {"central", "records sent to the CRM and the lead provider: targets, entry states, retry", central, central_brief},
    {"facilitators", "what counts as a facilitator's delivered session; the CSV's columns", facilitators, facilitators_brief},
    {"satisfaction", "the satisfaction question: what is kept and the 90 % target", satisfaction, satisfaction_brief},
    {"postgresql", "moving the hub's database to PostgreSQL: muster hub migrate", postgresql, postgresql_brief},
};

}  // namespace

std::span<const HelpTopic> help_topics() { return topics; }

const HelpTopic* find_help_topic(std::string_view name) {
    // The singular, and "templates", find the same lists.
    constexpr std::pair<std::string_view, std::string_view> aliases[] = {
        {"role", "roles"}, {"programme", "programmes"}, {"templates", "programmes"}, {"column", "columns"}, {"status", "statuses"},
        {"mark", "marks"}, {"corrections", "marks"},
        {"facilitator", "facilitators"}, {"facilitator-columns", "facilitators"}, {"migrate", "postgresql"}};
    for (auto& [alias, topic] : aliases)
        if (name == alias) name = topic;
    for (const auto& t : topics)
        if (t.name == name) return &t;
    return nullptr;
}

std::vector<const HelpTopic*> topics_for_command(const std::string& name, const std::set<std::string>& options) {
    auto group = name.substr(0, name.find(' '));
    std::vector<const HelpTopic*> out;
    // A staff account's --role is admin|staff, not a participant's role.
    if (name == "roster import" || (options.count("role") && group != "staff")) out.push_back(find_help_topic("roles"));
    if (options.count("programme") || options.count("item")) out.push_back(find_help_topic("programmes"));
    // The export's columns for the export; the reconciliation's commands have their own.
    if (name == "attendance export") out.push_back(find_help_topic("columns"));
    if (group == "attendance" || options.count("status")) out.push_back(find_help_topic("statuses"));
    if (name == "attendance mark" || name == "attendance void" || name == "event sign-off")
        out.push_back(find_help_topic("marks"));
    if (group == "school") out.push_back(find_help_topic("school-columns"));
    if (group == "notice") out.push_back(find_help_topic("notices"));
    if (group == "central") out.push_back(find_help_topic("central"));
    if (name == "facilitators") out.push_back(find_help_topic("facilitators"));
    if (name == "satisfaction") out.push_back(find_help_topic("satisfaction"));
    if (name == "hub migrate") out.push_back(find_help_topic("postgresql"));
    return out;
}

}  // namespace muster::admin
