#include "muster/register/register_view.hpp"

#include "muster/attendance/attendance_rules.hpp"

#include <algorithm>
#include <tuple>

namespace muster::register_view {

std::string_view to_string(VisitorReason r) {
    switch (r) {
        case VisitorReason::other_room: return "other_room";
        case VisitorReason::not_expected: return "not_expected";
    }
    return "not_expected";
}

std::string_view to_string(CountedAt c) { return c == CountedAt::room_device ? "room_device" : "entrance"; }

namespace {

std::optional<std::string> room_name_in(const Event& event, RoomId room) {
    for (const auto& r : event.rooms)
        if (r.id == room) return r.name;
    return std::nullopt;
}

bool withdrawn_by(const Person& p, TimeMs now) { return p.withdrawn_ms && *p.withdrawn_ms <= now; }

}  // namespace

View build_view(const Facts& facts) {
    View view;
    view.event = facts.event;
    view.session = facts.session;
    view.counted_at = facts.counted_at;
    if (facts.room)
        for (const auto& r : facts.event.rooms)
            if (r.id == *facts.room) view.room = r;

    std::map<ParticipantId, const Enrolment*> enrolled;
    for (const auto& e : facts.enrolments) enrolled[e.participant_id] = &e;
    auto person = [&](ParticipantId id) {
        auto it = facts.people.find(id);
        if (it != facts.people.end()) return it->second;
        Person unknown;  // a scan of someone the hub has no row for: shown by number only
        unknown.id = id;
        return unknown;
    };
    // On this register's list: enrolled (in this room, for a room) and not withdrawn.
    auto expected_here = [&](const Enrolment& e) {
        if (facts.room && e.room_id != facts.room) return false;
        auto it = facts.people.find(e.participant_id);
        return it == facts.people.end() || !withdrawn_by(it->second, facts.now);
    };

    auto on_list = [&](ParticipantId id) {
        auto it = enrolled.find(id);
        return it != enrolled.end() && expected_here(*it->second);
    };

    std::map<ParticipantId, TimeMs> arrived;
    auto arrive = [&](ParticipantId id, TimeMs at) {
        auto [it, fresh] = arrived.emplace(id, at);
        if (!fresh) it->second = std::min(it->second, at);
    };
    for (const auto& a : facts.arrivals) arrive(a.participant_id, a.first_ms);
    // A room with no device of its own counts the entrance, for its own list only: someone
    // else coming through the entrance is no visitor of this room.
    if (facts.room && facts.counted_at == CountedAt::entrance)
        for (const auto& a : facts.entrance_arrivals)
            if (on_list(a.participant_id)) arrive(a.participant_id, a.first_ms);

    // Marks: the earliest present mark and the newest left-early mark of each person this
    // register may see (on its list; anyone, for the whole event or a mark made in this room).
    std::map<ParticipantId, HandMarks> hand;
    for (const auto& m : facts.marks) {
        if (m.undone) continue;
        if (facts.room && !on_list(m.participant_id) && m.room_id != facts.room) continue;
        bool undoable = m.link_id && facts.viewer_link && *m.link_id == *facts.viewer_link;
        auto& h = hand[m.participant_id];
        if (m.status == AttendanceStatus::present) {
            if (!h.by_hand || m.at_ms < h.by_hand->at_ms)
                h.by_hand = ByHand{m.uuid, m.author, m.reason, m.note, m.at_ms, undoable, m.link_id};
        } else if (m.status == AttendanceStatus::left_early) {
            if (!h.left_ms || m.at_ms >= *h.left_ms) {
                h.left_ms = m.at_ms;
                h.left_mark = LeftMark{m.uuid, m.author, undoable, m.link_id};
            }
        }
    }
    for (const auto& [id, h] : hand)
        if (h.by_hand) arrive(id, h.by_hand->at_ms);
    auto marks_of = [&](ParticipantId id) {
        auto it = hand.find(id);
        return it == hand.end() ? HandMarks{} : it->second;
    };

    for (const auto& e : facts.enrolments) {
        if (!expected_here(e)) continue;
        ++view.counts.expected;
        if (!arrived.count(e.participant_id)) view.missing.push_back(person(e.participant_id));
    }
    for (const auto& [id, first_ms] : arrived) {
        auto enrolment = enrolled.find(id);
        if (enrolment != enrolled.end() && expected_here(*enrolment->second)) {
            Here h{person(id), first_ms, std::nullopt, marks_of(id)};
            if (facts.session) h.minutes_late = attendance::minutes_late(facts.event, *facts.session, first_ms);
            view.here.push_back(std::move(h));
            continue;
        }
        Visitor v{person(id), first_ms, VisitorReason::not_expected, std::nullopt, std::nullopt, marks_of(id)};
        if (enrolment != enrolled.end() && !withdrawn_by(v.person, facts.now)) {
            // On the event's list, in another room (or in none, seen from a room's register).
            v.reason = VisitorReason::other_room;
            v.expected_room = enrolment->second->room_id;
            if (v.expected_room) v.expected_room_name = room_name_in(facts.event, *v.expected_room);
        }
        view.visitors.push_back(std::move(v));
    }

    auto newest_first = [](const auto& a, const auto& b) {
        return std::tie(b.arrived_ms, a.person.id) < std::tie(a.arrived_ms, b.person.id);
    };
    std::sort(view.here.begin(), view.here.end(), newest_first);
    std::sort(view.visitors.begin(), view.visitors.end(), newest_first);
    std::sort(view.missing.begin(), view.missing.end(), [](const Person& a, const Person& b) {
        return std::tie(a.surname, a.first_name, a.id) < std::tie(b.surname, b.first_name, b.id);
    });

    view.counts.in = static_cast<int>(view.here.size());
    view.counts.late = static_cast<int>(
        std::count_if(view.here.begin(), view.here.end(), [](const Here& h) { return h.minutes_late.has_value(); }));
    view.counts.missing = static_cast<int>(view.missing.size());
    view.counts.visitors = static_cast<int>(view.visitors.size());
    return view;
}

}  // namespace muster::register_view
