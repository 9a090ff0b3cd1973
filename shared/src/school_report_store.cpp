// The per-school report read from the hub database (muster/attendance/school_report.hpp):
// an event's facts judged by attendance::summarise, grouped by school URN, beside each
// person's programme progress (store::load_programme_progress).
#include "muster/attendance/school_report.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/programme_progress_store.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace muster::store {

bool is_urn(std::string_view s) {
    return s.size() == 6 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

namespace {

// The ECTs and mentors of one school (urn given) or of every school, and the induction
// tutors, not withdrawn. People without a URN belong to no school.
std::vector<Participant> school_people(db::Database& db, std::optional<std::string_view> urn, bool tutors) {
    auto s = db.prepare("SELECT " + std::string(participant_columns) +
                        " FROM participants WHERE withdrawn_ms IS NULL AND school_urn IS NOT NULL AND "
                        "(CAST(?1 AS TEXT) IS NULL OR school_urn = ?1) AND " +
                        (tutors ? "role = 'induction_tutor'" : "role IN ('ect', 'mentor')") +
                        " ORDER BY school_urn, last_name, first_name, id");
    if (urn) s.bind(1, *urn);
    else s.bind(1, nullptr);
    return s.query_all([](const db::Statement& r) { return read_participant(r); });
}

// The school's name as its people give it: the most frequent spelling (rosters differ),
// the first in name order on a tie.
std::string name_of(const std::vector<const Participant*>& people) {
    std::map<std::string, int> seen;
    std::string best;
    int best_n = 0;
    for (const auto* p : people) {
        if (!p->school_name || p->school_name->empty()) continue;
        int n = ++seen[*p->school_name];
        if (n > best_n) best = *p->school_name, best_n = n;
    }
    return best;
}

// Every school's report at `event` (one school's when `urn` is given).
std::optional<std::vector<attendance::SchoolEventReport>> load_reports(db::Database& db, EventId event_id,
                                                                       std::optional<std::string_view> urn, TimeMs now) {
    std::vector<Participant> people, tutors;
    std::vector<Enrolment> enrolled;
    std::vector<CheckIn> scans;
    std::vector<Correction> corrections;
    std::optional<Event> event;
    {
        // The event's facts read at one moment (deferred: never the write lock uploads need).
        db::Transaction tx(db, db::Transaction::Kind::deferred);
        event = load_event(db, event_id);
        if (!event) return std::nullopt;
        people = school_people(db, urn, false);
        tutors = school_people(db, urn, true);
        enrolled = enrolments(db, event_id);
        scans = check_ins_for_event(db, event_id);
        corrections = corrections_for_event(db, event_id);
        tx.commit();
    }
    std::unordered_map<ParticipantId, const Participant*> by_id;
    for (const auto& p : people) by_id.emplace(p.id, &p);

    // Progress over the programme (its own read transaction): one school, or the whole hub
    // when every school of the event is asked for (a scan of the facts either way).
    ProgressScope scope;
    if (urn) scope.school_urn = std::string(*urn);
    std::unordered_map<ParticipantId, attendance::Progress> progress;
    for (auto& row : load_programme_progress(db, scope, now))
        if (by_id.count(row.participant.id)) progress.emplace(row.participant.id, std::move(row.progress));

    // Voided scans, for the derived status (without staff marks) and the sessions attended.
    std::set<std::string> voided;
    std::vector<Correction> voids;
    for (const auto& c : corrections)
        if (c.kind == CorrectionKind::void_scan) {
            voids.push_back(c);
            if (c.target_uuid) voided.insert(*c.target_uuid);
        }

    const bool held = attendance::is_held(*event, now);
    std::map<std::string, attendance::SchoolEventReport> schools;
    auto school = [&](const std::string& u) -> attendance::SchoolEventReport& {
        auto& r = schools[u];
        if (r.urn.empty()) {
            r.event = *event;
            r.held = held;
            r.urn = u;
        }
        return r;
    };
    if (urn) school(std::string(*urn));  // the school asked for, even with nobody here

    for (const auto& s : attendance::summarise_event(*event, enrolled, scans, corrections)) {
        auto who = by_id.find(s.participant_id);
        if (who == by_id.end()) continue;  // not an ECT or mentor of a school (in scope)
        const Participant& p = *who->second;
        attendance::SchoolPerson person;
        person.participant = p;
        person.summary = s;
        std::vector<CheckIn> theirs;
        std::vector<Correction> their_voids;
        for (const auto& c : scans)
            if (c.participant_id == p.id) theirs.push_back(c);
        for (const auto& c : voids)
            if (c.participant_id == p.id) their_voids.push_back(c);
        // What the scans alone say (a staff mark may say otherwise: both are shown).
        auto derived = attendance::summarise(*event, p.id, s.expected, theirs, their_voids);
        person.left_early = derived.status == AttendanceStatus::left_early;
        if (derived.first_in_ms && !event->sessions.empty())
            person.minutes_late = attendance::minutes_late(*event, event->sessions.front(), *derived.first_in_ms);
        std::set<SessionId> attended;
        for (const auto& c : theirs)
            if (c.session_id && counts_as_attendance(c.outcome) && !voided.count(c.uuid)) attended.insert(*c.session_id);
        if (!attended.empty())
            for (const auto& session : event->sessions)
                if (!attended.count(session.id)) person.missed_sessions.push_back(session.name);
        if (auto g = progress.find(p.id); g != progress.end()) person.progress = g->second;
        school(*p.school_urn).people.push_back(std::move(person));
    }

    std::vector<attendance::SchoolEventReport> out;
    for (auto& [u, r] : schools) {
        std::vector<const Participant*> named;
        for (const auto& p : r.people) named.push_back(&p.participant);
        for (const auto& t : tutors)
            if (t.school_urn == u) r.induction_tutors.push_back(t);
        if (named.empty())  // nobody of theirs at this event: any of the school's people names it
            for (const auto& p : people)
                if (p.school_urn == u) named.push_back(&p);
        for (const auto& t : r.induction_tutors) named.push_back(&t);
        r.school_name = name_of(named);
        std::stable_sort(r.people.begin(), r.people.end(), [](const auto& a, const auto& b) {
            return std::tie(a.participant.last_name, a.participant.first_name, a.participant.id) <
                   std::tie(b.participant.last_name, b.participant.first_name, b.participant.id);
        });
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace

std::optional<attendance::SchoolEventReport> load_school_report(db::Database& db, EventId event, std::string_view urn,
                                                                TimeMs now) {
    auto reports = load_reports(db, event, urn, now);
    if (!reports) return std::nullopt;
    return std::move(reports->front());
}

std::optional<std::vector<attendance::SchoolEventReport>> load_event_school_reports(db::Database& db, EventId event,
                                                                                   TimeMs now) {
    return load_reports(db, event, std::nullopt, now);
}

std::optional<std::vector<attendance::SchoolCounts>> event_schools(db::Database& db, EventId event, TimeMs now) {
    auto reports = load_reports(db, event, std::nullopt, now);
    if (!reports) return std::nullopt;
    std::vector<attendance::SchoolCounts> out;
    for (const auto& r : *reports) out.push_back(attendance::count(r));
    return out;
}

SchoolProgramme load_school_programme(db::Database& db, std::string_view urn, TimeMs now) {
    SchoolProgramme out;
    out.urn = std::string(urn);
    ProgressScope scope;
    scope.school_urn = std::string(urn);
    scope.with_events = true;
    for (auto& row : load_programme_progress(db, scope, now))
        if (attendance::reported_to_school(row.participant.role)) out.people.push_back(std::move(row));
    out.induction_tutors = school_people(db, urn, true);
    std::vector<const Participant*> named;
    for (const auto& p : out.people) named.push_back(&p.participant);
    for (const auto& t : out.induction_tutors) named.push_back(&t);
    out.school_name = name_of(named);
    return out;
}

}  // namespace muster::store
