#pragma once
// `muster device import DIR`: a kiosk's records the hub never received (its outbox), read
// from its device folder (a revoked, removed, broken or moved kiosk) and taken into the hub
// by the same rules and writer as an upload (sync-server/intake). The folder is never
// written to: its database is read from a private copy.
#include "muster/db/database.hpp"
#include "muster/sync/sync_messages.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace muster::admin {

struct DeviceImport {
    std::string device_id;
    EventId event_id = 0;
    std::size_t outbox = 0;          // records in the kiosk's outbox
    std::size_t stored_now = 0;      // new on the hub
    std::size_t already_stored = 0;  // the same record was on the hub before
    std::vector<sync::Rejection> refused;
};

// Throws UsageError with what to do when the folder is not a device folder of this hub or
// its database is missing or unreadable.
DeviceImport import_device_folder(db::Database& hub_db, const std::filesystem::path& folder);

}  // namespace muster::admin
