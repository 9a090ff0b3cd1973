#pragma once
// The sync protocol's messages (docs/api.md) and their JSON form. The kiosk and the server
// both use these, so the two sides cannot drift apart. Parsing is strict: a missing field,
// a wrong type or an unknown enum value throws ProtocolError naming the field, e.g.
// "check_ins[3].device_seq: expected an integer".
#include "muster/model/types.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace muster::sync {

class ProtocolError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

inline constexpr std::size_t max_batch_records = 500;  // per upload request
inline constexpr TimeMs clock_skew_flag_ms = 2 * 60'000;

// An answer to the satisfaction question at an exit kiosk (migration 0011): nothing in it
// names the person, the badge, the device or the check-out it followed.
struct SatisfactionAnswer {
    std::string uuid;  // random (v4)
    EventId event_id = 0;
    std::optional<SessionId> session_id;
    SatisfactionAnswerKind answer = SatisfactionAnswerKind::agree;
    TimeMs answered_hour_ms = 0;  // the hour it was given in: a multiple of 3,600,000
};

// POST /v1/upload
struct UploadBatch {
    TimeMs device_time_ms = 0;  // the device clock when it sent this, to measure its skew
    std::vector<CheckIn> check_ins;
    std::vector<Correction> corrections;
    // Read as empty when absent (older devices). Acked and rejected by uuid like the records;
    // they count towards max_batch_records.
    std::vector<SatisfactionAnswer> satisfaction;
};

// Why the hub refused one uploaded record, for machines (the reason is for people). The
// rules are in docs/security.md; a device that meets a code it does not know (a newer
// server, or an older one that sent none) reads it as `unknown`. Every refusal is final.
enum class RejectionCode {
    unknown,              // not sent, or a code this build does not know
    not_this_device,      // the record names another device than the one that signed the upload
    wrong_event,          // not the sending device's event
    unknown_session,      // a session that is not one of the event's
    wrong_room,           // not the room the hub gave the device (none for an entrance device)
    unknown_participant,  // no such participant at the hub
    unknown_badge,        // a badge (or NFC card) the hub never issued to that participant
    not_allowed,          // what only hub staff may write: marks, voids of other devices' records
    bad_field,            // a field no kiosk makes: text limits, a wrong offset, a missing name
    time_implausible,     // made after the upload was sent, or outside the event's days
    conflict,             // the uuid is already stored with other content, or for another device
    sequence_taken,       // the device's sequence number belongs to another of its records
};
std::string_view to_string(RejectionCode code);
RejectionCode rejection_code_from(std::string_view text);  // unknown for anything unrecognised

struct Rejection {
    std::string uuid;
    std::string reason;  // permanent: the device keeps the record and shows it to staff
    RejectionCode code = RejectionCode::unknown;
};

struct UploadReply {
    TimeMs server_time_ms = 0;
    std::vector<std::string> acked;  // stored now or before: the device may drop them from its outbox
    std::vector<Rejection> rejected;
    std::int64_t clock_skew_ms = 0;  // device clock minus server clock at the upload
    bool clock_flagged = false;      // |skew| > 2 min: the records were flagged with it
};

struct BadgeRow {
    ParticipantId participant_id = 0;
    std::int64_t serial = 0;
    TimeMs issued_ms = 0;
    std::optional<TimeMs> revoked_ms;
    std::optional<std::string> revoke_reason;
    std::optional<std::string> token_digest;  // 64 hex digits
};

struct NfcCardRow {
    std::string uid;
    ParticipantId participant_id = 0;
    TimeMs attached_ms = 0;
    std::optional<TimeMs> detached_ms;
};

// An enrolment taken away at the hub (unenrolled, withdrawn, event cancelled): the device
// deletes it, and forgets the person unless they are still needed (docs/api.md, "Changes").
struct EnrolmentRemoval {
    EventId event_id = 0;
    ParticipantId participant_id = 0;
};

struct FacilitatorRow {
    ParticipantId participant_id = 0;
    bool lead = false;
};

// A room's whole list of facilitators (lead first), sent with every room in `rooms`: the
// device replaces its list for that room with this one, an empty list included.
struct RoomFacilitators {
    RoomId room_id = 0;
    std::vector<FacilitatorRow> facilitators;
};

// GET /v1/changes?since=CURSOR: everything the device's event needs that changed after
// the cursor. Rows are whole (upserts); applying a reply twice changes nothing. Fields
// added later (enrolment_removals, room_facilitators) are read as empty when absent, so a
// newer device works with an older server; a reader ignores fields it does not know, so an
// older device works with a newer server.
struct Changes {
    TimeMs server_time_ms = 0;
    std::int64_t cursor = 0;  // ask with this next time
    bool more = false;        // a page limit was hit: ask again at once
    std::vector<Participant> participants;  // without emails: devices never hold them
    std::vector<Event> events;              // sessions and rooms travel separately
    std::vector<Session> sessions;
    std::vector<Room> rooms;
    std::vector<Enrolment> enrolments;
    std::vector<EnrolmentRemoval> enrolment_removals;
    std::vector<RoomFacilitators> room_facilitators;  // one entry per room in `rooms`
    std::vector<BadgeRow> badges;
    std::vector<NfcCardRow> nfc_cards;
    std::vector<CheckIn> check_ins;  // other devices' records at this event
    std::vector<Correction> corrections;
};

// Nothing to apply: every list is empty (the cursor may still have moved, past other
// events' changes or the device's own uploads). A long poll waits while this holds.
inline bool carries_nothing(const Changes& c) {
    return c.participants.empty() && c.events.empty() && c.sessions.empty() && c.rooms.empty() && c.enrolments.empty() &&
           c.enrolment_removals.empty() && c.room_facilitators.empty() && c.badges.empty() && c.nfc_cards.empty() &&
           c.check_ins.empty() && c.corrections.empty() && !c.more;
}

// What went wrong, for the device to act on (the `error` text is for people). A device that
// meets a code it does not know (a newer server) reads it as `unknown`.
enum class ErrorCode {
    unknown,             // not sent, or a code this build does not know
    bad_request,         // 400: malformed body, field or query (the message names it)
    not_found,           // 404: no such endpoint
    method_not_allowed,  // 405
    too_large,           // 413 / 431: body or headers over the server's limits
    unauthenticated,     // 401: unknown device, missing headers or bad signature (one answer for all)
    clock_skew,          // 401: the request time is outside the accepted window: re-sign in server time
    replayed,            // 401: the nonce was used before
    revoked,             // 403: the hub revoked this device
    store_busy,          // 503: the hub's store could not answer; nothing was stored, retry later
    unavailable,         // 503: the server is stopping or at its connection limit
};
std::string_view to_string(ErrorCode code);
ErrorCode error_code_from(std::string_view text);  // unknown for anything unrecognised

// Error bodies: {"error": "...", "code": "clock_skew", "server_time_ms": N}
struct ErrorReply {
    std::string error;
    TimeMs server_time_ms = 0;
    ErrorCode code = ErrorCode::unknown;
};

std::string to_json(const UploadBatch& batch);
std::string to_json(const UploadReply& reply);
std::string to_json(const Changes& changes);
std::string to_json(const ErrorReply& error);

UploadBatch parse_upload_batch(std::string_view json);
UploadReply parse_upload_reply(std::string_view json);
Changes parse_changes(std::string_view json);
ErrorReply parse_error_reply(std::string_view json);

}  // namespace muster::sync
