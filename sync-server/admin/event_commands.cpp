// `muster event create`, `event edit` and `event cancel`: an event's life after the
// template. Every change is one transaction with the next change-clock value, so devices
// serving the event learn it at their next sync.
#include "event_command_support.hpp"
#include "reconcile_text.hpp"

#include <algorithm>
#include <ostream>

namespace muster::admin {
namespace {

int create(const Args& a, Context& ctx) {
    store::NewEvent spec;
    spec.programme = a.require("programme");
    spec.item = a.require("item");
    spec.cohort = static_cast<int>(a.require_int("cohort"));
    spec.local_date = a.require("date");
    spec.venue = a.require_text("venue", limits::venue_chars);
    spec.rooms = static_cast<int>(a.get_int("rooms").value_or(0));
    spec.late_after_min = static_cast<int>(a.get_int("late-after").value_or(10));
    if (spec.late_after_min < 0 || spec.late_after_min > 240)
        throw UsageError("--late-after must be between 0 and 240 minutes");
    auto db = ctx.hub.open();
    EventId id = 0;
    try {
        if (auto times = a.get("sessions")) spec.session_times = store::parse_session_times(*times);
        id = store::create_event(*db, spec);
    } catch (const store::DuplicateEvent& e) {
        throw UsageError(std::string(e.what()) + " (see: muster event list)");
    } catch (const store::EventError& e) {
        throw UsageError(e.what());
    }
    auto event = store::load_event(*db, id);
    auto expected = store::enrolments(*db, id).size();
    ctx.out << "Created event " << id << ": " << event->title << ", " << event->local_date << " at " << event->venue << "\n";
    for (const auto& s : event->sessions)
        ctx.out << "  session " << s.id << ": " << s.name << " " << session_times_text(s, event->local_date) << "\n";
    for (const auto& r : event->rooms) {
        auto facilitators = store::room_facilitator_list(*db, r.id);
        ctx.out << "  room " << r.id << ": " << r.name;
        for (std::size_t i = 0; i < facilitators.size(); ++i)
            ctx.out << (i == 0 ? ", facilitators " : ", ") << person_text(*db, facilitators[i].participant_id)
                    << (facilitators[i].lead ? " (lead)" : "");
        ctx.out << "\n";
    }
    ctx.out << "  " << expected << " participants expected\n";
    for (const auto& r : event->rooms)
        if (store::room_facilitator_list(*db, r.id).empty())
            ctx.out << r.name << " has no facilitator: muster event facilitators --room " << r.id << " --lead ID\n";
    return 0;
}

// `--rooms N` on an existing event: adds "Room K" rooms, or removes the last ones when
// nothing holds them (their deletion would orphan enrolments, lists, scans or devices).
void change_rooms(db::Database& db, const Event& e, int wanted, std::int64_t change, std::vector<std::string>& said) {
    int now = static_cast<int>(e.rooms.size());
    if (wanted > now) {
        for (const auto& r : store::add_rooms(db, e.id, wanted, change))
            said.push_back("added " + r.name + " (room " + std::to_string(r.id) + "): muster event facilitators --room " +
                           std::to_string(r.id) + " --lead ID, and muster event enrol --event " + std::to_string(e.id) +
                           " --participant ID --room " + std::to_string(r.id) + " to move people into it");
    } else if (wanted < now) {
        for (int i = now - 1; i >= wanted; --i) {
            const Room& r = e.rooms[static_cast<std::size_t>(i)];
            auto holders = store::room_holders(db, r.id);
            if (!holders.empty())
                throw UsageError(r.name + " (room " + std::to_string(r.id) + ") cannot be removed: it holds " + holders.describe() +
                                 ". Move people with muster event enrol --room, facilitators with muster event facilitators, "
                                 "devices with muster device move; a room with check-ins stays");
            store::remove_room(db, r.id);
            said.push_back("removed " + r.name + " (room " + std::to_string(r.id) + ")");
        }
    }
}

int edit(const Args& a, Context& ctx) {
    EventId id = event_id_argument(a);
    auto date = a.get("date");
    auto venue = a.get_text("venue", limits::venue_chars);
    auto late = a.get_int("late-after");
    auto session = a.get_int("session");
    auto start = a.get("start"), end = a.get("end");
    auto rooms = a.get_int("rooms");
    if ((start || end) && !session) throw UsageError("--start and --end need --session ID (see: muster event show " +
                                                     std::to_string(id) + ")");
    if (!date && !venue && !late && !session && !rooms)
        throw UsageError("nothing to change: give --date, --venue, --late-after, --session with --start/--end, or --rooms");
    if (session && !start && !end) throw UsageError("--session needs --start HH:MM and/or --end HH:MM");
    if (venue && venue->empty()) throw UsageError("an event needs a venue");
    if (late && (*late < 0 || *late > 240)) throw UsageError("--late-after must be between 0 and 240 minutes");
    if (date && !uk_time::parse_date(*date)) throw UsageError("'" + *date + "' is not a date (use YYYY-MM-DD)");
    if (rooms && (*rooms < 0 || *rooms > 50)) throw UsageError("--rooms must be between 0 and 50");

    auto db = ctx.hub.open();
    auto e = require_event(*db, id);
    refuse_cancelled(*db, e, "editing it");
    if (session && std::none_of(e.sessions.begin(), e.sessions.end(), [&](const Session& s) { return s.id == *session; }))
        throw UsageError("session " + std::to_string(*session) + " is not a session of event " + std::to_string(id) +
                         " (see: muster event show " + std::to_string(id) + ")");
    if (date && *date != e.local_date && !a.flag("force"))
        if (auto scans = store::count_event_check_ins(*db, id); scans > 0)
            throw UsageError("event " + std::to_string(id) + " already has " + std::to_string(scans) +
                             " check-ins on " + e.local_date + ": moved to " + *date +
                             ", they would fall outside the event's days (and uploads from its kiosks would be refused "
                             "as time_implausible). Give --force if the event really moves");

    std::vector<std::string> said;
    db::Transaction tx(*db);
    const std::int64_t change = store::next_change(*db);
    try {
        if (date && *date != e.local_date) {
            store::move_event_date(*db, id, *date, change);
            std::string moved;
            const auto moved_event = store::load_event(*db, id);  // kept: the loop reads into it
            for (const auto& s : moved_event->sessions)
                moved += (moved.empty() ? "" : ", ") + s.name + " " + session_times_text(s, *date);
            said.push_back("date " + e.local_date + " -> " + *date + " (sessions keep their UK times: " + moved + ")");
        }
        if (session) {
            auto s = *store::load_session(*db, *session);  // after a date move: its new day
            auto day = uk_time::format_date(s.starts_ms);
            auto times = store::local_session_times(day, start.value_or(uk_time::format_hhmm(s.starts_ms)),
                                                    end.value_or(uk_time::format_hhmm(s.ends_ms)));
            if (times.first != s.starts_ms || times.second != s.ends_ms) {
                store::reschedule_session(*db, s.id, times.first, times.second, change);
                Session after = s;
                after.starts_ms = times.first;
                after.ends_ms = times.second;
                said.push_back("session " + std::to_string(s.id) + " " + s.name + " " + session_times_text(s, day) + " -> " +
                               session_times_text(after, day));
            }
        }
    } catch (const store::EventError& err) {
        throw UsageError(err.what());
    }
    if (venue && *venue != e.venue) {
        store::set_event_venue(*db, id, *venue, change);
        said.push_back("venue " + e.venue + " -> " + *venue);
    }
    if (late && *late != e.late_after_min) {
        store::set_event_late_after(*db, id, static_cast<int>(*late), change);
        said.push_back("late after " + std::to_string(e.late_after_min) + " -> " + std::to_string(*late) + " minutes");
    }
    if (rooms) change_rooms(*db, e, static_cast<int>(*rooms), change, said);
    if (said.empty()) throw NothingToDo("event " + std::to_string(id) + " already has those values: nothing changed");
    tx.commit();
    ctx.out << "Event " << id << " changed:\n";
    for (const auto& line : said) ctx.out << "  " << line << "\n";
    ctx.out << "Devices serving it learn this at their next sync.\n";
    return 0;
}

int cancel(const Args& a, Context& ctx) {
    EventId id = event_id_argument(a);
    auto reason = a.require_text("reason", limits::reason_chars);
    auto db = ctx.hub.open();
    auto e = require_event(*db, id);
    if (auto c = store::event_cancellation(*db, id))
        throw NothingToDo("event " + std::to_string(id) + " was already cancelled on " + uk_time::format_date(c->cancelled_ms) +
                          " (" + c->reason + ")");
    db::Transaction tx(*db);
    auto taken = store::cancel_event(*db, id, reason, uk_time::now_ms(), store::next_change(*db));
    tx.commit();
    ctx.out << "Cancelled event " << id << ": " << e.title << ", " << e.local_date << " at " << e.venue << "\n"
            << "  " << taken << " were expected; nobody is now (their enrolments are taken away, their records stay)\n";
    auto devices = store::devices_serving(*db, id);
    if (devices.empty()) ctx.out << "  No device serves it.\n";
    for (const auto& d : devices)
        ctx.out << "  device " << d << " serves it: muster device move --id " << d << " --event ID for another event, "
                << "or muster device revoke --id " << d << "\n";
    return 0;
}

}  // namespace

std::vector<Command> event_commands() {
    std::vector<Command> all = {
        {"event create", "Create an event from a programme template and enrol who is expected",
         "--programme ect-y1|ect-y2|mentor|npq --item ITEM --cohort YEAR --date YYYY-MM-DD --venue TEXT "
         "[--rooms N] [--late-after MINUTES] [--sessions \"Morning=09:30-12:30,Afternoon=13:15-16:00\"] "
         "(UK times; sessions not named keep the template's)",
         {"programme", "item", "cohort", "date", "venue", "rooms", "late-after", "sessions"}, {}, create},
        {"event edit", "Change an event's date, venue, late threshold, a session's times or its rooms",
         "ID [--date YYYY-MM-DD [--force]] [--venue TEXT] [--late-after MINUTES] [--session ID --start HH:MM --end HH:MM] "
         "[--rooms N]",
         {"date", "venue", "late-after", "session", "start", "end", "rooms"}, {"force"}, edit},
        {"event cancel", "Cancel an event: nobody is expected any more, its records stay", "ID --reason TEXT", {"reason"}, {},
         cancel},
    };
    for (auto group : {event_list_commands, event_people_commands, sign_off_commands})
        for (auto& c : group()) all.push_back(std::move(c));
    return all;
}

}  // namespace muster::admin
