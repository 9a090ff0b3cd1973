#pragma once
// Programme progress: for one participant, over every event of their programme and year,
// what their role requires, what they attended, had excused or caught up, what is still
// needed, and whether they are at risk of missing it. Pure functions over records the store
// reader (programme_progress_store.hpp) loads; docs/progress.md gives the rules and the
// passages of DOMAIN.md and the seeds they come from.
#include "muster/attendance/attendance_rules.hpp"
#include "muster/model/types.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace muster::attendance {

// One participant's standing at one event of their programme.
enum class Standing { attended, late, left_early, absent, excused, caught_up, alternate, not_yet_held };
std::string_view to_string(Standing);
std::string_view label(Standing);

// An element of a programme: one item of a programme template ("ect-y1" "conference-1"),
// whichever run (date, venue) of it the participant goes to.
struct PlanItem {
    std::string programme;
    std::string item;
    EventKind kind = EventKind::conference;
};

// How many elements of a kind the role requires ("two conferences").
struct Target {
    EventKind kind = EventKind::conference;
    int required = 0;
    std::string_view name;  // "conferences"
};

// What a participant's role requires of them.
struct Plan {
    std::string name;                     // "ECT year 1"
    std::vector<std::string> programmes;  // template codes whose events count
    std::vector<PlanItem> items;          // every element (the templates' non-optional items)
    std::vector<Target> targets;          // ECTs and mentors: counts per kind
    int min_percent = 0;                  // NPQ: 90 (% of all elements); 0 = judged by targets
};

// The plan for a participant's role, programme year and part-time flag: ECT year 1 (two
// conferences, three clinics), ECT year 2 (one conference, three clinics), an ECT on the
// part-time three-year schedule (both years' elements over their own schedule: three
// conferences, six clinics), mentor (two conferences, one clinic), NPQ (90 % of all
// elements). Nullopt for roles with no programme to complete (facilitators, staff, guests,
// induction tutors).
std::optional<Plan> plan_for(const Participant& p);

// The participant's standing at one event (a run of a plan item).
struct EventRecord {
    EventId event_id = 0;
    std::string programme;
    std::string item;
    EventKind kind = EventKind::conference;
    std::string local_date;
    Standing standing = Standing::not_yet_held;
    // Every session of the event attended, or the status set by staff: a derived
    // "attended" or "late" with a session missing (afternoon only) does not count, as a
    // full-day conference counts only when both parts do.
    bool whole = true;
    bool marked_by_staff = false;
};

// Held: the event's last session has ended (no sessions: its local date is past). Until
// then it is a date still to come, whatever scans it has so far.
bool is_held(const Event& event, TimeMs now);
// The record of `summary` (summarise() of this participant at `event`) as of `now`: not yet
// held unless held or settled by a staff mark (an absence excused in advance).
EventRecord record_for(const Event& event, const Summary& summary, TimeMs now);
// Does this record count toward the requirement? Attended, late, attended an alternate
// run (each whole), or caught up by the recording. Excused, absent, left early: no.
bool counts(const EventRecord& r);

// Where an element stands, from the best of its runs.
enum class ItemState {
    attended,       // a run attended (late included)
    alternate,      // attended another run (alternate date)
    caught_up,      // caught up by the recording
    to_come,        // a run not yet held: a date left
    not_scheduled,  // no run yet: its date is still to come
    excused,        // missed with the absence excused: can still be caught up by the recording
    missed,         // missed, every run held, not excused
};
std::string_view to_string(ItemState);

struct ItemProgress {
    PlanItem item;
    ItemState state = ItemState::not_scheduled;
    std::optional<EventId> event_id;  // the run that decided the state
    std::string local_date;
};

// Counts of elements, for one kind (a target) or all of them.
struct Tally {
    EventKind kind = EventKind::other;  // for a target; `other` for all elements
    std::string_view name;
    int elements = 0;  // in the plan
    int required = 0;
    int attended = 0, alternate = 0, caught_up = 0;  // these count
    int excused = 0, missed = 0;
    int to_come = 0;  // to_come + not_scheduled: the dates left
    int counted() const { return attended + alternate + caught_up; }
    int needed() const { return counted() >= required ? 0 : required - counted(); }
    // Ways the rest can still be met: a date left, or an excused absence's recording.
    int routes() const { return to_come + excused; }
};

struct Progress {
    ParticipantId participant_id = 0;
    std::string plan;
    std::vector<ItemProgress> items;  // in plan order
    std::vector<Tally> targets;       // one per target (empty for NPQ)
    Tally all;                        // every element; required = what the plan needs in all
    // NPQ: % of all elements counted, and the best still possible (every element to come,
    // or excused and so catchable by its recording, counted as attended).
    std::optional<double> percent;
    std::optional<double> best_percent;
    bool met = false;
    bool at_risk = false;
    std::string risk;  // why, in words ("needs 2 clinics, 1 date left"); empty when not at risk
};

// `records`: the participant's events of the plan's programmes (any order; records of
// items not in the plan are ignored).
Progress progress(ParticipantId participant, const Plan& plan, std::span<const EventRecord> records);

// A school's participants together.
struct SchoolProgress {
    std::string urn;   // empty: participants without a URN
    std::string name;
    int participants = 0, met = 0, at_risk = 0;
    int required = 0, counted = 0, excused = 0, missed = 0;
};
struct ParticipantProgress {
    Participant participant;
    Progress progress;
    std::vector<EventRecord> records;  // the events it was worked out from, by date (when asked for)
};
// One row per school (by URN), in URN order, the participants without a URN last.
std::vector<SchoolProgress> by_school(std::span<const ParticipantProgress> rows);

}  // namespace muster::attendance
