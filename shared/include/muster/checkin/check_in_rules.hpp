#pragma once
// What a scan means: a pure function from what the device knows to an outcome.
// No clock, no database, no screen: everything it needs is in RuleInput.
#include "muster/model/types.hpp"

#include <optional>
#include <string>

namespace muster::checkin {

struct DeviceSetup {
    std::string device_id;
    DeviceMode mode = DeviceMode::entrance;
    EventId event_id = 0;
    SessionId session_id = 0;
    std::optional<RoomId> room_id;  // room devices only
    Direction direction = Direction::entry;
};

// What the badge turned out to be, after signature and look-ups.
enum class CredentialState { genuine, unknown_person, invalid, revoked };

struct Credential {
    CredentialState state = CredentialState::invalid;
    Method method = Method::qr;
    std::optional<ParticipantId> participant_id;
    std::optional<std::int64_t> badge_serial;
    std::string reason;  // why invalid / unknown, in words for staff
};

struct ParticipantAtEvent {
    bool enrolled = false;
    std::optional<RoomId> room_id;       // the room they are allocated to
    std::optional<std::string> room_name;
};

// This participant's earlier (not voided) scans in this session at this place.
struct PriorScans {
    std::optional<TimeMs> first_entry_ms;
    std::optional<Direction> last_direction;
};

struct RuleInput {
    DeviceSetup device;
    Session session;
    TimeMs now = 0;
    Credential credential;
    ParticipantAtEvent at_event;
    PriorScans prior;
    bool staff_override = false;  // a manual check-in by staff ignores the check-in window
};

struct Decision {
    Outcome outcome = Outcome::invalid_badge;
    std::string reason;                  // words for the screen / the record
    std::optional<TimeMs> first_seen_ms; // for "already checked in at 09:02"
};

Decision decide(const RuleInput& in);

}  // namespace muster::checkin
