#include "muster/store/event_store.hpp"

#include "muster/store/event_admin_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/time/uk_time.hpp"

#include <algorithm>

namespace muster::store {
Session read_session(const db::Statement& s) {
    return {s.int64(0), s.int64(1), s.text(2), s.int64(3), s.int64(4), s.int32(5), s.int32(6)};
}

Room read_room(const db::Statement& s) { return {s.int64(0), s.int64(1), s.text(2)}; }

namespace {

std::vector<Session> load_sessions(db::Database& db, EventId id) {
    auto& s = db.cached("SELECT " + std::string(session_columns) + " FROM sessions WHERE event_id = ?1 ORDER BY starts_ms");
    s.bind(1, id);
    return s.query_all(read_session);
}

std::vector<Room> load_rooms(db::Database& db, EventId id) {
    auto& s = db.cached("SELECT " + std::string(room_columns) + " FROM rooms WHERE event_id = ?1 ORDER BY id");
    s.bind(1, id);
    return s.query_all(read_room);
}

Event read_event_row(const db::Statement& s) {
    Event e;
    e.id = s.int64(0);
    e.programme = s.text(1);
    e.item = s.text(2);
    e.cohort = s.int32(3);
    e.kind = parse_event_kind(s.text(4)).value_or(EventKind::other);
    e.title = s.text(5);
    e.venue = s.text(6);
    e.local_date = s.text(7);
    e.late_after_min = s.int32(8);
    return e;
}


}  // namespace

Event read_event(const db::Statement& row) { return read_event_row(row); }

EventId create_event(db::Database& db, const NewEvent& spec) {
    const auto* tmpl = programme::find_template(spec.programme);
    if (!tmpl) throw EventError("unknown programme '" + spec.programme + "' (try ect-y1, ect-y2, mentor, npq)");
    const auto* item = tmpl->find_item(spec.item);
    if (!item) {
        std::string known;
        for (const auto& i : tmpl->items) known += (known.empty() ? "" : ", ") + std::string(i.code);
        throw EventError("programme " + spec.programme + " has no event '" + spec.item + "' (it has: " + known + ")");
    }
    auto date = uk_time::parse_date(spec.local_date);
    if (!date) throw EventError("'" + spec.local_date + "' is not a date (use YYYY-MM-DD)");
    if (spec.venue.empty()) throw EventError("an event needs a venue");
    if (spec.cohort < 2018 || spec.cohort > 2100) throw EventError("cohort must be a year such as 2025");
    if (spec.rooms < 0 || spec.rooms > 50) throw EventError("rooms must be between 0 and 50");
    // Each session's local times: the template's, or the caller's for the sessions it names.
    std::vector<std::pair<TimeMs, TimeMs>> times;
    for (const auto& st : item->sessions)
        times.push_back(local_session_times(spec.local_date, st.start, st.end));
    for (const auto& given : spec.session_times) {
        auto it = std::find_if(item->sessions.begin(), item->sessions.end(),
                               [&](const auto& st) { return st.name == given.name; });
        if (it == item->sessions.end()) {
            std::string known;
            for (const auto& st : item->sessions) known += (known.empty() ? "" : ", ") + std::string(st.name);
            throw EventError("'" + given.name + "' is not a session of " + spec.programme + " " + spec.item + " (its sessions: " +
                             known + ")");
        }
        times[static_cast<std::size_t>(it - item->sessions.begin())] =
            local_session_times(spec.local_date, given.start, given.end);
    }

    db::Transaction tx(db);
    if (auto same = find_same_event(db, spec.programme, spec.item, spec.cohort, spec.local_date))
        throw DuplicateEvent(*same, "event " + std::to_string(*same) + " is already " + spec.programme + " " + spec.item +
                                        " (" + std::string(item->title) + ") for cohort " + std::to_string(spec.cohort) +
                                        " on " + spec.local_date);
    std::int64_t change = next_change(db);
    auto& ins = db.cached("INSERT INTO events (programme, item, cohort, kind, title, venue, local_date, late_after_min, changed_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id");
    ins.bind_all(spec.programme, spec.item, spec.cohort, std::string(to_string(item->kind)), std::string(item->title),
                 spec.venue, spec.local_date, spec.late_after_min, change);
    EventId id = ins.query_one([](const db::Statement& r) { return r.int64(0); }).value();

    auto& ses = db.cached("INSERT INTO sessions (event_id, name, starts_ms, ends_ms, changed_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    for (std::size_t i = 0; i < item->sessions.size(); ++i) {
        ses.bind_all(id, std::string(item->sessions[i].name), times[i].first, times[i].second, change);
        ses.run();
    }
    auto& room = db.cached("INSERT INTO rooms (event_id, name, changed_at) VALUES (?1, ?2, ?3)");
    for (int r = 1; r <= spec.rooms; ++r) {
        room.bind_all(id, "Room " + std::to_string(r), change);
        room.run();
    }
    enrol_expected(db, id, change);
    tx.commit();
    return id;
}

std::size_t enrol_expected(db::Database& db, EventId event_id, std::int64_t change) {
    auto event = load_event(db, event_id);
    if (!event) throw EventError("no event " + std::to_string(event_id));
    if (event_cancellation(db, event_id)) return 0;  // nobody is expected at a cancelled event
    const auto* tmpl = programme::find_template(event->programme);
    if (!tmpl) return 0;

    std::vector<Participant> expected, facilitators;
    auto& gone = db.cached("SELECT 1 FROM participants WHERE id = ?1 AND withdrawn_ms IS NOT NULL");
    for (auto& p : all_participants(db)) {
        if (gone.bind(1, p.id).query_one([](const db::Statement&) { return true; })) continue;  // withdrawn
        if (programme::is_audience(*tmpl, p, event->cohort)) expected.push_back(std::move(p));
        else if (p.role == Role::facilitator) facilitators.push_back(std::move(p));
    }
    // Colleagues from one school are spread across rooms, so each room mixes schools.
    std::stable_sort(expected.begin(), expected.end(), [](const Participant& a, const Participant& b) {
        return std::tie(a.school_urn, a.last_name, a.first_name) < std::tie(b.school_urn, b.last_name, b.first_name);
    });
    const auto& rooms = event->rooms;
    std::size_t n = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        std::optional<RoomId> room;
        if (!rooms.empty()) room = rooms[i % rooms.size()].id;
        enrol(db, event_id, expected[i].id, room, change);
        ++n;
    }
    // A lead in every room before any room gets a co-facilitator; someone already
    // facilitating a room of this event (set by staff, or an earlier run) stays where they are.
    std::vector<std::vector<RoomFacilitator>> lists;
    for (const auto& r : rooms) lists.push_back(room_facilitator_list(db, r.id));
    std::vector<ParticipantId> available;
    for (const auto& f : facilitators) {
        bool placed = std::any_of(lists.begin(), lists.end(), [&](const auto& list) {
            return std::any_of(list.begin(), list.end(), [&](const RoomFacilitator& rf) { return rf.participant_id == f.id; });
        });
        if (!placed) available.push_back(f.id);
    }
    auto shared = share_facilitators(lists, available);
    for (std::size_t r = 0; r < rooms.size(); ++r) {
        if (shared[r].size() == lists[r].size()) continue;
        set_room_facilitators(db, rooms[r].id, shared[r], change);
        for (std::size_t k = lists[r].size(); k < shared[r].size(); ++k) {
            enrol(db, event_id, shared[r][k].participant_id, rooms[r].id, change);
            ++n;
        }
    }
    return n;
}

