#pragma once
// What the facilitators' live register shows (docs/register.md, "The page"): for an event, a
// room (or the whole event) and the current session, who is here and since when (late
// flagged), who is expected and not here yet, and who is here but not on the list (a
// visitor). Built by a pure function from the facts; store::load_register_view
// (muster/store/register_view_store.hpp) reads them from the hub database. A person carries only what a facilitator needs to recognise them: first
// name (the preferred one when set), surname, school and role; never an email or a TRN.
#include "muster/model/types.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace muster::register_view {

struct Person {
    ParticipantId id = 0;
    std::string first_name;  // the preferred name when set
    std::string surname;
    std::optional<std::string> school;
    Role role = Role::ect;
    // Facts the view needs, never shown: where they are expected, and since when they are not.
    std::optional<TimeMs> withdrawn_ms;
};

// A present / left-early mark of the session from a facilitator's tablet, or from staff
// (docs/register.md, "Marks from the tablet"); store::register_marks reads them.
struct Mark {
    std::string uuid;
    ParticipantId participant_id = 0;
    AttendanceStatus status = AttendanceStatus::present;  // present or left_early
    std::string reason;  // forgot_badge | badge_failed | other | left_early (staff: free words)
    std::string note;
    std::string author;
    TimeMs at_ms = 0;
    std::optional<std::int64_t> link_id;  // the register link it was made through
    std::optional<RoomId> room_id;        // the room register it was made from
    bool undone = false;                  // an undone mark counts as never made
};

// link_id: the register link the mark was made through. A register stream's snapshot is shared
// by every tablet of its scope and made for no viewer (undoable false); each page compares
// link_id with its own session's link to offer an undo (the server checks it again).
struct ByHand {
    std::string uuid, author, reason, note;
    TimeMs at_ms = 0;
    bool undoable = false;  // made through the viewing tablet's own link
    std::optional<std::int64_t> link_id;
};
struct LeftMark {
    std::string uuid, author;
    bool undoable = false;
    std::optional<std::int64_t> link_id;
};
// What marks say of someone who is here (or a visitor).
struct HandMarks {
    std::optional<ByHand> by_hand;    // marked present by hand (their earliest such mark)
    std::optional<TimeMs> left_ms;    // marked as having left early (their newest such mark)
    std::optional<LeftMark> left_mark;
};

struct Here {
    Person person;
    TimeMs arrived_ms = 0;           // their first counted, not voided entry scan this session (or mark)
    std::optional<int> minutes_late;  // attendance::minutes_late for this session
    HandMarks marks;
};

enum class VisitorReason { other_room, not_expected };
std::string_view to_string(VisitorReason);

struct Visitor {
    Person person;
    TimeMs arrived_ms = 0;
    VisitorReason reason = VisitorReason::not_expected;
    std::optional<RoomId> expected_room;  // other_room: the room they are on the list of
    std::optional<std::string> expected_room_name;
    HandMarks marks;
};

struct Counts {
    int in = 0;        // expected and here (the *here* list)
    int expected = 0;  // on the list
    int late = 0;      // of those here, late
    int missing = 0;   // expected, not here yet
    int visitors = 0;  // here, not on the list
};

// Which scans a room's register counts (docs/register.md, "Which scans count"): its own room
// device's, when one is in service for the room; else the entrance's, of the people on the
// room's list. The whole event's register counts a scan anywhere (reported as `entrance`).
enum class CountedAt { room_device, entrance };
std::string_view to_string(CountedAt);

struct View {
    Event event;                     // with its sessions and rooms
    CountedAt counted_at = CountedAt::entrance;
    std::optional<Room> room;        // nullopt: the whole event
    std::optional<Session> session;  // nullopt: an event without sessions
    Counts counts;
    std::vector<Here> here;          // newest arrival first
    std::vector<Person> missing;     // expected, not here yet: by surname, then first name
    std::vector<Visitor> visitors;   // newest arrival first
};

struct Arrival {
    ParticipantId participant_id = 0;
    TimeMs first_ms = 0;
};

// Everything the view is made from. `arrivals` are the first counted, not voided entry scans
// in `session` at the place the register covers (the room's own kiosk for a room; any place
// of the event for the whole event), one per person; `entrance_arrivals` the same at the
// entrance, which a room's register counts (for the people on its list only) when
// `counted_at` is `entrance`; `marks` the session's marks; `people` holds at least everyone
// in `enrolments`, the arrivals and the marks.
struct Facts {
    Event event;
    std::optional<RoomId> room;
    std::optional<Session> session;
    CountedAt counted_at = CountedAt::entrance;
    std::vector<Enrolment> enrolments;  // the whole event's
    std::vector<Arrival> arrivals;
    std::vector<Arrival> entrance_arrivals;
    std::vector<Mark> marks;
    std::optional<std::int64_t> viewer_link;  // the link of the tablet asking: its marks are undoable
    std::map<ParticipantId, Person> people;
    TimeMs now = 0;
};

// The expected are the room's enrolments (every enrolment of the event for the whole event),
// less anyone withdrawn by `now`. A person who arrived is *here* when expected, else a
// visitor: `other_room` when enrolled in another room of the event (or in none, for a room's
// register), `not_expected` when not enrolled at the event at all. A present mark (not undone)
// is an arrival at the mark's time (their scan's, if earlier) for someone on the list, or
// anyone for the whole event or when made from this room's register; a left-early mark
// gives `left_ms` to someone here.
View build_view(const Facts& facts);

}  // namespace muster::register_view
