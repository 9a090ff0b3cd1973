#pragma once
// A device as the hub knows it when judging what it sent: an upload's sender (the sync
// server) or the folder `muster device import` reads (the admin tool).
#include "muster/model/types.hpp"
#include "muster/sync/request_signing.hpp"

#include <optional>
#include <string>

namespace muster::server {

struct DeviceRecord {
    std::string id;
    EventId event_id = 0;
    std::optional<RoomId> room_id;
    std::optional<sync::DeviceSecret> secret;  // nullopt: provisioned before sync existed, or unreadable; refused
    bool revoked = false;
    // The hub holds a sealed secret its device-secrets key does not open (the wrong key
    // file, or a damaged row): refused like an unknown device, and logged as such.
    bool secret_unreadable = false;
    // Taken out of service (`muster device remove`): refused as a revoked device is.
    bool removed = false;
    // What the hub's row held of the device's own last report when the request came: the
    // server writes a new one only when it differs or is old (DatabaseSyncStore::note_report).
    std::optional<TimeMs> last_seen_ms{};
    std::optional<std::string> last_version{};
    std::optional<std::int64_t> last_queued{};
    std::optional<std::int64_t> last_clock_skew_ms{};
};

}  // namespace muster::server
