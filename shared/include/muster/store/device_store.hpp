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

enum class Revocation { revoked, already_revoked, no_such_device };
// A revoked device stays revoked; its stored records stay too.
Revocation revoke_device(db::Database& db, const std::string& id, TimeMs now);

struct DeviceListing {
    DeviceRow device;
    std::int64_t records_on_hub = 0;  // check-ins the hub holds from it
};
std::vector<DeviceListing> list_devices(db::Database& db);

}  // namespace muster::store
