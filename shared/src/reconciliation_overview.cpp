// The staff pages' event list (reconciliation_store.hpp): every event with how many people
// were expected, how many rows are still to settle and how many people came unexpected.
// Read over the whole hub in six queries, then judged per person with the same rules as the
// event's own page (attendance::summarise, recon::unsettled).
#include "reconciliation_facts.hpp"

#include "muster/attendance/programme_progress.hpp"
#include "muster/store/event_store.hpp"
#include "muster/time/uk_time.hpp"
#include "store_sql.hpp"

#include <map>
#include <unordered_map>

namespace muster::store {
namespace {

struct Facts {
    bool expected = false;
    std::vector<CheckIn> scans;  // counted, not voided
    std::vector<Correction> marks;  // not voided
    std::vector<recon::MarkFact> mark_facts;
};

}  // namespace

std::vector<EventOverview> reconciliation_overview(db::Database& db, TimeMs now) {
    db::Transaction tx(db, db::Transaction::Kind::deferred);
    std::vector<EventOverview> out;
    std::vector<Event> events;
    std::unordered_map<EventId, std::size_t> index;
    db.cached("SELECT " + std::string(event_columns) + ", cancelled_ms IS NOT NULL FROM events "
              "ORDER BY local_date DESC, id DESC")
        .for_each_row([&](const db::Statement& r) {
            index.emplace(r.int64(0), events.size());
            events.push_back(read_event(r));
            EventOverview o;
            o.cancelled = r.int64(9) != 0;
            out.push_back(std::move(o));
        });
    db.cached("SELECT " + std::string(session_columns) + " FROM sessions ORDER BY event_id, starts_ms")
        .for_each_row([&](const db::Statement& r) {
            auto s = read_session(r);
            if (auto e = index.find(s.event_id); e != index.end()) events[e->second].sessions.push_back(std::move(s));
        });
    db.cached("SELECT event_id, signed_off_ms, staff_id, author, note FROM event_sign_offs")
        .for_each_row([&](const db::Statement& r) {
            if (auto e = index.find(r.int64(0)); e != index.end())
                out[e->second].signed_off = SignOff{r.int64(1), CorrectionAuthor{r.opt_int64(2), r.text(3)}, r.text(4)};
        });

    std::map<std::pair<EventId, ParticipantId>, Facts> facts;
    db.cached("SELECT e.event_id, e.participant_id, p.withdrawn_ms FROM enrolments e "
              "JOIN participants p ON p.id = e.participant_id")
        .for_each_row([&](const db::Statement& r) {
            auto e = index.find(r.int64(0));
            if (e == index.end()) return;
            // Someone withdrawn before the event began was not expected there (as on its page).
            const Event& ev = events[e->second];
            auto withdrawn = r.opt_int64(2);
            TimeMs start = ev.sessions.empty() ? 0 : ev.sessions.front().starts_ms;
            if (ev.sessions.empty())
                if (auto d = uk_time::parse_date(ev.local_date)) start = uk_time::from_local(*d);
            if (withdrawn && *withdrawn <= start) return;
            facts[{r.int64(0), r.int64(1)}].expected = true;
        });
    db.cached("SELECT c.event_id, c.participant_id, c.session_id, c.direction, c.outcome, c.device_ms FROM check_ins c "
              "WHERE c.participant_id IS NOT NULL AND " + counted_not_voided_sql())
        .for_each_row([&](const db::Statement& r) {
            CheckIn c;
            c.event_id = r.int64(0);
            c.participant_id = r.int64(1);
            c.session_id = r.opt_int64(2);
            c.direction = r.text(3) == "exit" ? Direction::exit : Direction::entry;
            c.outcome = parse_outcome(r.text(4)).value_or(Outcome::invalid_badge);
            c.device_ms = r.int64(5);
            facts[{c.event_id, *c.participant_id}].scans.push_back(std::move(c));
        });
    db.cached("SELECT m.event_id, m.participant_id, m.status, m.created_ms, "
              "m.device_id IS NULL AND m.register_link_id IS NULL FROM corrections m WHERE m.kind = 'mark' AND "
              "m.status IS NOT NULL AND m.participant_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM corrections v "
              "WHERE v.kind = 'void' AND v.target_uuid = m.uuid) ORDER BY m.created_ms, m.uuid")  // summarise's tie order
        .for_each_row([&](const db::Statement& r) {
            Correction c;
            c.kind = CorrectionKind::mark;
            c.event_id = r.int64(0);
            c.participant_id = r.int64(1);
            c.status = parse_attendance_status(r.text(2));
            c.created_ms = r.int64(3);
            if (!c.status) return;
            auto& f = facts[{c.event_id, *c.participant_id}];
            f.mark_facts.push_back({c.created_ms, r.int64(4) != 0});
            f.marks.push_back(std::move(c));
        });
    tx.commit();

    for (const auto& [key, f] : facts) {
        auto e = index.find(key.first);
        if (e == index.end()) continue;
        const Event& event = events[e->second];
        auto summary = attendance::summarise(event, key.second, f.expected, f.scans, f.marks);
        auto& o = out[e->second];
        if (f.expected) {
            ++o.expected;
            if (recon::unsettled(summary, recon::hub_mark_decides(f.mark_facts))) ++o.unsettled;
        } else if (summary.status != AttendanceStatus::absent || summary.marked_by_staff) {
            ++o.unexpected;
        }
    }
    for (std::size_t i = 0; i < events.size(); ++i) {
        auto& o = out[i];
        const Event& e = events[i];
        o.event_id = e.id;
        o.title = e.title;
        o.venue = e.venue;
        o.local_date = e.local_date;
        o.programme = e.programme;
        o.item = e.item;
        o.kind = e.kind;
        o.held = attendance::is_held(e, now);
    }
    return out;
}

}  // namespace muster::store
