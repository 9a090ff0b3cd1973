// `muster event enrol`, `event unenrol` and `event facilitators`: who is expected at one
// event and where, one person at a time (a late registrant, a change of plan, a room's
// facilitators). Each change is one transaction with the next change-clock value.
#include "event_command_support.hpp"

#include "muster/util/text.hpp"

#include <algorithm>
#include <map>
#include <ostream>

namespace muster::admin {
namespace {

std::string room_label(db::Database& db, std::optional<RoomId> room) {
    if (!room) return "no room";
    return store::room_name(db, *room).value_or("room " + std::to_string(*room)) + " (room " + std::to_string(*room) + ")";
}

// A room given by id: one of this event's, or a refusal saying whose it is.
Room room_of_event(db::Database& db, const Event& e, RoomId id) {
    if (auto owner = store::room_event(db, id); owner && *owner != e.id)
        throw UsageError("room " + std::to_string(id) + " is " + store::room_name(db, id).value_or("a room") + " of event " +
                         std::to_string(*owner) + ", not of event " + std::to_string(e.id) + " (see: muster event show " +
                         std::to_string(e.id) + ")");
    return require_room_of(e, id);
}

void refuse_withdrawn(db::Database& db, const Participant& p) {
    if (auto when = store::participant_withdrawn(db, p.id))
        throw UsageError("participant " + std::to_string(p.id) + " (" + p.full_name() + ") withdrew on " +
                         uk_time::format_date(*when) + " and is expected nowhere");
}

// The room with the fewest people allocated, for someone enrolled without --room.
std::optional<RoomId> emptiest_room(db::Database& db, const Event& e) {
    std::optional<RoomId> best;
    std::int64_t fewest = 0;
    for (const auto& r : e.rooms)
        if (auto n = store::count_room_enrolments(db, r.id); !best || n < fewest) {
            best = r.id;
            fewest = n;
        }
    return best;
}

int enrol(const Args& a, Context& ctx) {
    EventId event_id = a.require_int("event");
    ParticipantId pid = a.require_int("participant");
    auto db = ctx.hub.open();
    auto e = require_event(*db, event_id);
    refuse_cancelled(*db, e, "enrolling someone");
    auto p = require_participant(*db, pid);
    refuse_withdrawn(*db, p);
    std::optional<RoomId> room;
    if (auto r = a.get_int("room")) room = room_of_event(*db, e, *r).id;

    auto current = store::find_enrolment(*db, e.id, pid);
    const std::string who = std::to_string(pid) + " " + p.full_name();
    if (current && (!room || current->room_id == room))
        throw NothingToDo(who + " is already enrolled at event " + std::to_string(e.id) + " in " +
                          room_label(*db, current->room_id) + (room ? "" : "; give --room ID to move them"));
    if (auto facilitating = store::facilitated_room(*db, e.id, pid); facilitating && room && *facilitating != *room)
        throw UsageError(who + " facilitates " + room_label(*db, facilitating) + ": move them with muster event facilitators --room " +
                         std::to_string(*room) + " --lead ID [--co ID]");
    bool chosen = !room && !current;
    if (chosen) room = emptiest_room(*db, e);

    db::Transaction tx(*db);
    store::enrol(*db, e.id, pid, room, store::next_change(*db));
    tx.commit();
    if (current)
        ctx.out << "Moved " << who << " at event " << e.id << " from " << room_label(*db, current->room_id) << " to "
                << room_label(*db, room) << "\n";
    else
        ctx.out << "Enrolled " << who << " at event " << e.id << " (" << e.title << ", " << e.local_date << ") in "
                << room_label(*db, room) << (chosen && room ? ", the room with fewest people" : "") << "\n";
    ctx.out << "Devices serving the event learn it at their next sync.\n";
    return 0;
}

int unenrol(const Args& a, Context& ctx) {
    EventId event_id = a.require_int("event");
    ParticipantId pid = a.require_int("participant");
    auto db = ctx.hub.open();
    auto e = require_event(*db, event_id);
    auto p = require_participant(*db, pid);
    const std::string who = std::to_string(pid) + " " + p.full_name();
    if (!store::find_enrolment(*db, e.id, pid))
        throw NothingToDo(who + " is not enrolled at event " + std::to_string(e.id) + " (see: muster event show " +
                          std::to_string(e.id) + ")");
    db::Transaction tx(*db);
    const auto change = store::next_change(*db);
    auto facilitating = store::take_off_event(*db, e.id, pid, change).facilitated_room;
    tx.commit();
    ctx.out << "Unenrolled " << who << " from event " << e.id << " (" << e.title << ", " << e.local_date
            << "); their records stay. Devices serving the event learn it at their next sync.\n";
    if (facilitating)
        ctx.out << "  They were a facilitator of " << room_label(*db, facilitating)
                << "; see its list: muster event facilitators --room " << *facilitating << "\n";
    return 0;
}

std::vector<ParticipantId> id_list(const std::string& option, const std::string& text) {
    std::vector<ParticipantId> out;
    for (const std::string& part : text::split(text, ',')) {
        std::size_t used = 0;
        long long id = 0;
        try {
            id = std::stoll(part, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != part.size()) throw UsageError("--" + option + ": '" + part + "' is not a participant id");
        out.push_back(id);
    }
    return out;
}

std::string list_text(db::Database& db, const std::vector<store::RoomFacilitator>& list) {
    std::string out;
    for (const auto& f : list) out += (out.empty() ? "" : ", ") + person_text(db, f.participant_id) + (f.lead ? " (lead)" : "");
    return out.empty() ? "no facilitator" : out;
}

// Facilitators deliver the sessions and their schools are paid for it (DOMAIN.md), so only
// people whose role is facilitator are accepted; hub staff run the day but are not paid so.
Participant require_facilitator(db::Database& db, ParticipantId id) {
    auto p = require_participant(db, id);
    if (p.role != Role::facilitator)
        throw UsageError("participant " + std::to_string(id) + " (" + p.full_name() + ") has the role " + std::string(label(p.role)) +
                         ", not Facilitator: only facilitators run a room");
    refuse_withdrawn(db, p);
    return p;
}

int facilitators(const Args& a, Context& ctx) {
    RoomId room_id = a.require_int("room");
    auto db = ctx.hub.open();
    auto owner = store::room_event(*db, room_id);
    if (!owner) throw UsageError("no room " + std::to_string(room_id) + " (see: muster event list)");
    auto e = require_event(*db, *owner);
    const std::string room_text = room_label(*db, room_id) + " of event " + std::to_string(e.id);
    auto before = store::room_facilitator_list(*db, room_id);
    auto lead = a.get_int("lead");
    auto co = a.get("co");
    if (!lead && !co && !a.flag("clear")) {
        ctx.out << room_text << ": " << list_text(*db, before) << "\n";
        if (before.empty()) ctx.out << "Set them: muster event facilitators --room " << room_id << " --lead ID [--co ID,ID]\n";
        return 0;
    }
    if (a.flag("clear") && (lead || co)) throw UsageError("--clear empties the list: give it without --lead or --co");
    if (co && !lead) throw UsageError("--co needs --lead: a room's list starts with its lead");
    refuse_cancelled(*db, e, "changing its facilitators");

    std::vector<store::RoomFacilitator> after;
    if (lead) {
        require_facilitator(*db, *lead);
        after.push_back({*lead, true});
        for (auto id : co ? id_list("co", *co) : std::vector<ParticipantId>{}) {
            if (std::any_of(after.begin(), after.end(), [&](const auto& f) { return f.participant_id == id; }))
                throw UsageError("participant " + std::to_string(id) + " is given twice");
            require_facilitator(*db, id);
            after.push_back({id, false});
        }
    }
    auto same = [](const store::RoomFacilitator& x, const store::RoomFacilitator& y) {
        return x.participant_id == y.participant_id && x.lead == y.lead;
    };
    auto sorted = [](std::vector<store::RoomFacilitator> l) {
        std::sort(l.begin(), l.end(), [](const auto& x, const auto& y) {
            return std::pair(!x.lead, x.participant_id) < std::pair(!y.lead, y.participant_id);
        });
        return l;
    };
    auto b = sorted(before), c = sorted(after);
    if (std::equal(b.begin(), b.end(), c.begin(), c.end(), same))
        throw NothingToDo(room_text + " already has " + list_text(*db, before));

    std::vector<std::string> said;
    db::Transaction tx(*db);
    const auto change = store::next_change(*db);
    auto in_after = [&](ParticipantId id) {
        return std::any_of(after.begin(), after.end(), [&](const auto& f) { return f.participant_id == id; });
    };
    // Someone runs one room of an event: moved here, they leave their other room's list.
    for (const auto& other : e.rooms) {
        if (other.id == room_id) continue;
        auto list = store::room_facilitator_list(*db, other.id);
        auto kept = list;
        std::erase_if(kept, [&](const auto& f) { return in_after(f.participant_id); });
        if (kept.size() == list.size()) continue;
        store::set_room_facilitators(*db, other.id, kept, change);
        for (const auto& f : list)
            if (in_after(f.participant_id))
                said.push_back(person_text(*db, f.participant_id) + " moved here from " + room_label(*db, other.id));
        if (std::none_of(kept.begin(), kept.end(), [](const auto& f) { return f.lead; }))
            said.push_back(room_label(*db, other.id) + " now has no lead: muster event facilitators --room " +
                           std::to_string(other.id) + " --lead ID");
    }
    store::set_room_facilitators(*db, room_id, after, change);
    for (const auto& f : after) store::enrol(*db, e.id, f.participant_id, room_id, change);
    for (const auto& f : before)
        if (!in_after(f.participant_id))
            said.push_back(person_text(*db, f.participant_id) + " no longer facilitates here (still enrolled at the event: "
                           "muster event unenrol --event " + std::to_string(e.id) + " --participant " +
                           std::to_string(f.participant_id) + " to take them off it)");
    tx.commit();
    ctx.out << room_text << ": " << list_text(*db, after) << "\n";
    for (const auto& line : said) ctx.out << "  " << line << "\n";
    ctx.out << "Devices serving the event learn it at their next sync.\n";
    return 0;
}

}  // namespace

std::vector<Command> event_people_commands() {
    return {
        {"event enrol", "Enrol one person at an event, or move them to another of its rooms",
         "--event ID --participant ID [--room ID]", {"event", "participant", "room"}, {}, enrol},
        {"event unenrol", "Take one person off an event (their records stay)", "--event ID --participant ID",
         {"event", "participant"}, {}, unenrol},
        {"event facilitators", "Show or set a room's facilitators (a lead, then co-facilitators)",
         "--room ID [--lead ID [--co ID,ID]] [--clear]", {"room", "lead", "co"}, {"clear"}, facilitators},
    };
}

}  // namespace muster::admin
