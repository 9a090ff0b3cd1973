// Reading an event for reconciliation (reconciliation_store.hpp): a handful of set queries
// per event (its people, scans, corrections, link candidates and the alternate marks that
// point at it), never one per row, then the pure view (reconciliation_view.cpp). The
// overview does the same over every event at once.
#include "reconciliation_facts.hpp"

#include "muster/attendance/programme_progress.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/time/uk_time.hpp"
#include "sql_json.hpp"
#include "store_sql.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace muster::store {
namespace recon {
namespace {

// `columns` ("a, b, c") with each name prefixed ("x.a, x.b, x.c"), for joins where a
// shared column list would be ambiguous.
std::string prefixed(std::string_view columns, std::string_view alias) {
    std::string out;
    std::size_t from = 0;
    while (from < columns.size()) {
        auto comma = columns.find(',', from);
        auto name = columns.substr(from, comma == std::string_view::npos ? std::string_view::npos : comma - from);
        while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
        out += (out.empty() ? "" : ", ") + std::string(alias) + "." + std::string(name);
        if (comma == std::string_view::npos) break;
        from = comma + 1;
    }
    return out;
}

// The condition "a void cancels record `alias`", and its opposite.
std::string voided(std::string_view alias) {
    return "EXISTS (SELECT 1 FROM corrections v WHERE v.kind = 'void' AND v.target_uuid = " + std::string(alias) +
           ".uuid)";
}
std::string not_voided(std::string_view alias) { return "NOT " + voided(alias); }

// When the event began: someone withdrawn after it was still expected there.
TimeMs event_start(const Event& e) {
    if (!e.sessions.empty()) return e.sessions.front().starts_ms;
    auto date = uk_time::parse_date(e.local_date);
    return date ? uk_time::from_local(*date) : 0;
}

}  // namespace

LoadedCorrection read_loaded_correction(const db::Statement& r) {
    // correction_columns (0..10), then staff_id, register_link_id, note, amendment_reason,
    // caught_up_on, evidence, linked_event_id, sync_seq, voided.
    LoadedCorrection l;
    l.c = read_correction(r);
    l.staff_id = r.opt_int64(11);
    l.register_link_id = r.opt_int64(12);
    l.note = r.opt_text(13).value_or("");
    l.amendment_reason = r.opt_text(14);
    l.caught_up_on = r.opt_text(15);
    l.evidence = r.opt_text(16);
    l.linked_event_id = r.opt_int64(17);
    l.sync_seq = r.opt_int64(18).value_or(0);
    l.voided = r.int64(19) != 0;
    return l;
}

const std::string& loaded_correction_sql() {
    static const std::string sql = "SELECT " + prefixed(correction_columns, "m") +
                                   ", m.staff_id, m.register_link_id, m.note, m.amendment_reason, m.caught_up_on, "
                                   "m.evidence, m.linked_event_id, m.sync_seq, " + voided("m") +
                                   " FROM corrections m ";
    return sql;
}

std::optional<EventFacts> load_event_facts(db::Database& db, EventId event_id, std::optional<ParticipantId> only) {
    auto event = load_event(db, event_id);
    if (!event) return std::nullopt;
    EventFacts facts;
    facts.event = std::move(*event);
    const Event& e = facts.event;
    facts.change = current_change(db);

    auto& sign = db.cached("SELECT signed_off_ms, staff_id, author, note FROM event_sign_offs WHERE event_id = ?1");
    facts.signed_off = sign.bind(1, event_id).query_one([](const db::Statement& r) {
        return SignOff{r.int64(0), CorrectionAuthor{r.opt_int64(1), r.text(2)}, r.text(3)};
    });

    // One person's history: the queries below limited to them, as the parameter after the
    // query's own (a statement of its own, cached once, so the whole event's read keeps its
    // plain plan). The next number, not a fixed high one: PostgreSQL refuses a statement
    // whose parameters skip numbers (it cannot tell the skipped ones' types).
    auto one = [&](std::string_view column, int n) {
        return only ? " AND " + std::string(column) + " = ?" + std::to_string(n) : std::string();
    };
    auto for_one = [&](db::Statement& s, int n) -> db::Statement& {
        if (only) s.bind(n, *only);
        return s;
    };

    // 1. The expected people, by name.
    std::unordered_map<ParticipantId, std::size_t> index;
    auto& expected = db.cached("SELECT " + prefixed(participant_columns, "p") +
                               ", e.room_id FROM enrolments e JOIN participants p ON p.id = e.participant_id "
                               "WHERE e.event_id = ?1 AND (p.withdrawn_ms IS NULL OR p.withdrawn_ms > ?2)" +
                               one("e.participant_id", 3) +
                               " ORDER BY lower(p.last_name), lower(p.first_name), p.id");
    for_one(expected, 3).bind(1, event_id).bind(2, event_start(e)).for_each_row([&](const db::Statement& r) {
        PersonFacts p;
        p.person = read_participant(r);
        p.expected = true;
        p.room_id = r.opt_int64(15);
        index.emplace(p.person.id, facts.people.size());
        facts.people.push_back(std::move(p));
    });
    // Anyone else the facts name gets a place as they are read (their details come in step
    // 4), so check_ins is read once.
    auto person = [&](ParticipantId id) -> PersonFacts& {
        auto [it, added] = index.try_emplace(id, facts.people.size());
        if (added) facts.people.emplace_back().person.id = id;
        return facts.people[it->second];
    };
    const std::size_t expected_count = facts.people.size();

    // 2. Every scan of a person here (rejected and voided ones too: the history shows
    // them), only the columns the page shows; device names from the (small) devices table.
    std::unordered_map<std::string, std::string> device_names;
    db.cached("SELECT id, name FROM devices").for_each_row([&](const db::Statement& r) {
        device_names.emplace(r.text(0), r.text(1));
    });
    auto& scans = db.cached("SELECT c.participant_id, c.uuid, c.device_ms, c.direction, c.outcome, c.method, "
                            "c.session_id, c.room_id, c.device_id, " + voided("c") +
                            " FROM check_ins c WHERE c.event_id = ?1 AND c.participant_id IS NOT NULL" +
                            one("c.participant_id", 2) + " ORDER BY c.device_ms, c.device_id, c.device_seq");
    for_one(scans, 2).bind(1, event_id).for_each_row([&](const db::Statement& r) {
        ScanFact& s = person(r.int64(0)).scans.emplace_back();
        s.uuid = r.text(1);
        s.at_ms = r.int64(2);
        s.direction = r.text(3) == "exit" ? Direction::exit : Direction::entry;
        s.outcome = parse_outcome(r.text(4)).value_or(Outcome::invalid_badge);
        s.method = parse_method(r.text(5)).value_or(Method::qr);
        s.session_id = r.opt_int64(6);
        s.room_id = r.opt_int64(7);
        s.device_name = r.text(8);
        if (auto d = device_names.find(s.device_name); d != device_names.end() && !d->second.empty())
            s.device_name = d->second;
        s.voided = r.int64(9) != 0;
    });

    // 3. Every correction about a person here.
    auto& corrections = db.cached(loaded_correction_sql() + "WHERE m.event_id = ?1 AND m.participant_id IS NOT NULL" +
                                  one("m.participant_id", 2) + " ORDER BY m.created_ms, m.uuid");
    for_one(corrections, 2).bind(1, event_id).for_each_row([&](const db::Statement& r) {
        auto c = read_loaded_correction(r);
        person(*c.c.participant_id).corrections.push_back(std::move(c));
    });

    // 4. The people named by the facts but not expected: their details, and the events they
    // were expected at instead (link candidates). The ids go in as one JSON array.
    std::string ids;
    for (std::size_t i = expected_count; i < facts.people.size(); ++i)
        ids += (ids.empty() ? "" : ",") + std::to_string(facts.people[i].person.id);
    ids = "[" + ids + "]";
    auto& others = db.cached("SELECT " + std::string(participant_columns) +
                             " FROM participants WHERE id IN " + sql_json::ids_in(db, 1));
    std::unordered_set<ParticipantId> known;
    others.bind(1, ids).for_each_row([&](const db::Statement& r) {
        known.insert(r.int64(0));
        person(r.int64(0)).person = read_participant(r);
    });
    auto& candidates = db.cached(
        "SELECT e.participant_id, ev.id, ev.title, ev.local_date, ev.programme = ?2 AND ev.item = ?3, "
        "EXISTS (SELECT 1 FROM event_sign_offs so WHERE so.event_id = ev.id) FROM enrolments e JOIN events ev ON ev.id = e.event_id WHERE ev.id <> ?1 AND ev.cancelled_ms IS NULL AND "
        "e.participant_id IN " + sql_json::ids_in(db, 4));
    candidates.bind_all(event_id, e.programme, e.item, ids).for_each_row([&](const db::Statement& r) {
        person(r.int64(0)).candidates.push_back(LinkCandidate{r.int64(1), r.text(2), r.text(3), r.int64(4) != 0, r.int64(5) != 0});
    });
    // A fact naming nobody the hub knows (no such participant row): no one to show.
    std::erase_if(facts.people, [&](const PersonFacts& p) { return !p.expected && !known.count(p.person.id); });
    index.clear();
    for (std::size_t i = 0; i < facts.people.size(); ++i) index.emplace(facts.people[i].person.id, i);

    // 5. Alternate marks on other events that point here and still decide there (the newest
    // un-voided mark of that person at that event).
    auto& linked = db.cached(
        "SELECT m.participant_id, m.event_id FROM corrections m WHERE m.linked_event_id = ?1 AND m.kind = 'mark' AND "
        "m.status = 'alternate' AND " + not_voided("m") +
        " AND NOT EXISTS (SELECT 1 FROM corrections n WHERE n.event_id = m.event_id AND "
        "n.participant_id = m.participant_id AND n.kind = 'mark' AND n.status IS NOT NULL AND "
        "(n.created_ms > m.created_ms OR (n.created_ms = m.created_ms AND n.uuid > m.uuid)) AND " + not_voided("n") + ")");
    linked.bind(1, event_id).for_each_row([&](const db::Statement& r) {
        if (auto it = index.find(r.int64(0)); it != index.end() && !facts.people[it->second].expected)
            facts.people[it->second].linked_to = r.int64(1);
    });
    return facts;
}

}  // namespace recon

std::optional<EventReconciliation> load_reconciliation(db::Database& db, EventId event, TimeMs now,
                                                       Histories histories) {
    // Deferred: a read, never the write lock the sync uploads need; one snapshot for all reads.
    db::Transaction tx(db, db::Transaction::Kind::deferred);
    auto facts = recon::load_event_facts(db, event);
    tx.commit();
    if (!facts) return std::nullopt;
    return recon::build_reconciliation(std::move(*facts), now, histories);
}

std::optional<ParticipantHistory> load_participant_history(db::Database& db, EventId event, ParticipantId participant,
                                                           TimeMs now) {
    db::Transaction tx(db, db::Transaction::Kind::deferred);
    auto facts = recon::load_event_facts(db, event, participant);
    tx.commit();
    if (!facts) return std::nullopt;
    return recon::build_participant_history(std::move(*facts), now);
}

}  // namespace muster::store
