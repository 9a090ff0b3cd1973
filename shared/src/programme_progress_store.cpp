#include "muster/store/programme_progress_store.hpp"

#include "muster/programme/templates.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "store_sql.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <tuple>
#include <unordered_map>

namespace muster::store {
namespace {

// The scope as a condition on participants `p` (?1 participant id, ?2 URN; NULL = any).
constexpr std::string_view scope_sql =
    "p.withdrawn_ms IS NULL AND p.role IN ('ect', 'mentor', 'npq') AND (CAST(?1 AS BIGINT) IS NULL OR p.id = ?1) AND "
    "(CAST(?2 AS TEXT) IS NULL OR p.school_urn = ?2)";

// The facts' filter on `column` for a scope. The whole hub reads the tables through (a scan
// is cheaper than an index search per person) and leaves out the others in memory.
bool whole_hub(const ProgressScope& scope);
std::string facts_filter(const ProgressScope& scope, std::string_view column) {
    if (whole_hub(scope)) return "1 = 1";  // a boolean on PostgreSQL, which takes no bare 1 as a condition
    return std::string(column) + " IN (SELECT p.id FROM participants p WHERE " + std::string(scope_sql) + ")";
}

bool whole_hub(const ProgressScope& scope) { return !scope.participant && !scope.school_urn; }

// Binds ?1 and ?2 of scope_sql (a whole-hub facts query has neither).
void bind_scope(db::Statement& s, const ProgressScope& scope, bool facts = false) {
    if (facts && whole_hub(scope)) return;
    s.bind(1, scope.participant);
    s.bind(2, scope.school_urn);
}

struct Expected {
    EventId event_id = 0;
};

// A scan as summarise reads it, kept small: memory touched is what costs most at 5,000
// people (a CheckIn is ~250 bytes, this 40); CheckIns are made per person and event, in
// a buffer reused for all of them.
struct ScanFact {
    EventId event_id = 0;
    std::optional<SessionId> session_id;
    TimeMs device_ms = 0;
    Direction direction = Direction::entry;
    Outcome outcome = Outcome::checked_in;
};

// Facts of every person in one flat vector, grouped by person and, within a person, sorted
// by event: one event's facts are a sub-span, with no allocation per person or per event
// (at 5,000 people over 10 events the allocations were most of the time).
template <class T>
class ByPerson {
public:
    void add(std::size_t person, T fact) {
        owner_.push_back(person);
        raw_.push_back(std::move(fact));
    }
    // Groups what was added (a counting sort by person, then each group by event).
    void group(std::size_t people) {
        from_.assign(people + 1, 0);
        for (auto p : owner_) ++from_[p + 1];
        for (std::size_t i = 1; i <= people; ++i) from_[i] += from_[i - 1];
        items_.resize(raw_.size());
        std::vector<std::size_t> next(from_.begin(), from_.end() - 1);
        for (std::size_t i = 0; i < raw_.size(); ++i) items_[next[owner_[i]]++] = std::move(raw_[i]);
        raw_.clear();
        owner_.clear();
        for (std::size_t p = 0; p < people; ++p)
            std::stable_sort(items_.begin() + static_cast<long>(from_[p]), items_.begin() + static_cast<long>(from_[p + 1]),
                             [](const T& a, const T& b) { return a.event_id < b.event_id; });
    }
    std::span<const T> of(std::size_t person, EventId event) const {
        auto first = items_.begin() + static_cast<long>(from_[person]);
        auto last = items_.begin() + static_cast<long>(from_[person + 1]);
        auto lo = std::partition_point(first, last, [&](const T& x) { return x.event_id < event; });
        auto hi = std::partition_point(lo, last, [&](const T& x) { return x.event_id == event; });
        return {lo, hi};
    }

private:
    std::vector<T> raw_, items_;
    std::vector<std::size_t> owner_, from_;
};

// The plans differ only by role, programme year and part-time flag: made once each.
using PlanKey = std::tuple<Role, int, bool>;
const attendance::Plan* plan_of(const Participant& p, std::map<PlanKey, std::optional<attendance::Plan>>& cache) {
    PlanKey key{p.role, p.programme_year.value_or(1), p.part_time};
    auto it = cache.find(key);
    if (it == cache.end()) it = cache.emplace(key, attendance::plan_for(p)).first;
    return it->second ? &*it->second : nullptr;
}

}  // namespace

std::vector<attendance::ParticipantProgress> load_programme_progress(db::Database& db, const ProgressScope& scope,
                                                                      TimeMs now) {
    // One read transaction (deferred: never the write lock the sync uploads need), so the
    // reads below are of one moment.
    db::Transaction tx(db, db::Transaction::Kind::deferred);

    // 1. The people.
    std::vector<Participant> people;
    std::unordered_map<ParticipantId, std::size_t> index;
    {
        auto count = db.prepare("SELECT count(*) FROM participants p WHERE " + std::string(scope_sql));
        bind_scope(count, scope);
        auto n = static_cast<std::size_t>(count.query_one([](const db::Statement& r) { return r.int64(0); }).value_or(0));
        people.reserve(n);
        index.reserve(n);
        auto s = db.prepare("SELECT " + std::string(participant_columns) + " FROM participants p WHERE " +
                            std::string(scope_sql) + " ORDER BY p.school_urn IS NULL, p.school_urn, p.last_name, p.first_name, p.id");
        bind_scope(s, scope);
        s.for_each_row([&](const db::Statement& r) {
            index.emplace(r.int64(0), people.size());
            people.push_back(read_participant(r));
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
    // The person a fact belongs to, when it is theirs and at an event that is read.
    auto person_of = [&](std::optional<ParticipantId> pid, EventId event) -> std::optional<std::size_t> {
        if (!pid || !event_index.count(event)) return std::nullopt;
        auto p = index.find(*pid);
        if (p == index.end()) return std::nullopt;
        return p->second;
    };

    // 3. Who is expected where.
    ByPerson<Expected> enrolled;
    {
        auto s = db.prepare("SELECT event_id, participant_id FROM enrolments WHERE " + facts_filter(scope, "participant_id"));
        bind_scope(s, scope, true);
        s.for_each_row([&](const db::Statement& r) {
            if (auto who = person_of(r.int64(1), r.int64(0))) enrolled.add(*who, {r.int64(0)});
        });
    }
    // 4. Their counted, not voided scans (the one SQL rule, counted_not_voided_sql). Only the
    // columns summarise reads: voids are already applied here, so it needs no uuid.
    ByPerson<ScanFact> scans;
    {
        auto s = db.prepare(
            "SELECT c.participant_id, c.event_id, c.session_id, c.direction, c.outcome, c.device_ms FROM check_ins c "
            "WHERE " + facts_filter(scope, "c.participant_id") + " AND " + counted_not_voided_sql());
        bind_scope(s, scope, true);
        s.for_each_row([&](const db::Statement& r) {
            auto who = person_of(r.int64(0), r.int64(1));
            if (!who) return;
            ScanFact f;
            f.event_id = r.int64(1);
            f.session_id = r.opt_int64(2);
            f.direction = r.text(3) == "exit" ? Direction::exit : Direction::entry;
            f.outcome = parse_outcome(r.text(4)).value_or(Outcome::invalid_badge);
            f.device_ms = r.int64(5);
            scans.add(*who, f);
        });
    }
    // 5. Their corrections (staff marks; voids too, so summarise applies them as everywhere).
    ByPerson<Correction> corrections;
    {
        auto s = db.prepare("SELECT " + std::string(correction_columns) + " FROM corrections WHERE " +
                            facts_filter(scope, "participant_id"));
        bind_scope(s, scope, true);
        s.for_each_row([&](const db::Statement& r) {
            auto c = read_correction(r);
            if (auto who = person_of(c.participant_id, c.event_id)) corrections.add(*who, std::move(c));
        });
    }
    // 6. Scans at an event someone was not expected at that staff linked as the alternate
    // for another event (an un-voided `alternate` mark there, the newest of that person's
    // marks): that attendance is credited on the linked event, so it must not count a
    // second time on its own event (reconciliation_store.hpp).
    std::set<std::pair<std::size_t, EventId>> credited_elsewhere;
    {
        auto s = db.prepare(
            "SELECT m.participant_id, m.event_id, m.linked_event_id FROM corrections m WHERE m.kind = 'mark' AND "
            "m.status = 'alternate' AND m.linked_event_id IS NOT NULL AND " + facts_filter(scope, "m.participant_id") +
            " AND NOT EXISTS (SELECT 1 FROM corrections v WHERE v.kind = 'void' AND v.target_uuid = m.uuid) AND "
            "NOT EXISTS (SELECT 1 FROM corrections n WHERE n.event_id = m.event_id AND n.participant_id = m.participant_id "
            "AND n.kind = 'mark' AND n.status IS NOT NULL AND (n.created_ms > m.created_ms OR (n.created_ms = m.created_ms "
            "AND n.uuid > m.uuid)) AND NOT EXISTS (SELECT 1 FROM corrections w WHERE w.kind = 'void' AND "
            "w.target_uuid = n.uuid))");
        bind_scope(s, scope, true);
        s.for_each_row([&](const db::Statement& r) {
            if (auto who = person_of(r.int64(0), r.int64(1))) credited_elsewhere.emplace(*who, r.int64(2));
        });
    }
    tx.commit();
    enrolled.group(people.size());
    scans.group(people.size());
    corrections.group(people.size());

    std::vector<const programme::ProgrammeTemplate*> templates;
    for (const auto& e : events) templates.push_back(programme::find_template(e.programme));

    std::map<PlanKey, std::optional<attendance::Plan>> plans;
    std::vector<attendance::ParticipantProgress> out;
    out.reserve(people.size());
    std::vector<CheckIn> their_scans;        // reused for every person and event
    std::vector<attendance::EventRecord> records;  // reused for every person
    for (std::size_t who = 0; who < people.size(); ++who) {
        const attendance::Plan* plan = plan_of(people[who], plans);
        if (!plan) continue;
        attendance::ParticipantProgress row{std::move(people[who]), {}, {}};
        const Participant& p = row.participant;
        records.clear();
        for (std::size_t i = 0; i < events.size(); ++i) {
            const Event& event = events[i];
            if (std::find(plan->programmes.begin(), plan->programmes.end(), event.programme) == plan->programmes.end())
                continue;
            bool is_enrolled = !enrolled.of(who, event.id).empty();
            auto facts = scans.of(who, event.id);
            auto their_corrections = corrections.of(who, event.id);
            // Their events: where they are enrolled or have a scan or a mark; and, on the
            // standard schedule, every run for their cohort and year (someone added to the
            // roster after an event was made is still judged on it). A part-time ECT's own
            // schedule is what the hub enrolled them at.
            bool audience = !p.part_time && templates[i] && programme::is_audience(*templates[i], p, event.cohort);
            if (!is_enrolled && !audience && facts.empty() && their_corrections.empty()) continue;
            if (!is_enrolled && credited_elsewhere.count({who, event.id})) continue;
            their_scans.resize(facts.size());
            for (std::size_t k = 0; k < facts.size(); ++k) {
                CheckIn& c = their_scans[k];
                c.participant_id = p.id;
                c.event_id = event.id;
                c.session_id = facts[k].session_id;
                c.direction = facts[k].direction;
                c.outcome = facts[k].outcome;
                c.device_ms = facts[k].device_ms;
            }
            auto summary = attendance::summarise(event, p.id, is_enrolled || audience, their_scans, their_corrections);
            records.push_back(attendance::record_for(event, summary, now));
        }
        row.progress = attendance::progress(p.id, *plan, records);
        if (scope.with_events) row.records = records;
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace muster::store