void enrol(db::Database& db, EventId event, ParticipantId participant, std::optional<RoomId> room, std::int64_t change) {
    auto& s = db.cached("INSERT INTO enrolments (event_id, participant_id, room_id, changed_at) VALUES (?1, ?2, ?3, ?4) "
                        "ON CONFLICT (event_id, participant_id) DO UPDATE SET room_id = excluded.room_id, changed_at = excluded.changed_at "
                        "WHERE enrolments.room_id IS DISTINCT FROM excluded.room_id");
    s.bind(1, event).bind(2, participant).bind(3, room).bind(4, change);
    s.run();
    auto& back = db.cached("DELETE FROM enrolment_removals WHERE event_id = ?1 AND participant_id = ?2");
    back.bind(1, event).bind(2, participant);
    back.run();
}

bool unenrol(db::Database& db, EventId event, ParticipantId participant, std::int64_t change) {
    auto& s = db.cached("DELETE FROM enrolments WHERE event_id = ?1 AND participant_id = ?2");
    s.bind(1, event).bind(2, participant);
    s.run();
    if (db.changes() == 0) return false;
    auto& removal = db.cached(
        "INSERT INTO enrolment_removals (event_id, participant_id, changed_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (event_id, participant_id) DO UPDATE SET changed_at = excluded.changed_at");
    removal.bind(1, event).bind(2, participant).bind(3, change);
    removal.run();
    return true;
}

std::optional<Event> load_event(db::Database& db, EventId id) {
    auto& s = db.cached("SELECT " + std::string(event_columns) + " FROM events WHERE id = ?1");
    s.bind(1, id);
    auto out = s.query_one(read_event_row);
    if (out) {
        out->sessions = load_sessions(db, id);
        out->rooms = load_rooms(db, id);
    }
    return out;
}

