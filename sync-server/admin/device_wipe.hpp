#pragma once
// `muster device wipe DIR`: a lost, stolen-and-recovered or retired device folder emptied of
// what it holds about people and of its keys (docs/privacy.md, "Wiping a device folder").
#include "command.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace muster::admin {

struct DeviceWipe {
    std::string device_id;
    std::int64_t unacknowledged = 0;        // records the hub never acknowledged (lost with --force)
    std::int64_t people = 0;                // participant rows purged before the files went
    std::vector<std::filesystem::path> overwritten;  // each overwritten with zeros, synced, removed
    bool folder_removed = false;            // nothing else was left in it
};

// Counts the folder's unacknowledged records; when there are some and `force` is false,
// returns with nothing touched (unacknowledged > 0, overwritten empty). Otherwise purges the
// roster inside the database (secure_delete, VACUUM), then overwrites with zeros and removes
// the database and its -wal/-shm/-journal, the device secret, the TRN key, the device file
// (it holds the staff PIN's hash), the pinned certificate and the hub's public key; the
// folder itself goes when nothing else is left in it. UsageError when DIR has no device.toml.
DeviceWipe wipe_device_folder(const std::filesystem::path& folder, bool force);

Command device_wipe_command();

}  // namespace muster::admin
