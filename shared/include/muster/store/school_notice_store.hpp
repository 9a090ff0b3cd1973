#pragma once
// The non-attendance notices sent to schools (docs/schools.md; table school_notices,
// migration 0009): the current draft for an event and a school, recording a reviewed draft
// as sent (exactly its text, and who it told about), and the record of what was sent.
#include "muster/attendance/school_report.hpp"
#include "muster/db/database.hpp"
#include "muster/store/staff_store.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace muster::store {

// Who marks a notice sent: a staff account on the staff pages, or the hub's terminal
// (`muster notice sent --author NAME`, staff_id nullopt).
struct NoticeAuthor {
    std::optional<StaffId> staff_id;
    std::string name;  // 1..80 characters once trimmed, no control characters
};

struct NoticePerson {
    ParticipantId participant_id = 0;
    std::string name;  // as it is now (full name)
    AttendanceStatus status = AttendanceStatus::absent;
};

struct SentNotice {
    std::int64_t id = 0;
    EventId event_id = 0;
    std::string event_title, event_date;
    std::string urn;
    TimeMs sent_ms = 0;
    std::optional<StaffId> staff_id;
    std::string author;
    std::string text;     // as sent
    std::string version;  // SHA-256 of text
    std::vector<NoticePerson> people;
};

// The draft for `event` and school `urn` as things stand, leaving out people earlier notices
// told (attendance::draft_notice); nullopt when there is no such event.
std::optional<attendance::NoticeDraft> draft_school_notice(db::Database& db, EventId event, std::string_view urn,
                                                           TimeMs now);

enum class MarkSentOutcome {
    recorded,         // written
    already,          // this very draft (version) was recorded before: nothing written
    changed,          // the draft is no longer the version reviewed (a mark, a scan, another notice since)
    nothing_to_send,  // the draft tells about nobody (the event not held, or everyone told)
    not_found,        // no such event
    invalid,          // bad URN, author or version (problem says which)
};
std::string_view to_string(MarkSentOutcome o);

struct MarkSentResult {
    MarkSentOutcome outcome = MarkSentOutcome::invalid;
    std::string problem;
    std::optional<SentNotice> notice;               // recorded or already
    std::optional<attendance::NoticeDraft> draft;   // changed: the current draft
};

// Records the draft of `version` as sent, in one immediate transaction: the draft is made
// again inside it and must still be `version` (what staff reviewed), so a change meanwhile is
// refused, never sent unseen. Idempotent: the same version again is `already`.
MarkSentResult mark_notice_sent(db::Database& db, EventId event, std::string_view urn, std::string_view version,
                                const NoticeAuthor& by, TimeMs now);

// Notices sent, newest first: of one event, or all.
std::vector<SentNotice> list_notices(db::Database& db, std::optional<EventId> event,
                                     std::optional<std::string_view> urn = std::nullopt);

}  // namespace muster::store
