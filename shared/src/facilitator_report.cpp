// Facilitators' delivered sessions read from the hub database
// (muster/attendance/facilitator_report.hpp, docs/facilitators.md): the events in the range,
// who facilitated each, their counted scans and hub-made marks, read in a handful of set
// queries in one read transaction; then judged per person and event with summarise's choice
// of the deciding mark.
#include "muster/attendance/facilitator_report.hpp"

#include "muster/attendance/attendance_rules.hpp"
#include "muster/attendance/programme_progress.hpp"  // is_held
#include "muster/attendance/school_report.hpp"      // store::is_urn
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/time/uk_time.hpp"
#include "sql_json.hpp"
#include "store_sql.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace muster::attendance {
namespace {

// The events the report covers, for queries joining `events e`: not cancelled, in the date
// range (?1, ?2: YYYY-MM-DD or NULL; text order is date order).
const std::string in_range =
    " e.cancelled_ms IS NULL AND (CAST(?1 AS TEXT) IS NULL OR e.local_date >= ?1) AND "
    "(CAST(?2 AS TEXT) IS NULL OR e.local_date <= ?2) ";

// "Participant `alias`.participant_id facilitated event `alias`.event_id": listed for one of
// its rooms, or a facilitator by role who is enrolled there. Keeps the scans and marks read
// to the facilitators' own, not the whole hub's.
std::string facilitates(const std::string& alias) {
    return " (EXISTS (SELECT 1 FROM room_facilitators f JOIN rooms r ON r.id = f.room_id WHERE r.event_id = " + alias +
           ".event_id AND f.participant_id = " + alias + ".participant_id) OR EXISTS (SELECT 1 FROM enrolments en "
           "JOIN participants p ON p.id = en.participant_id WHERE en.event_id = " + alias + ".event_id AND "
           "en.participant_id = " + alias + ".participant_id AND p.role = 'facilitator')) ";
}

struct Listing {
    RoomId room = 0;
    bool lead = false;
};

// One facilitator at one event: how they are there, and the facts that say what they did.
struct Facts {
    std::vector<Listing> rooms;         // listed as the room's facilitator
    std::optional<RoomId> enrolled_room;  // the room of their enrolment (by role)
    bool expected = false;              // enrolled and not withdrawn before the event
    std::vector<CheckIn> entries;       // counted, not voided entry scans
    std::vector<Correction> hub_marks;  // un-voided marks made at the hub
};

struct EventInfo {
    Event event;
    bool signed_off = false;
};

TimeMs event_start(const Event& e) {
    if (!e.sessions.empty()) return e.sessions.front().starts_ms;
    auto date = uk_time::parse_date(e.local_date);
    return date ? uk_time::from_local(*date) : 0;
}

db::Statement& with_range(db::Statement& s, const FacilitatorReportQuery& q) {
    return s.bind(1, q.from).bind(2, q.to);
}

const std::string* room_name(const Event& e, RoomId id) {
    for (const auto& r : e.rooms)
        if (r.id == id) return &r.name;
    return nullptr;
}

// The room a session was delivered in: where they scanned into it when that is a room of
// theirs (a facilitator listed for two rooms), else the room they are listed for (a lead's
// first), else the room of their enrolment.
std::pair<std::string, bool> room_of(const Event& e, const Facts& f, SessionId session) {
    for (const auto& c : f.entries)
        if (c.session_id == session && c.room_id)
            for (const auto& l : f.rooms)
                if (l.room == *c.room_id)
                    if (auto* name = room_name(e, l.room)) return {*name, l.lead};
    for (const auto& l : f.rooms)
        if (auto* name = room_name(e, l.room)) return {*name, l.lead};
    if (f.enrolled_room)
        if (auto* name = room_name(e, *f.enrolled_room)) return {*name, false};
    return {"", false};
}

// The sessions of `e` that `f` delivered, with their evidence.
std::vector<std::pair<const Session*, const char*>> delivered(const Event& e, ParticipantId who, const Facts& f) {
    std::set<SessionId> scanned;
    for (const auto& c : f.entries)
        if (c.session_id) scanned.insert(*c.session_id);
    // summarise picks the deciding mark (the newest, the later on a tie) exactly as the rest
    // of the hub does; given only hub-made marks, a mark that decides is a hub mark.
    auto s = summarise(e, who, f.expected, f.entries, f.hub_marks);
    std::vector<std::pair<const Session*, const char*>> out;
    auto evidence = [&](const Session& session) { return scanned.count(session.id) ? "scan" : "staff mark"; };
    if (!s.marked_by_staff) {
        for (const auto& session : e.sessions)
            if (scanned.count(session.id)) out.emplace_back(&session, "scan");
        return out;
    }
    switch (s.status) {
        case AttendanceStatus::present:
        case AttendanceStatus::late:
            for (const auto& session : e.sessions) out.emplace_back(&session, evidence(session));
            break;
        case AttendanceStatus::left_early:
            for (const auto& session : e.sessions)
                if (scanned.count(session.id)) out.emplace_back(&session, "scan");
            if (out.empty() && !e.sessions.empty()) out.emplace_back(&e.sessions.front(), "staff mark");
            break;
        case AttendanceStatus::absent:
        case AttendanceStatus::excused:
        case AttendanceStatus::caught_up:
        case AttendanceStatus::alternate: break;
    }
    return out;
}

}  // namespace

