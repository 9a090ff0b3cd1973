#include "muster/store/programme_progress_store.hpp"

#include "muster/programme/templates.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "store_sql.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace muster::store {
namespace {

// The scope as a condition on participants `p` (?1 participant id, ?2 URN; NULL = any).
constexpr std::string_view scope_sql =
    "p.withdrawn_ms IS NULL AND p.role IN ('ect', 'mentor', 'npq') AND (?1 IS NULL OR p.id = ?1) AND "
    "(?2 IS NULL OR p.school_urn = ?2)";

std::string people_in_scope() { return "SELECT p.id FROM participants p WHERE " + std::string(scope_sql); }

void bind_scope(db::Statement& s, const ProgressScope& scope) {
    s.bind(1, scope.participant);
    s.bind(2, scope.school_urn);
}

// What one participant has at one event.
struct Facts {
    bool enrolled = false;
    std::vector<CheckIn> scans;
    std::vector<Correction> corrections;
};

struct Person {
    Participant participant;
    std::unordered_map<EventId, Facts> at;
};

// The plans differ only by role, programme year and part-time flag: made once each.
const attendance::Plan* plan_of(const Participant& p, std::map<std::string, std::optional<attendance::Plan>>& cache) {
    std::string key = std::string(to_string(p.role)) + "/" + std::to_string(p.programme_year.value_or(1)) + "/" +
                      (p.part_time ? "pt" : "ft");
    auto it = cache.find(key);
    if (it == cache.end()) it = cache.emplace(key, attendance::plan_for(p)).first;
    return it->second ? &*it->second : nullptr;
}

}  // namespace

std::vector<attendance::ParticipantProgress> load_programme_progress(db::Database& db, const ProgressScope& scope,
                                                                      TimeMs now) {
    // One read transaction (deferred: never the write lock the sync uploads need), so the
    // five reads below are of one moment.
    db::Transaction tx(db, db::Transaction::Kind::deferred);

    // 1. The people.
    std::vector<Person> people;
    std::unordered_map<ParticipantId, std::size_t> index;
    {
        auto s = db.prepare("SELECT " + std::string(participant_columns) + " FROM participants p WHERE " +
                            std::string(scope_sql) + " ORDER BY p.school_urn IS NULL, p.school_urn, p.last_name, p.first_name, p.id");
        bind_scope(s, scope);
        s.for_each_row([&](const db::Statement& r) {
            index.emplace(r.int64(0), people.size());
            people.push_back({read_participant(r), {}});
        });
    }
    if (people.empty()) return {};

    // 2. The events (not cancelled) with their sessions.
    std::vector<Event> events;
    std::unordered_map<EventId, std::size_t> event_index;
    {
        auto s = db.prepare("SELECT " + std::string(event_columns) + " FROM events WHERE cancelled_ms IS NULL ORDER BY local_date, id");
        s.for_each_row([&](const db::Statement& r) {
            event_index.emplace(r.int64(0), events.size());
            events.push_back(read_event(r));
        });
        auto sessions = db.prepare("SELECT " + std::string(session_columns) +
                                   " FROM sessions WHERE event_id IN (SELECT id FROM events WHERE cancelled_ms IS NULL) "
                                   "ORDER BY event_id, starts_ms");
        sessions.for_each_row([&](const db::Statement& r) {
            auto session = read_session(r);
            if (auto e = event_index.find(session.event_id); e != event_index.end())
                events[e->second].sessions.push_back(std::move(session));
        });
    }
    auto facts_of = [&](std::optional<ParticipantId> pid, EventId event) -> Facts* {
        if (!pid || !event_index.count(event)) return nullptr;
        auto p = index.find(*pid);
        return p == index.end() ? nullptr : &people[p->second].at[event];
    };

    // 3. Who is expected where.
    {
        auto s = db.prepare("SELECT event_id, participant_id FROM enrolments WHERE participant_id IN (" + people_in_scope() + ")");
        bind_scope(s, scope);
        s.for_each_row([&](const db::Statement& r) {
            if (auto* f = facts_of(r.int64(1), r.int64(0))) f->enrolled = true;
        });
    }
    // 4. Their counted, not voided scans (the one SQL rule, counted_not_voided_sql). Only the
    // columns summarise reads: voids are already applied here, so it needs no uuid.
    {
        auto s = db.prepare(
            "SELECT c.participant_id, c.event_id, c.session_id, c.direction, c.outcome, c.device_ms FROM check_ins c "
            "WHERE c.participant_id IN (" + people_in_scope() + ") AND " + counted_not_voided_sql());
        bind_scope(s, scope);
        s.for_each_row([&](const db::Statement& r) {
            Facts* f = facts_of(r.int64(0), r.int64(1));
            if (!f) return;
            CheckIn c;
            c.participant_id = r.int64(0);
            c.event_id = r.int64(1);
            c.session_id = r.opt_int64(2);
            c.direction = r.text(3) == "exit" ? Direction::exit : Direction::entry;
            c.outcome = parse_outcome(r.text(4)).value_or(Outcome::invalid_badge);
            c.device_ms = r.int64(5);
            f->scans.push_back(std::move(c));
        });
    }
    // 5. Their corrections (staff marks; voids too, so summarise applies them as everywhere).
    {
        auto s = db.prepare("SELECT " + std::string(correction_columns) +
                            " FROM corrections WHERE participant_id IN (" + people_in_scope() + ")");
        bind_scope(s, scope);
        s.for_each_row([&](const db::Statement& r) {
            auto c = read_correction(r);
            if (Facts* f = facts_of(c.participant_id, c.event_id)) f->corrections.push_back(std::move(c));
        });
    }
    tx.commit();

    std::vector<const programme::ProgrammeTemplate*> templates;
    for (const auto& e : events) templates.push_back(programme::find_template(e.programme));

    std::map<std::string, std::optional<attendance::Plan>> plans;
    std::vector<attendance::ParticipantProgress> out;
    out.reserve(people.size());
    for (auto& person : people) {
        const auto& p = person.participant;
        const attendance::Plan* plan = plan_of(p, plans);
        if (!plan) continue;
        attendance::ParticipantProgress row{p, {}, {}};
        for (std::size_t i = 0; i < events.size(); ++i) {
            const Event& event = events[i];
            if (std::find(plan->programmes.begin(), plan->programmes.end(), event.programme) == plan->programmes.end())
                continue;
            auto f = person.at.find(event.id);
            // Their events: where they are enrolled or have a scan or a mark; and, on the
            // standard schedule, every run for their cohort and year (someone added to the
            // roster after an event was made is still judged on it). A part-time ECT's own
            // schedule is what the hub enrolled them at.
            bool audience = !p.part_time && templates[i] && programme::is_audience(*templates[i], p, event.cohort);
            if (f == person.at.end() && !audience) continue;
            static const Facts none;
            const Facts& facts = f == person.at.end() ? none : f->second;
            auto summary = attendance::summarise(event, p.id, facts.enrolled || audience, facts.scans, facts.corrections);
            row.records.push_back(attendance::record_for(event, summary, now));
        }
        row.progress = attendance::progress(p.id, *plan, row.records);
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace muster::store
