#include "muster/store/enrolment_follow.hpp"

#include "muster/programme/templates.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"

namespace muster::store {
namespace {

struct OpenEvent {
    EventId id = 0;
    std::string programme, local_date, title;
    int cohort = 0;
};

std::vector<OpenEvent> open_events_from(db::Database& db, std::string_view today) {
    auto& s = db.cached("SELECT id, programme, local_date, title, cohort FROM events "
                        "WHERE local_date >= ?1 AND cancelled_ms IS NULL ORDER BY local_date, id");
    s.bind(1, today);
    return s.query_all([](const db::Statement& r) { return OpenEvent{r.int64(0), r.text(1), r.text(2), r.text(3), r.int32(4)}; });
}

bool withdrawn(db::Database& db, ParticipantId id) {
    auto& s = db.cached("SELECT 1 FROM participants WHERE id = ?1 AND withdrawn_ms IS NOT NULL");
    s.bind(1, id);
    return s.query_one([](const db::Statement&) { return true; }).has_value();
}

// Staff took this person off this event: an import does not overrule them.
bool taken_off(db::Database& db, EventId event, ParticipantId id) {
    auto& s = db.cached("SELECT 1 FROM enrolment_removals WHERE event_id = ?1 AND participant_id = ?2");
    s.bind(1, event).bind(2, id);
    return s.query_one([](const db::Statement&) { return true; }).has_value();
}

// Each room of the event with how many are enrolled in it, by room id; counted once an
// event and kept up to date here, so a 2,000-row import does not count again per person.
std::vector<std::pair<RoomId, std::int64_t>> room_counts(db::Database& db, EventId event) {
    auto& s = db.cached("SELECT r.id, (SELECT count(*) FROM enrolments e WHERE e.event_id = ?1 AND e.room_id = r.id) "
                        "FROM rooms r WHERE r.event_id = ?1 ORDER BY r.id");
    s.bind(1, event);
    return s.query_all([](const db::Statement& r) { return std::pair<RoomId, std::int64_t>{r.int64(0), r.int64(1)}; });
}

// The room with the fewest enrolled, ties to the lowest id (the list is by id); counted in.
std::optional<RoomId> take_emptiest(std::vector<std::pair<RoomId, std::int64_t>>& rooms) {
    if (rooms.empty()) return std::nullopt;
    auto best = rooms.begin();
    for (auto it = rooms.begin(); it != rooms.end(); ++it)
        if (it->second < best->second) best = it;
    ++best->second;
    return best->first;
}

}  // namespace

std::vector<FollowedEvent> enrol_in_future_events(db::Database& db, const std::vector<ParticipantId>& people,
                                                  std::string_view today, std::int64_t change) {
    std::vector<FollowedEvent> out;
    if (people.empty()) return out;
    auto events = open_events_from(db, today);
    if (events.empty()) return out;
    std::vector<Participant> candidates;
    for (auto id : people)
        if (!withdrawn(db, id))
            if (auto p = find_participant(db, id)) candidates.push_back(std::move(*p));
    for (const auto& e : events) {
        const auto* tmpl = programme::find_template(e.programme);
        if (!tmpl) continue;
        FollowedEvent joined{e.id, e.local_date, e.title, {}};
        auto rooms = room_counts(db, e.id);
        for (const auto& p : candidates) {
            if (!programme::is_audience(*tmpl, p, e.cohort)) continue;
            if (find_enrolment(db, e.id, p.id) || taken_off(db, e.id, p.id)) continue;
            enrol(db, e.id, p.id, take_emptiest(rooms), change);
            joined.participants.push_back(p.id);
        }
        if (!joined.participants.empty()) out.push_back(std::move(joined));
    }
    return out;
}

}  // namespace muster::store