std::optional<std::string> query_problem(const FacilitatorReportQuery& q) {
    auto date_ok = [](const std::optional<std::string>& d) {
        return !d || (d->size() == 10 && uk_time::parse_date(*d).has_value());
    };
    if (!date_ok(q.from)) return "from: not a date, YYYY-MM-DD";
    if (!date_ok(q.to)) return "to: not a date, YYYY-MM-DD";
    if (q.from && q.to && *q.from > *q.to) return "to: before from";
    if (q.school_urn && !store::is_urn(*q.school_urn)) return "school: a school's URN is 6 digits";
    if (q.facilitator && *q.facilitator <= 0) return "facilitator: a participant id";
    return std::nullopt;
}

std::vector<FacilitatorSessions> facilitator_report(db::Database& db, const FacilitatorReportQuery& q, TimeMs now) {
    std::vector<EventInfo> events;
    std::unordered_map<EventId, std::size_t> index;
    std::map<std::pair<EventId, ParticipantId>, Facts> facts;
    std::unordered_map<ParticipantId, Participant> people;
    {
        // Deferred: a read, never the write lock the sync uploads need; one snapshot for all.
        db::Transaction tx(db, db::Transaction::Kind::deferred);
        auto& ev = db.cached("SELECT " + std::string(store::event_columns) + " FROM events e WHERE" + in_range +
                             "ORDER BY e.local_date, e.id");
        with_range(ev, q).for_each_row([&](const db::Statement& r) {
            index.emplace(r.int64(0), events.size());
            events.push_back({store::read_event(r), false});
        });
        auto event_of = [&](EventId id) -> EventInfo* {
            auto it = index.find(id);
            return it == index.end() ? nullptr : &events[it->second];
        };
        auto& sessions = db.cached("SELECT s.id, s.event_id, s.name, s.starts_ms, s.ends_ms, s.opens_before_min, "
                                   "s.closes_after_min FROM sessions s JOIN events e ON e.id = s.event_id WHERE" +
                                   in_range + "ORDER BY s.event_id, s.starts_ms, s.id");
        with_range(sessions, q).for_each_row([&](const db::Statement& r) {
            if (auto* e = event_of(r.int64(1))) e->event.sessions.push_back(store::read_session(r));
        });
        auto& rooms = db.cached("SELECT r.id, r.event_id, r.name FROM rooms r JOIN events e ON e.id = r.event_id WHERE" +
                                in_range + "ORDER BY r.event_id, r.name, r.id");
        with_range(rooms, q).for_each_row([&](const db::Statement& r) {
            if (auto* e = event_of(r.int64(1))) e->event.rooms.push_back(store::read_room(r));
        });
        auto& signed_off = db.cached("SELECT so.event_id FROM event_sign_offs so JOIN events e ON e.id = so.event_id WHERE" +
                                     in_range);
        with_range(signed_off, q).for_each_row([&](const db::Statement& r) {
            if (auto* e = event_of(r.int64(0))) e->signed_off = true;
        });

        auto& listed = db.cached("SELECT r.event_id, f.participant_id, f.room_id, f.lead FROM room_facilitators f "
                                 "JOIN rooms r ON r.id = f.room_id JOIN events e ON e.id = r.event_id WHERE" + in_range +
                                 "ORDER BY f.lead DESC, f.room_id");
        with_range(listed, q).for_each_row([&](const db::Statement& r) {
            facts[{r.int64(0), r.int64(1)}].rooms.push_back({r.int64(2), r.int64(3) != 0});
        });
        // Facilitators by role who are enrolled; anyone listed for a room who is also enrolled
        // gets their expectation from here too.
        auto& enrolled = db.cached("SELECT en.event_id, en.participant_id, en.room_id, p.withdrawn_ms, p.role = 'facilitator' "
                                   "FROM enrolments en JOIN participants p ON p.id = en.participant_id "
                                   "JOIN events e ON e.id = en.event_id WHERE" + in_range + "AND" + facilitates("en"));
        with_range(enrolled, q).for_each_row([&](const db::Statement& r) {
            const auto* e = event_of(r.int64(0));
            if (!e) return;
            auto key = std::make_pair(r.int64(0), r.int64(1));
            auto withdrawn = r.opt_int64(3);
            // Someone withdrawn before the event began was not expected there (as on its page).
            bool expected = !withdrawn || *withdrawn > event_start(e->event);
            if (!expected && !facts.count(key)) return;
            auto& f = facts[key];
            f.expected = expected;
            f.enrolled_room = r.opt_int64(2);
        });

        auto& scans = db.cached("SELECT c.event_id, c.participant_id, c.session_id, c.room_id, c.outcome, c.device_ms, c.uuid "
                                "FROM check_ins c JOIN events e ON e.id = c.event_id WHERE" + in_range +
                                "AND c.participant_id IS NOT NULL AND c.direction = 'entry' AND " +
                                store::counted_not_voided_sql() + " AND" + facilitates("c") +
                                "ORDER BY c.device_ms, c.device_id, c.device_seq");
        with_range(scans, q).for_each_row([&](const db::Statement& r) {
            auto it = facts.find({r.int64(0), r.int64(1)});
            if (it == facts.end()) return;  // a facilitator withdrawn before the event, by role only
            CheckIn& c = it->second.entries.emplace_back();
            c.event_id = r.int64(0);
            c.participant_id = r.int64(1);
            c.session_id = r.opt_int64(2);
            c.room_id = r.opt_int64(3);
            c.direction = Direction::entry;
            c.outcome = parse_outcome(r.text(4)).value_or(Outcome::invalid_badge);
            c.device_ms = r.int64(5);
            c.uuid = r.text(6);
        });
        // Hub-made marks (recon::source_of: no device, no register tablet link), not voided,
        // in summarise's tie order.
        auto& marks = db.cached("SELECT m.event_id, m.participant_id, m.status, m.created_ms, m.uuid, m.reason, m.author "
                                "FROM corrections m JOIN events e ON e.id = m.event_id WHERE" + in_range +
                                "AND m.kind = 'mark' AND m.status IS NOT NULL AND m.participant_id IS NOT NULL AND "
                                "m.device_id IS NULL AND m.register_link_id IS NULL AND NOT EXISTS (SELECT 1 FROM "
                                "corrections v WHERE v.kind = 'void' AND v.target_uuid = m.uuid) AND" + facilitates("m") +
                                "ORDER BY m.created_ms, m.uuid");
        with_range(marks, q).for_each_row([&](const db::Statement& r) {
            auto it = facts.find({r.int64(0), r.int64(1)});
            auto status = parse_attendance_status(r.text(2));
            if (it == facts.end() || !status) return;
            Correction& c = it->second.hub_marks.emplace_back();
            c.kind = CorrectionKind::mark;
            c.event_id = r.int64(0);
            c.participant_id = r.int64(1);
            c.status = status;
            c.created_ms = r.int64(3);
            c.uuid = r.text(4);
            c.reason = r.text(5);
            c.author = r.text(6);
        });

        std::string ids;
        std::set<ParticipantId> seen;
        for (const auto& [key, f] : facts)
            if (seen.insert(key.second).second) ids += (ids.empty() ? "" : ",") + std::to_string(key.second);
        auto& who = db.cached("SELECT " + std::string(store::participant_columns) +
                              " FROM participants WHERE id IN " + store::sql_json::ids_in(db, 1) +
                              " AND (CAST(?2 AS TEXT) IS NULL OR school_urn = ?2) AND "
                              "(CAST(?3 AS BIGINT) IS NULL OR id = ?3)");
        who.bind(1, "[" + ids + "]").bind(2, q.school_urn).bind(3, q.facilitator).for_each_row([&](const db::Statement& r) {
            auto p = store::read_participant(r);
            people.emplace(p.id, std::move(p));
        });
        tx.commit();
    }

    std::unordered_map<ParticipantId, FacilitatorSessions> by_person;
    for (const auto& [key, f] : facts) {
        auto person = people.find(key.second);
        if (person == people.end()) continue;  // another school's, or not the one asked for
        const EventInfo& info = events[index.at(key.first)];
        const Event& e = info.event;
        if (!is_held(e, now)) continue;  // not over yet: nothing is delivered until it is
        for (const auto& [session, evidence] : delivered(e, key.second, f)) {
            auto& out = by_person[key.second];
            DeliveredSession d;
            d.event_id = e.id;
            d.local_date = e.local_date;
            d.event_title = e.title;
            d.programme = e.programme;
            d.item = e.item;
            std::tie(d.room_name, d.lead) = room_of(e, f, session->id);
            d.session_id = session->id;
            d.part = session->name;
            d.starts_ms = session->starts_ms;
            d.ends_ms = session->ends_ms;
            d.evidence = evidence;
            d.signed_off = info.signed_off;
            out.sessions.push_back(std::move(d));
        }
    }

    // A school's name as most of its facilitators give it (rosters spell schools differently;
    // the URN is the DfE's), the first in name order on a tie, so one school is one group.
    std::map<std::string, std::map<std::string, int>> spellings;
    for (const auto& [id, _] : by_person) {
        const auto& p = people.at(id);
        if (p.school_urn && p.school_name && !p.school_name->empty()) ++spellings[*p.school_urn][*p.school_name];
    }
    std::map<std::string, std::string> school_names;
    for (const auto& [urn, names] : spellings) {
        const std::pair<const std::string, int>* best = nullptr;
        for (const auto& n : names)
            if (!best || n.second > best->second) best = &n;
        school_names[urn] = best->first;
    }

    std::vector<FacilitatorSessions> out;
    out.reserve(by_person.size());
    for (auto& [id, f] : by_person) {
        const auto& p = people.at(id);
        f.participant_id = id;
        f.full_name = p.full_name();
        f.school_urn = p.school_urn.value_or("");
        f.school_name = p.school_urn ? school_names[*p.school_urn] : p.school_name.value_or("");
        std::stable_sort(f.sessions.begin(), f.sessions.end(), [](const auto& a, const auto& b) {
            return std::tie(a.local_date, a.starts_ms, a.event_id, a.session_id) <
                   std::tie(b.local_date, b.starts_ms, b.event_id, b.session_id);
        });
        out.push_back(std::move(f));
    }
    std::sort(out.begin(), out.end(), [&](const FacilitatorSessions& a, const FacilitatorSessions& b) {
        const auto& pa = people.at(a.participant_id);
        const auto& pb = people.at(b.participant_id);
        return std::make_tuple(a.school_urn.empty(), a.school_name, a.school_urn, pa.last_name, pa.first_name, a.participant_id) <
               std::make_tuple(b.school_urn.empty(), b.school_name, b.school_urn, pb.last_name, pb.first_name, b.participant_id);
    });
    return out;
}

}  // namespace muster::attendance
