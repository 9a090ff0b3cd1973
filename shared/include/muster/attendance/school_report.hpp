#pragma once
// For a school's induction tutor (docs/schools.md, issue 12 item 4): each of the school's ECTs'
// and mentors' attendance at one event (the derived status, how late, left early, staff marks)
// beside their progress over the programme, and the drafted non-attendance notice a hub sends
// the school after the event.
//
// A school is its URN (6 digits): names are typed differently from roster to roster, the URN
// is what the DfE gives it. Participants without a URN belong to no school here.
//
// The statuses are attendance::summarise's and the progress is programme_progress's: this
// file only gathers them per school and words the notice. The store readers at the end read
// the hub database; the rest is pure.
#include "muster/attendance/attendance_export.hpp"
#include "muster/attendance/attendance_rules.hpp"
#include "muster/attendance/programme_progress.hpp"
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace muster::attendance {

// Is this role reported to the school's induction tutor? ECTs and mentors (the tutor
// "monitors event attendance" of them, DOMAIN.md); NPQ participants answer for themselves.
bool reported_to_school(Role r);

// One of the school's ECTs or mentors at the event.
struct SchoolPerson {
    Participant participant;
    Summary summary;                          // the status (a staff mark wins)
    std::optional<int> minutes_late;          // from the scans: first entry after the first session's start + threshold
    bool left_early = false;                  // from the scans, whatever a mark says
    std::vector<std::string> missed_sessions;  // the event's sessions without a counted scan (names), when any was attended
    std::optional<Progress> progress;         // over their programme (nullopt: not found on one)
};

// The whole school at one event.
struct SchoolEventReport {
    Event event;
    bool held = false;  // is_held(event, now)
    std::string urn, school_name;
    std::vector<Participant> induction_tutors;  // the school's participants with role induction_tutor
    // Expected ECTs and mentors, and those who scanned here without being expected
    // (summary.expected false: an alternate-date attendance), by last then first name.
    std::vector<SchoolPerson> people;
};

// A school's line in an event's list of schools.
struct SchoolCounts {
    std::string urn, school_name;
    int expected = 0;  // expected ECTs and mentors
    int present = 0, late = 0, left_early = 0, absent = 0, excused = 0, caught_up = 0, alternate = 0;
    int unexpected = 0;  // came without being expected (another run of theirs)
    int at_risk = 0;     // of the people listed, at risk over their programme
    int to_tell = 0;     // absent, left early, late or excused: what a notice is about
};
SchoolCounts count(const SchoolEventReport& report);

// ---- the non-attendance notice ----

// Someone an earlier notice for the same event and school told about, and what it said.
struct ToldBefore {
    ParticipantId participant_id = 0;
    AttendanceStatus status = AttendanceStatus::absent;
    TimeMs sent_ms = 0;
};

// One person a notice tells about.
struct NoticeLine {
    ParticipantId participant_id = 0;
    std::string name;
    Role role = Role::ect;
    AttendanceStatus status = AttendanceStatus::absent;  // absent, left_early, late or excused
    std::optional<AttendanceStatus> previously;           // an earlier notice said this (an update)
};

struct NoticeDraft {
    EventId event_id = 0;
    std::string urn, school_name;
    std::string addressed_to;            // the induction tutors' names, or "the induction tutor"
    std::vector<NoticeLine> lines;       // who this notice is about (empty: nothing new to send)
    std::vector<ToldBefore> left_out;    // already told with the same status: not repeated
    std::string text;                    // plain English; empty when there is nothing to send
    std::string version;                 // SHA-256 (hex) of the text: what "mark as sent" names
    bool held = false;                   // the event is over (before then there is nothing to send)
    bool anything_to_send() const { return !lines.empty(); }
};

// The notice to the school's induction tutor for `report`'s event: who did not attend
// (absent, left early), who was late (separately), who was excused (as excused, not missing);
// with the event's title and date; no TRNs, emails or correction reasons (a reason may be
// about someone's health: the school hears it from them, not from the hub). People an
// earlier notice already told about with the same status are left out and the text says
// so; a status changed since (absent, then excused) is told again as an update.
// `hub_name` signs it. Nothing to send (text empty) before the event is held.
NoticeDraft draft_notice(const SchoolEventReport& report, std::span<const ToldBefore> told, std::string_view hub_name);

// ---- CSV for Excel (shared/src/school_report_csv.cpp; csv::Writer: byte-order mark, CRLF,
// formula injection neutralised, TRN and URN kept as text) ----

// The school report's columns, one row per person, in order (`muster help school-columns`).
// No correction reasons: the report goes to the school, and a reason may be about health.
std::span<const ExportColumn> school_report_columns();
// One header, then each report's people (one school, or an event's every school).
std::size_t write_school_report_csv(std::span<const SchoolEventReport> reports, std::ostream& out);
// The school over the programme: one row per ECT or mentor.
std::span<const ExportColumn> school_progress_columns();
std::size_t write_school_progress_csv(std::span<const ParticipantProgress> people, std::ostream& out);
// "met", "at_risk" or "on_track"; and "conferences 1/2, clinics 0/3" (or NPQ's elements).
std::string_view progress_state(const Progress& p);
std::string progress_counts(const Progress& p);

// "Tuesday 14 October 2025" for a YYYY-MM-DD date (the text as given when it is not one).
std::string long_date(std::string_view yyyy_mm_dd);
// Lower-case hex SHA-256 of `text`.
std::string text_version(std::string_view text);

}  // namespace muster::attendance

// ---- store readers (shared/src/school_report_store.cpp): reads only, one read transaction ----
namespace muster::store {

// The school `urn` at `event`; nullopt when there is no such event. A URN with nobody at the
// event gives a report with no people (school_name from any participant with that URN).
std::optional<attendance::SchoolEventReport> load_school_report(db::Database& db, EventId event, std::string_view urn,
                                                                TimeMs now);
// Every school with an ECT or mentor expected (or scanning) at `event`, each in full, by URN.
std::optional<std::vector<attendance::SchoolEventReport>> load_event_school_reports(db::Database& db, EventId event,
                                                                                   TimeMs now);
// Every school with an ECT or mentor expected (or scanning) at `event`, by URN; nullopt when
// there is no such event.
std::optional<std::vector<attendance::SchoolCounts>> event_schools(db::Database& db, EventId event, TimeMs now);

// A school over the programme: its ECTs and mentors (with each event's record), and its
// induction tutors.
struct SchoolProgramme {
    std::string urn, school_name;
    std::vector<Participant> induction_tutors;
    std::vector<attendance::ParticipantProgress> people;  // by surname, first name
};
SchoolProgramme load_school_programme(db::Database& db, std::string_view urn, TimeMs now);

// Is this a URN (six ASCII digits)?
bool is_urn(std::string_view s);

}  // namespace muster::store
