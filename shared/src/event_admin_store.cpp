#include "muster/store/event_admin_store.hpp"

#include "muster/util/text.hpp"

#include "muster/time/uk_time.hpp"

#include <algorithm>

namespace muster::store {
namespace {

std::int64_t count(db::Database& db, std::string_view sql, std::int64_t id) {
    auto& s = db.cached(sql);
    s.bind(1, id);
    return s.query_one([](const db::Statement& r) { return r.int64(0); }).value_or(0);
}

std::string trimmed(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return std::string(s);
}

}  // namespace

std::optional<Cancellation> event_cancellation(db::Database& db, EventId event) {
    auto& s = db.cached("SELECT cancelled_ms, COALESCE(cancel_reason, '') FROM events WHERE id = ?1 AND cancelled_ms IS NOT NULL");
    s.bind(1, event);
    return s.query_one([](const db::Statement& r) { return Cancellation{r.int64(0), r.text(1)}; });
}

std::optional<EventId> find_same_event(db::Database& db, std::string_view programme, std::string_view item, int cohort,
                                       std::string_view local_date) {
    auto& s = db.cached("SELECT id FROM events WHERE programme = ?1 AND item = ?2 AND cohort = ?3 AND local_date = ?4 "
                        "AND cancelled_ms IS NULL ORDER BY id LIMIT 1");
    s.bind_all(programme, item, cohort, local_date);
    return s.query_one([](const db::Statement& r) { return r.int64(0); });
}

std::size_t cancel_event(db::Database& db, EventId event, const std::string& reason, TimeMs now, std::int64_t change) {
    auto& mark = db.cached("UPDATE events SET cancelled_ms = ?2, cancel_reason = ?3, changed_at = ?4 WHERE id = ?1");
    mark.bind_all(event, now, reason, change);
    mark.run();
    std::size_t taken = 0;
    for (const auto& e : enrolments(db, event))
        if (unenrol(db, event, e.participant_id, change)) ++taken;
    return taken;
}

std::vector<SessionTime> parse_session_times(std::string_view text) {
    std::vector<SessionTime> out;
    for (const std::string& piece : text::split(text, ',')) {
        std::string_view part = piece;
        auto eq = part.find('=');
        auto dash = part.find('-', eq == std::string_view::npos ? 0 : eq);
        if (eq == std::string_view::npos || dash == std::string_view::npos)
            throw EventError("'" + trimmed(part) + "' is not NAME=HH:MM-HH:MM (e.g. Morning=09:30-12:30)");
        SessionTime t{trimmed(part.substr(0, eq)), trimmed(part.substr(eq + 1, dash - eq - 1)), trimmed(part.substr(dash + 1))};
        if (t.name.empty()) throw EventError("a session time needs the session's name (e.g. Morning=09:30-12:30)");
        if (std::any_of(out.begin(), out.end(), [&](const SessionTime& o) { return o.name == t.name; }))
            throw EventError("session '" + t.name + "' is given twice");
        out.push_back(std::move(t));
    }
    return out;
}

std::pair<TimeMs, TimeMs> local_session_times(std::string_view yyyy_mm_dd, std::string_view start, std::string_view end) {
    auto date = uk_time::parse_date(yyyy_mm_dd);
    if (!date) throw EventError("'" + std::string(yyyy_mm_dd) + "' is not a date (use YYYY-MM-DD)");
    auto s = uk_time::parse_time_on(*date, start);
    if (!s) throw EventError("'" + std::string(start) + "' is not a time (use HH:MM, UK time)");
    auto e = uk_time::parse_time_on(*date, end);
    if (!e) throw EventError("'" + std::string(end) + "' is not a time (use HH:MM, UK time)");
    TimeMs from = uk_time::from_local(*s), to = uk_time::from_local(*e);
    if (to <= from)
        throw EventError("a session must end after it starts (" + std::string(start) + " to " + std::string(end) + ")");
    return {from, to};
}

void move_event_date(db::Database& db, EventId event, const std::string& new_date, std::int64_t change) {
    auto loaded = load_event(db, event);
    if (!loaded) throw EventError("no event " + std::to_string(event));
    auto to = uk_time::parse_date(new_date);
    if (!to) throw EventError("'" + new_date + "' is not a date (use YYYY-MM-DD)");
    auto from = uk_time::parse_date(loaded->local_date);
    if (!from) throw EventError("event " + std::to_string(event) + " has no readable date");
    const std::int64_t shift = uk_time::days_from_civil(to->year, to->month, to->day) -
                               uk_time::days_from_civil(from->year, from->month, from->day);
    // Same wall-clock time, `shift` days on: done in local time, so the UTC instant moves by
    // an hour more or less when the two dates are on either side of a clock change.
    auto moved = [&](TimeMs utc) {
        auto local = uk_time::to_local(utc);
        auto day = uk_time::civil_from_days(uk_time::days_from_civil(local.year, local.month, local.day) + shift);
        local.year = day.year;
        local.month = day.month;
        local.day = day.day;
        return uk_time::from_local(local);
    };
    for (const auto& s : loaded->sessions) reschedule_session(db, s.id, moved(s.starts_ms), moved(s.ends_ms), change);
    auto& e = db.cached("UPDATE events SET local_date = ?2, changed_at = ?3 WHERE id = ?1");
    e.bind_all(event, new_date, change);
    e.run();
}

void set_event_venue(db::Database& db, EventId event, const std::string& venue, std::int64_t change) {
    auto& e = db.cached("UPDATE events SET venue = ?2, changed_at = ?3 WHERE id = ?1");
    e.bind_all(event, venue, change);
    e.run();
}

void set_event_late_after(db::Database& db, EventId event, int minutes, std::int64_t change) {
    auto& e = db.cached("UPDATE events SET late_after_min = ?2, changed_at = ?3 WHERE id = ?1");
    e.bind_all(event, minutes, change);
    e.run();
}

std::int64_t count_event_check_ins(db::Database& db, EventId event) {
    return count(db, "SELECT COUNT(*) FROM check_ins WHERE event_id = ?1", event);
}

std::int64_t count_room_enrolments(db::Database& db, RoomId room) {
    return count(db, "SELECT COUNT(*) FROM enrolments WHERE room_id = ?1", room);
}

std::string RoomHolders::describe() const {
    std::string out;
    auto add = [&](std::int64_t n, const std::string& one, const std::string& many) {
        if (n == 0) return;
        out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + (n == 1 ? one : many);
    };
    add(enrolments, "enrolled", "enrolled");
    add(facilitators, "facilitator", "facilitators");
    add(check_ins, "check-in", "check-ins");
    for (const auto& d : devices) out += (out.empty() ? "" : ", ") + std::string("device ") + d;
    return out;
}

RoomHolders room_holders(db::Database& db, RoomId room) {
    RoomHolders h;
    h.enrolments = count_room_enrolments(db, room);
    h.facilitators = count(db, "SELECT COUNT(*) FROM room_facilitators WHERE room_id = ?1", room);
    h.check_ins = count(db, "SELECT COUNT(*) FROM check_ins WHERE room_id = ?1", room);
    auto& s = db.cached("SELECT id FROM devices WHERE room_id = ?1 ORDER BY id");
    s.bind(1, room);
    h.devices = s.query_all([](const db::Statement& r) { return r.text(0); });
    return h;
}

std::vector<Room> add_rooms(db::Database& db, EventId event, int count, std::int64_t change) {
    auto loaded = load_event(db, event);
    if (!loaded) throw EventError("no event " + std::to_string(event));
    auto taken = [&](const std::string& name) {
        return std::any_of(loaded->rooms.begin(), loaded->rooms.end(), [&](const Room& r) { return r.name == name; });
    };
    std::vector<Room> added;
    auto& ins = db.cached("INSERT INTO rooms (event_id, name, changed_at) VALUES (?1, ?2, ?3) RETURNING id");
    for (int k = static_cast<int>(loaded->rooms.size()) + 1; static_cast<int>(loaded->rooms.size()) < count; ++k) {
        std::string name = "Room " + std::to_string(k);
        if (taken(name)) continue;
        ins.bind_all(event, name, change);
        auto id = ins.query_one([](const db::Statement& r) { return r.int64(0); }).value_or(0);
        loaded->rooms.push_back({id, event, name});
        added.push_back(loaded->rooms.back());
    }
    return added;
}

void remove_room(db::Database& db, RoomId room) {
    auto& s = db.cached("DELETE FROM rooms WHERE id = ?1");
    s.bind(1, room);
    s.run();
}

std::vector<std::string> devices_serving(db::Database& db, EventId event) {
    auto& s = db.cached("SELECT id FROM devices WHERE event_id = ?1 AND revoked_ms IS NULL AND removed_ms IS NULL ORDER BY id");
    s.bind(1, event);
    return s.query_all([](const db::Statement& r) { return r.text(0); });
}

std::optional<TimeMs> participant_withdrawn(db::Database& db, ParticipantId participant) {
    auto& s = db.cached("SELECT withdrawn_ms FROM participants WHERE id = ?1 AND withdrawn_ms IS NOT NULL");
    s.bind(1, participant);
    return s.query_one([](const db::Statement& r) { return r.int64(0); });
}

std::optional<EventId> room_event(db::Database& db, RoomId room) {
    auto& s = db.cached("SELECT event_id FROM rooms WHERE id = ?1");
    s.bind(1, room);
    return s.query_one([](const db::Statement& r) { return r.int64(0); });
}

std::optional<RoomId> facilitated_room(db::Database& db, EventId event, ParticipantId participant) {
    auto& s = db.cached("SELECT f.room_id FROM room_facilitators f JOIN rooms r ON r.id = f.room_id "
                        "WHERE r.event_id = ?1 AND f.participant_id = ?2 ORDER BY f.room_id LIMIT 1");
    s.bind(1, event).bind(2, participant);
    return s.query_one([](const db::Statement& r) { return r.int64(0); });
}

TakenOff take_off_event(db::Database& db, EventId event, ParticipantId participant, std::int64_t change) {
    TakenOff out;
    out.was_enrolled = unenrol(db, event, participant, change);
    out.facilitated_room = facilitated_room(db, event, participant);
    if (out.facilitated_room) {
        auto list = room_facilitator_list(db, *out.facilitated_room);
        std::erase_if(list, [&](const RoomFacilitator& f) { return f.participant_id == participant; });
        set_room_facilitators(db, *out.facilitated_room, list, change);
    }
    return out;
}

}  // namespace muster::store
