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

// POST /v1/upload
struct UploadBatch {
    TimeMs device_time_ms = 0;  // the device clock when it sent this, to measure its skew
    std::vector<CheckIn> check_ins;
    std::vector<Correction> corrections;
};

struct Rejection {
    std::string uuid;
    std::string reason;  // permanent: the device keeps the record and shows it to staff
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

// GET /v1/changes?since=CURSOR: everything the device's event needs that changed after
// the cursor. Rows are whole (upserts); applying a reply twice changes nothing.
struct Changes {
    TimeMs server_time_ms = 0;
    std::int64_t cursor = 0;  // ask with this next time
    bool more = false;        // a page limit was hit: ask again at once
    std::vector<Participant> participants;  // without emails: devices never hold them
    std::vector<Event> events;              // sessions and rooms travel separately
    std::vector<Session> sessions;
    std::vector<Room> rooms;
    std::vector<Enrolment> enrolments;
    std::vector<BadgeRow> badges;
    std::vector<NfcCardRow> nfc_cards;
    std::vector<CheckIn> check_ins;  // other devices' records at this event
    std::vector<Correction> corrections;
};

// Error bodies: {"error": "...", "server_time_ms": N}
struct ErrorReply {
    std::string error;
    TimeMs server_time_ms = 0;
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