std::vector<Event> list_events(db::Database& db) {
    auto ids = db.cached("SELECT id FROM events ORDER BY local_date, id").query_all([](const db::Statement& r) {
        return r.int64(0);
    });
    std::vector<Event> out;
    for (auto id : ids) out.push_back(*load_event(db, id));
    return out;
}

std::optional<Session> load_session(db::Database& db, SessionId id) {
    auto& s = db.cached("SELECT " + std::string(session_columns) + " FROM sessions WHERE id = ?1");
    s.bind(1, id);
    return s.query_one(read_session);
}

void reschedule_session(db::Database& db, SessionId session, TimeMs starts_ms, TimeMs ends_ms, std::int64_t change) {
    auto& s = db.cached("UPDATE sessions SET starts_ms = ?2, ends_ms = ?3, changed_at = ?4 WHERE id = ?1");
    s.bind_all(session, starts_ms, ends_ms, change);
    s.run();
}

std::optional<Session> current_session(const Event& event, TimeMs now) {
    if (event.sessions.empty()) return std::nullopt;
    for (const auto& s : event.sessions)
        if (now >= s.window_opens_ms() && now <= s.window_closes_ms() && now < s.ends_ms) return s;
    for (const auto& s : event.sessions)
        if (now < s.window_opens_ms() || now < s.ends_ms) return s;
    return event.sessions.back();
}

std::optional<Enrolment> find_enrolment(db::Database& db, EventId event, ParticipantId participant) {
    auto& s = db.cached("SELECT room_id FROM enrolments WHERE event_id = ?1 AND participant_id = ?2");
    s.bind(1, event).bind(2, participant);
    return s.query_one([&](const db::Statement& r) { return Enrolment{event, participant, r.opt_int64(0)}; });
}

std::vector<Enrolment> enrolments(db::Database& db, EventId event) {
    auto& s = db.cached("SELECT participant_id, room_id FROM enrolments WHERE event_id = ?1");
    s.bind(1, event);
    return s.query_all([&](const db::Statement& r) { return Enrolment{event, r.int64(0), r.opt_int64(1)}; });
}

std::optional<std::string> room_name(db::Database& db, RoomId room) {
    auto& s = db.cached("SELECT name FROM rooms WHERE id = ?1");
    s.bind(1, room);
    return s.query_one([](const db::Statement& r) { return r.text(0); });
}

void set_room_facilitators(db::Database& db, RoomId room, const std::vector<RoomFacilitator>& facilitators,
                           std::int64_t change) {
    auto& clear = db.cached("DELETE FROM room_facilitators WHERE room_id = ?1");
    clear.bind(1, room);
    clear.run();
    auto& add = db.cached("INSERT INTO room_facilitators (room_id, participant_id, lead) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT (room_id, participant_id) DO UPDATE SET lead = excluded.lead");
    for (const auto& f : facilitators) {
        add.bind_all(room, f.participant_id, f.lead ? 1 : 0);
        add.run();
    }
    // Devices are sent a room again, with its whole list, when its changed_at moves on.
    auto& touch = db.cached("UPDATE rooms SET changed_at = ?2 WHERE id = ?1");
    touch.bind(1, room).bind(2, change);
    touch.run();
}

std::vector<RoomFacilitator> room_facilitator_list(db::Database& db, RoomId room) {
    auto& s = db.cached("SELECT participant_id, lead FROM room_facilitators WHERE room_id = ?1 ORDER BY lead DESC, participant_id");
    s.bind(1, room);
    return s.query_all([](const db::Statement& r) { return RoomFacilitator{r.int64(0), r.int32(1) != 0}; });
}

std::vector<std::vector<RoomFacilitator>> share_facilitators(std::vector<std::vector<RoomFacilitator>> rooms,
                                                             const std::vector<ParticipantId>& available) {
    std::size_t next = 0;
    for (auto& list : rooms)
        if (list.empty() && next < available.size()) list.push_back({available[next++], true});
    for (auto& list : rooms)
        if (list.size() == 1 && next < available.size()) list.push_back({available[next++], false});
    return rooms;
}

std::vector<ParticipantId> room_facilitators(db::Database& db, RoomId room) {
    auto& s = db.cached("SELECT participant_id FROM room_facilitators WHERE room_id = ?1 ORDER BY lead DESC");
    s.bind(1, room);
    return s.query_all([](const db::Statement& r) { return r.int64(0); });
}

}  // namespace muster::store
