#pragma once
// What the hub believes of a record a device uploaded (docs/security.md, "What a device may
// assert"): pure functions over the record, the sender as the hub knows it, the sender's
// event, the upload's clock, and a few look-ups behind UploadFacts. The device is signed in,
// but what it says is checked: a correctly signed hostile device can write only what an
// honest kiosk of that device could have made.
#include "device_record.hpp"

#include "muster/model/types.hpp"
#include "muster/sync/sync_messages.hpp"

#include <optional>
#include <set>
#include <string>

namespace muster::server {

// The sender's event as the hub holds it, read once per upload.
struct EventScope {
    bool exists = false;
    EventId event_id = 0;
    std::set<SessionId> sessions;
    std::set<RoomId> rooms;
    // The event's days in hub time: 00:00 UK of the day before its local date up to 24:00
    // UK of the day after it ([first_ms, end_ms)). A kiosk runs set-up and late uploads
    // around the day; nothing honest is made further away.
    TimeMs first_ms = 0;
    TimeMs end_ms = 0;
};
EventScope scope_of(const Event& event);  // sessions and rooms from event.sessions / event.rooms
// 00:00 UK of the day before `local_date` and 24:00 UK of the day after; nullopt for a bad date.
std::optional<std::pair<TimeMs, TimeMs>> event_days(std::string_view local_date);

// The upload's clock: the device's time when it sent the batch and its measured skew
// (device minus hub), so a record's device_ms can be put in hub time.
struct UploadClock {
    TimeMs device_time_ms = 0;
    std::int64_t skew_ms = 0;
};
// A record may be made at most this long after the device says it sent the batch (the
// clock read twice on one device, a moment apart).
inline constexpr TimeMs made_after_sent_ms = 60'000;

// The look-ups the rules need, answered by the hub's database (record_intake.cpp reads them
// ahead for a whole upload) or a test's map. A check-in stored earlier in the same upload
// counts as stored.
class UploadFacts {
public:
    virtual ~UploadFacts() = default;
    virtual bool participant_exists(ParticipantId participant) = 0;
    virtual bool badge_issued(ParticipantId participant, std::int64_t serial) = 0;
    virtual bool held_nfc_card(ParticipantId participant) = 0;
    virtual std::optional<CheckIn> stored_check_in(const std::string& uuid) = 0;
};

// nullopt: the hub may store it. Otherwise the refusal with its code and reason. The first
// rule broken is named; the order is the one in docs/security.md.
std::optional<sync::Rejection> judge_check_in(const CheckIn& c, const DeviceRecord& sender, const EventScope& event,
                                              const UploadClock& clock, UploadFacts& facts);
std::optional<sync::Rejection> judge_correction(const Correction& c, const DeviceRecord& sender, const EventScope& event,
                                                const UploadClock& clock, UploadFacts& facts);

// A uuid that is already stored: an identical retry from its own device is acked again
// (nullopt); anything else is a conflict, never acked, so the sender keeps its record.
std::optional<sync::Rejection> judge_resent(const CheckIn& sent, const CheckIn& stored, const DeviceRecord& sender);
std::optional<sync::Rejection> judge_resent(const Correction& sent, const Correction& stored, const DeviceRecord& sender);

}  // namespace muster::server
