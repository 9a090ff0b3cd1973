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

namespace muster::admin {

class HubDir;

struct DeviceSpec {
    std::string id;  // [a-z0-9-], e.g. "entrance-1"
    std::string name;
    DeviceMode mode = DeviceMode::entrance;
    EventId event_id = 0;
    std::optional<RoomId> room_id;
    std::string pin;  // staff PIN, stored hashed
    std::string server_url;
};

// Writes the device folder `out`; returns the path of its device.toml.
std::filesystem::path provision_device(const HubDir& hub, db::Database& hub_db, const DeviceSpec& spec,
                                       const std::filesystem::path& out);

// Copies what a device may hold from the hub database into a fresh device database.
void write_device_database(const std::filesystem::path& hub_db_path, const std::filesystem::path& device_db_path,
                           EventId event);

bool is_valid_device_id(std::string_view id);

}  // namespace muster::admin
