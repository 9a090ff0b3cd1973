#pragma once
// The hub's devices: kiosks and room devices, the event (and room) each serves, the secret
// its requests are signed with (sealed: sync/device_secret_box.hpp), and whether it has been
// cut off.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace muster::store {

struct DeviceRow {
    std::string id;
    std::string name;
    DeviceMode mode = DeviceMode::entrance;
    EventId event_id = 0;
    std::optional<RoomId> room_id;
    // devices.secret as stored: a sealed box (sync/device_secret_box.hpp); empty when the
    // device was provisioned before sync existed; a bare 32-byte secret only on a hub not
    // yet opened by this version (store/device_secrets.hpp seals those).
    std::string secret_box;
    std::optional<TimeMs> revoked_ms;
    std::optional<TimeMs> removed_ms;  // taken out of service (`muster device remove`)
    // What the device said of itself at its last authenticated request (throttled by the
    // server: docs/api.md). Never set until it has synced once.
    std::optional<TimeMs> last_seen_ms;
    std::optional<std::string> last_version;
    std::optional<std::int64_t> last_queued;
    std::optional<std::int64_t> last_clock_skew_ms;  // device minus hub

    bool in_service() const { return !revoked_ms && !removed_ms; }
};

std::optional<DeviceRow> find_device(db::Database& db, const std::string& id);

struct NewDevice {
    std::string id;
    std::string name;
    DeviceMode mode = DeviceMode::entrance;
    EventId event_id = 0;
    std::optional<RoomId> room_id;
    TimeMs created_ms = 0;
    std::string secret_box;  // sync::seal_device_secret(hub key, id, secret)
};
// False (and nothing written) when a device with that id exists already.
bool insert_device(db::Database& db, const NewDevice& device);
// The device row under an existing id made anew: event, room, mode, name and secret
// replaced, back in service, what it last reported forgotten (a new folder has reported
// nothing). Its stored records stay. False when there is no device with that id.
bool reissue_device(db::Database& db, const NewDevice& device);

// The highest sequence number the hub holds from this device id (0: none): the floor a new
// device database for that id starts above (check_in_store.hpp, device.seq_floor).
std::int64_t hub_device_seq_max(db::Database& db, const std::string& id);

enum class Revocation { revoked, already_revoked, no_such_device };
// A revoked device stays revoked; its stored records stay too.
Revocation revoke_device(db::Database& db, const std::string& id, TimeMs now);

enum class Removal { removed, already_removed, no_such_device };
// Out of service: the server refuses it as it refuses a revoked one; its records stay and
// its id may be added again.
Removal remove_device(db::Database& db, const std::string& id, TimeMs now);

// What a device reports of itself with each request; nullopt fields leave the column as it is.
struct DeviceReport {
    TimeMs seen_ms = 0;
    std::optional<std::string> version;
    std::optional<std::int64_t> queued;
    std::optional<std::int64_t> clock_skew_ms;
};
void note_device_report(db::Database& db, const std::string& id, const DeviceReport& report);
// A version text as a device may report it: 1-32 characters of [0-9A-Za-z.+_~-]; anything
// else (too long, spaces, escapes, control characters) is nullopt and ignored, never an error.
std::optional<std::string> clean_version(std::string_view text);

struct DeviceListing {
    DeviceRow device;
    std::int64_t records_on_hub = 0;  // check-ins the hub holds from it
};
std::vector<DeviceListing> list_devices(db::Database& db);

}  // namespace muster::store
