#pragma once
// What the sync client needs to know, handed to it by whoever reads the device file: the
// sync library depends on no kiosk code (the kiosk app builds this from its DeviceConfig).
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace muster::kiosk {

struct SyncSettings {
    std::string device_id;
    std::filesystem::path database;     // the device's SQLite file (the client opens its own connection)
    // "https://hub.local:8443" or, on loopback only, "http://...". More than one: the same hub's
    // server processes (one database, one certificate), failed over between (hub_connection.hpp).
    std::vector<std::string> server_urls;
    std::filesystem::path secret_file;  // the device's 64-hex-digit secret (mode 600)
    std::filesystem::path certificate;  // the hub server's certificate, pinned (https)
    std::chrono::milliseconds poll{2000};  // how often to ask for other devices' changes
    // Keep one long poll open (ChangeListener) so other devices' changes arrive at once; the
    // poll above stays the fallback. push_wait: how long the hub may hold it (25 s at most).
    bool push = true;
    std::chrono::milliseconds push_wait{20'000};
    // The device's TRN key ([privacy] trn_key): people arriving from the hub are stored with
    // their TRN hashed under it. Empty: trn.key beside the database.
    std::filesystem::path trn_key;
};

}  // namespace muster::kiosk
