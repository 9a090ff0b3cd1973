#pragma once
// Provisioning a kiosk or room device: its row in the hub database, and a folder holding
// everything the device needs and nothing more: device.toml, hub-public.pem (never the
// private key) and device.db with the roster, the event it serves, badges' revocations
// and NFC cards.
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace muster::admin {

class HubDir;

struct DeviceSpec {
    std::string id;  // [a-z0-9-], e.g. "entrance-1"
    std::string name;
    DeviceMode mode = DeviceMode::entrance;
    EventId event_id = 0;
    std::optional<RoomId> room_id;
    std::string pin;  // staff PIN, stored hashed
    // Where the device syncs: one URL ("" = it does not sync), or the hub's several server
    // processes, which the device fails over between in this order.
    std::vector<std::string> server_urls;
};

// UsageError unless the id is well formed and the event (and a room device's room) exist.
void check_device_spec(db::Database& hub_db, const DeviceSpec& spec);

// Writes the device folder `out` and the hub's row for it; returns the path of its
// device.toml. `reissue`: the id exists already (a move, or a revoked or removed device
// added again) and its row is made anew with a new secret, so the old folder can no longer
// sign; otherwise an id that exists is refused. Either way the new device.db starts its
// sequence numbers above those the hub holds from this id (device.seq_floor).
std::filesystem::path provision_device(const HubDir& hub, db::Database& hub_db, const DeviceSpec& spec,
                                       const std::filesystem::path& out, bool reissue = false);

// Copies what a device may hold from the hub database into a fresh device database.
void write_device_database(const std::filesystem::path& hub_db_path, const std::filesystem::path& device_db_path,
                           EventId event, std::int64_t seq_floor = 0);

bool is_valid_device_id(std::string_view id);

}  // namespace muster::admin
