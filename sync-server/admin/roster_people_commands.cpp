// People on the roster, managed without SQL: list, search, show, edit, withdraw, reinstate.
#include "roster_people_commands.hpp"

#include "muster/model/field_limits.hpp"
#include "muster/roster/roster_fields.hpp"
#include "muster/store/badge_store.hpp"
#include "muster/store/enrolment_follow.hpp"
#include "muster/store/participant_admin.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/text.hpp"

#include <ostream>
#include <utility>

namespace muster::admin {
namespace {

using roster::Field;

// The edit options, each a roster field read as the import reads its column.
const std::vector<std::pair<std::string, Field>>& edit_options() {
    static const std::vector<std::pair<std::string, Field>> options = {
        {"first-name", Field::first_name}, {"last-name", Field::last_name}, {"preferred-name", Field::preferred_name},
        {"email", Field::email}, {"trn", Field::trn}, {"school", Field::school_name}, {"urn", Field::school_urn},
        {"role", Field::role}, {"programme", Field::programme}, {"cohort", Field::cohort}, {"year", Field::programme_year},
        {"part-time", Field::part_time}, {"lead-provider", Field::lead_provider},
        {"delivery-partner", Field::delivery_partner}};
    return options;
}

ParticipantId participant_id(const Args& a) {
    if (a.positional().size() != 1) throw UsageError("give one participant id (find it with: muster roster search NAME)");
    std::string s = a.positional()[0];
    if (!s.empty() && s[0] == '#') s.erase(0, 1);
    if (s.empty() || s.size() > 12 || !text::all_digits(s))
        throw UsageError("'" + a.positional()[0] + "' is not a participant id (a number; find it with: muster roster search NAME)");
    return std::stoll(s);
}

store::Person require_person(db::Database& db, ParticipantId id) {
    auto person = store::find_person(db, id);
    if (!person) throw store::PersonError("no participant " + std::to_string(id) + ": find their id with muster roster search NAME");
    return *person;
}

std::string or_dash(const std::optional<std::string>& v) { return v ? *v : "-"; }

// One line a person: id, name, role, school, TRN, email, WITHDRAWN.
void print_line(std::ostream& out, const store::Person& person) {
    const auto& p = person.p;
    out << "#" << p.id << "  " << p.full_name() << "  " << to_string(p.role) << "  " << or_dash(p.school_name)
        << "  TRN " << or_dash(p.trn) << "  " << or_dash(p.email);
    if (person.withdrawn_ms) out << "  WITHDRAWN " << uk_time::format_date(*person.withdrawn_ms);
    out << "\n";
}

int list(const Args& a, Context& ctx) {
    if (!a.positional().empty()) throw UsageError("roster list takes no positional arguments (to search: muster roster search TEXT)");
    store::PersonFilter filter;
    if (auto role = a.get("role")) {
        filter.role = parse_role(*role);
        if (!filter.role)
            throw UsageError("unknown role '" + *role + "' (ect, mentor, induction_tutor, facilitator, npq, hub_staff, guest)");
    }
    filter.withdrawn_only = a.flag("withdrawn");
    auto db = ctx.hub.open();
    auto people = store::list_people(*db, filter);
    if (people.empty()) {
        if (filter.role || filter.withdrawn_only) ctx.err << "No one on the roster matches those filters.\n";
        else ctx.err << "The roster is empty: import one with muster roster import FILE.csv\n";
        return 1;
    }
    for (const auto& p : people) print_line(ctx.out, p);
    ctx.out << people.size() << (people.size() == 1 ? " person\n" : " people\n");
    return 0;
}

int search(const Args& a, Context& ctx) {
    if (a.positional().empty()) throw UsageError("give the text to search for (part of a name, a TRN, an email or a school)");
    std::string query;
    for (const auto& w : a.positional()) query += (query.empty() ? "" : " ") + w;
    if (auto problem = limits::text_problem(query, limits::email_chars)) throw UsageError("search text: " + *problem);
    auto db = ctx.hub.open();
    auto people = store::search_people(*db, query);
    if (people.empty()) {
        ctx.err << "No one matches '" << query << "'\n";
        return 1;
    }
    for (const auto& p : people) print_line(ctx.out, p);
    return 0;
}

int show(const Args& a, Context& ctx) {
    ParticipantId id = participant_id(a);
    auto db = ctx.hub.open();
    auto person = require_person(*db, id);
    const auto& p = person.p;
    auto& out = ctx.out;
    out << "#" << p.id << " " << p.full_name() << "\n";
    out << "  first name:       " << p.first_name << "\n";
    out << "  last name:        " << p.last_name << "\n";
    out << "  preferred name:   " << or_dash(p.preferred_name) << "\n";
    out << "  role:             " << to_string(p.role) << " (" << label(p.role) << ")\n";
    out << "  TRN:              " << or_dash(p.trn) << "\n";
    out << "  email:            " << or_dash(p.email) << "\n";
    out << "  school:           " << or_dash(p.school_name) << "\n";
    out << "  URN:              " << or_dash(p.school_urn) << "\n";
    out << "  programme:        " << or_dash(p.programme) << "\n";
    out << "  cohort:           " << (p.cohort ? std::to_string(*p.cohort) : "-") << "\n";
    out << "  year:             " << (p.programme_year ? std::to_string(*p.programme_year) : "-") << "\n";
    out << "  part-time:        " << (p.part_time ? "yes" : "no") << "\n";
    out << "  lead provider:    " << or_dash(p.lead_provider) << "\n";
    out << "  delivery partner: " << or_dash(p.delivery_partner) << "\n";
    if (person.withdrawn_ms)
        out << "  WITHDRAWN " << uk_time::format_date(*person.withdrawn_ms) << ": " << or_dash(person.withdrawn_reason) << "\n";
    auto badge = store::current_badge(*db, id);
    out << "  badge:            " << (badge ? "serial " + std::to_string(badge->serial) : std::string("none issued")) << "\n";
    auto cards = store::cards_of(*db, id);
    out << "  NFC cards:        ";
    if (cards.empty()) out << "none";
    for (std::size_t i = 0; i < cards.size(); ++i) out << (i ? ", " : "") << cards[i];
    out << "\n";
    auto enrolled = store::enrolments_of(*db, id);
    out << "Enrolments: " << (enrolled.empty() ? "none" : std::to_string(enrolled.size())) << "\n";
    for (const auto& e : enrolled)
        out << "  event " << e.event_id << "  " << e.local_date << "  " << e.title << "  " << or_dash(e.room)
            << (e.cancelled ? "  (cancelled)" : "") << "\n";
    return 0;
}

int edit(const Args& a, Context& ctx) {
    ParticipantId id = participant_id(a);
    auto db = ctx.hub.open();
    db::Transaction tx(*db);
    auto person = require_person(*db, id);
    Participant edited = person.p;
    bool any = false;
    for (const auto& [option, field] : edit_options()) {
        auto value = a.get(option);
        if (!value) continue;
        any = true;
        auto r = roster::read_cell(field, *value, edited);
        if (r.error) throw UsageError("--" + option + ": " + *r.error + " (nothing was changed)");
        if (r.warning) ctx.err << "warning: --" << option << ": " << *r.warning << "\n";
    }
    if (!any) {
        std::string names;
        for (const auto& [option, field] : edit_options()) names += " --" + option;
        throw UsageError("give at least one field to change:" + names);
    }
    std::vector<Field> changed;
    for (Field f : roster::all_fields())
        if (roster::differs(f, person.p, edited)) changed.push_back(f);
    if (changed.empty()) {
        ctx.err << "#" << id << " " << person.p.full_name() << " already has those values: nothing changed.\n";
        return 1;
    }
    std::int64_t change = store::next_change(*db);
    store::save_person(*db, edited, change);
    // A new role, programme, cohort or year may make them expected at future events, as an
    // import would (muster/store/enrolment_follow.hpp); nobody is taken off by an edit.
    std::vector<store::FollowedEvent> joined;
    for (Field f : changed)
        if (f == Field::role || f == Field::programme || f == Field::cohort || f == Field::programme_year) {
            joined = store::enrol_in_future_events(*db, {id}, uk_time::format_date(uk_time::now_ms()), change);
            break;
        }
    tx.commit();
    ctx.out << "Changed #" << id << " " << edited.full_name() << ":";
    for (std::size_t i = 0; i < changed.size(); ++i) {
        Field f = changed[i];
        ctx.out << (i ? ", " : " ") << roster::field_name(f) << (roster::is_empty(f, edited) ? " (cleared)" : "");
    }
    ctx.out << "\n";
    for (const auto& e : joined) ctx.out << "Enrolled at event " << e.event_id << " (" << e.local_date << " " << e.title << ")\n";
    ctx.out << "Devices get the new details at their next sync.\n";
    return 0;
}

int withdraw(const Args& a, Context& ctx) {
    ParticipantId id = participant_id(a);
    std::string reason = a.require_text("reason", limits::reason_chars);
    std::string from = uk_time::format_date(uk_time::now_ms());
    if (auto f = a.get("from")) {
        if (!uk_time::parse_date(*f)) throw UsageError("--from: '" + *f + "' is not a date (use YYYY-MM-DD)");
        from = *f;
    }
    auto db = ctx.hub.open();
    auto person = require_person(*db, id);
    if (person.withdrawn_ms) {
        ctx.err << "#" << id << " " << person.p.full_name() << " is already withdrawn (since "
                << uk_time::format_date(*person.withdrawn_ms) << ": " << or_dash(person.withdrawn_reason)
                << "). To undo it: muster roster reinstate " << id << "\n";
        return 1;
    }
    auto done = store::withdraw_person(*db, id, reason, from, uk_time::now_ms());
    ctx.out << "Withdrew #" << id << " " << person.p.full_name() << " (" << reason << "). ";
    if (done.removed.empty()) {
        ctx.out << "They were enrolled at no event dated " << from << " or later.\n";
        return 0;
    }
    ctx.out << "Taken off " << done.removed.size() << (done.removed.size() == 1 ? " event" : " events") << " dated " << from
            << " or later:\n";
    for (const auto& e : done.removed) ctx.out << "  event " << e.event_id << "  " << e.local_date << "  " << e.title << "\n";
    ctx.out << "Devices hear of it at their next sync. Their records and past enrolments are kept.\n";
    return 0;
}

int reinstate(const Args& a, Context& ctx) {
    ParticipantId id = participant_id(a);
    auto db = ctx.hub.open();
    auto person = require_person(*db, id);
    if (!person.withdrawn_ms) {
        ctx.err << "#" << id << " " << person.p.full_name() << " is not withdrawn: nothing to reinstate.\n";
        return 1;
    }
    store::reinstate_person(*db, id);
    ctx.out << "Reinstated #" << id << " " << person.p.full_name()
            << ". They are not enrolled anywhere again by this: enrol them at each event with\n"
            << "  muster event enrol --event EVENT_ID --participant " << id << "\n";
    return 0;
}

// Store refusals (unknown id, a clash, already withdrawn) are the staff member's to read: one
// line, exit 1.
Command guarded(Command c) {
    auto run = std::move(c.run);
    c.run = [run, name = c.name](const Args& a, Context& ctx) {
        try {
            return run(a, ctx);
        } catch (const store::PersonError& e) {
            ctx.err << "muster " << name << ": " << e.what() << "\n";
            return 1;
        }
    };
    return c;
}

}  // namespace

std::vector<Command> roster_people_commands() {
    std::set<std::string> edit_valued;
    std::string edit_usage = "ID";
    for (const auto& [option, field] : edit_options()) {
        edit_valued.insert(option);
        edit_usage += " [--" + option + " VALUE]";
    }
    edit_usage += " [--hub DIR]\n\nEach value is checked as roster import checks its column (TRN 7 digits, URN 6 digits,\n"
                  "an email address, a known role, cohort a year, year 1 to 3, part-time yes or no). An empty\n"
                  "value (--school \"\") clears an optional field. A TRN or email that belongs to someone else\n"
                  "is refused, naming them.";
    std::vector<Command> out = {
        {"roster list", "Everyone on the roster, one line each with their id",
         "[--role ROLE] [--withdrawn] [--hub DIR]\n\nROLE: ect, mentor, induction_tutor, facilitator, npq, hub_staff, guest.",
         {"role"}, {"withdrawn"}, list},
        {"roster search", "Find people by name, TRN, email or school (shows their ids)", "TEXT [--hub DIR]", {}, {}, search},
        {"roster show", "Everything about one person: fields, enrolments, badge, cards", "ID [--hub DIR]", {}, {}, show},
        {"roster edit", "Change a person's fields, checked as the import checks them", edit_usage, edit_valued, {}, edit},
        {"roster withdraw", "Mark someone withdrawn and take them off events from a date",
         "ID --reason TEXT [--from YYYY-MM-DD] [--hub DIR]\n\nTheir records are kept; they are taken off every event dated "
         "--from (default today) or later,\nand no event or import enrols them again until muster roster reinstate.",
         {"reason", "from"}, {}, withdraw},
        {"roster reinstate", "Undo a withdrawal (enrol them again with muster event enrol)", "ID [--hub DIR]", {}, {},
         reinstate},
    };
    for (auto& c : out) c = guarded(std::move(c));
    return out;
}

}  // namespace muster::admin
