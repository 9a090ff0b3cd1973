#pragma once
// A hub for the server's fuzz targets (sync_api, web_requests), made once per process in
// LLVMFuzzerInitialize and reused by every execution: a SQLite hub database on tmpfs
// (/dev/shm when there is one), the small roster of tests/support/test_hub.hpp, one event on
// today's UK date with sessions around the start time, a badge for everyone, and devices
// whose secrets the target knows: an entrance, a room device and a revoked one.
#include "muster/badge/hub_keys.hpp"
#include "muster/sync/device_secret_box.hpp"
#include "muster/sync/request_signing.hpp"

#include <filesystem>
#include <string>

namespace muster::fuzz {

struct FuzzHub {
    std::filesystem::path dir;       // removed at exit
    std::string database;            // dir/hub.db
    sync::DeviceSecretsKey secrets_key{};
    sync::DeviceSecret entrance_secret{};  // "entrance-1", event 1, no room
    sync::DeviceSecret room_secret{};      // "room-1", event 1, its first room
    sync::DeviceSecret revoked_secret{};   // "revoked-1": revoked by the hub
    EventId event = 0;
    TimeMs started_ms = 0;  // the sessions are placed around it
};

// Made on the first call; the same hub after.
const FuzzHub& fuzz_hub();

}  // namespace muster::fuzz
