#include "muster/store/register_view_store.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/register_mark_store.hpp"

#include <set>

namespace muster::store {

std::optional<EventId> event_of_room(db::Database& db, RoomId room) {
    auto& s = db.cached("SELECT event_id FROM rooms WHERE id = ?1");
    s.bind(1, room);
    return s.query_one([](const db::Statement& r) { return r.int64(0); });
}

namespace {

// Only the columns a facilitator may see (and withdrawn_ms, which decides the list): never
// email or TRN, so they cannot leak into the view by mistake.
register_view::Person read_person(db::Database& db, ParticipantId id) {
    auto& s = db.cached(
        "SELECT id, first_name, preferred_name, last_name, school_name, role, withdrawn_ms FROM participants WHERE id = ?1");
    s.bind(1, id);
    auto found = s.query_one([](const db::Statement& r) {
        register_view::Person p;
        p.id = r.int64(0);
        auto preferred = r.opt_text(2);
        p.first_name = preferred && !preferred->empty() ? *preferred : r.text(1);
        p.surname = r.text(3);
        p.school = r.opt_text(4);
        p.role = parse_role(r.text(5)).value_or(Role::guest);
        p.withdrawn_ms = r.opt_int64(6);
        return p;
    });
    if (found) return *found;
    register_view::Person unknown;
    unknown.id = id;
    return unknown;
}

}  // namespace

bool room_device_in_service(db::Database& db, EventId event, RoomId room) {
    auto& s = db.cached(
        "SELECT 1 FROM devices WHERE mode = 'room' AND event_id = ?1 AND room_id = ?2 AND revoked_ms IS NULL AND "
        "removed_ms IS NULL LIMIT 1");
    s.bind(1, event).bind(2, room);
    return s.query_one([](const db::Statement&) { return true; }).value_or(false);
}

std::optional<register_view::View> load_register_view(db::Database& db, EventId event, std::optional<RoomId> room,
                                                      TimeMs now, std::optional<std::int64_t> viewer_link) {
    // One read transaction (deferred: it never takes the write lock the sync uploads need),
    // so the enrolments, scans and people are of one moment.
    db::Transaction tx(db, db::Transaction::Kind::deferred);
    auto loaded = load_event(db, event);
    if (!loaded) return std::nullopt;
    if (room && event_of_room(db, *room) != event) return std::nullopt;
    register_view::Facts facts;
    facts.event = std::move(*loaded);
    facts.room = room;
    facts.session = current_session(facts.event, now);
    facts.now = now;
    facts.enrolments = enrolments(db, event);
    facts.viewer_link = viewer_link;
    if (room) facts.counted_at = room_device_in_service(db, event, *room) ? register_view::CountedAt::room_device
                                                                          : register_view::CountedAt::entrance;
    if (facts.session) {
        // A room's register counts the scans at its own kiosk (and, with no room device in
        // service, the entrance's: build_view keeps those of the room's list); the whole
        // event's, a scan anywhere (the entrance or any room). first_entries is the one rule
        // for "counted, not voided".
        std::vector<std::optional<RoomId>> places;
        if (room) places.push_back(room);
        else {
            places.push_back(std::nullopt);
            for (const auto& r : facts.event.rooms) places.push_back(r.id);
        }
        for (const auto& place : places) {
            for (const auto& f : first_entries(db, event, facts.session->id, place))
                facts.arrivals.push_back({f.participant_id, f.first_ms});
            // Someone turned away at a room's door as on another room's list is still here:
            // that room's register (and the whole event's) shows them as a visitor.
            if (place)
                for (const auto& f : first_wrong_room_entries(db, event, facts.session->id, *place))
                    facts.arrivals.push_back({f.participant_id, f.first_ms});
        }
        if (room && facts.counted_at == register_view::CountedAt::entrance)
            for (const auto& f : first_entries(db, event, facts.session->id, std::nullopt))
                facts.entrance_arrivals.push_back({f.participant_id, f.first_ms});
        facts.marks = register_marks(db, event, facts.session->id);
    }
    std::set<ParticipantId> ids;
    for (const auto& e : facts.enrolments) ids.insert(e.participant_id);
    for (const auto& a : facts.arrivals) ids.insert(a.participant_id);
    for (const auto& a : facts.entrance_arrivals) ids.insert(a.participant_id);
    for (const auto& m : facts.marks) ids.insert(m.participant_id);
    for (auto id : ids) facts.people.emplace(id, read_person(db, id));
    tx.commit();
    return register_view::build_view(facts);
}

}  // namespace muster::store
