#pragma once
// The device file (TOML, written by `muster device add`; examples in device-config/):
// everything a kiosk or room device needs to know about itself. Paths in it are relative
// to the file. A bad file is refused with an error naming the field.
#include "sync_settings.hpp"

#include "muster/model/types.hpp"
#include "muster/util/config_error.hpp"

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace muster::config {
class TomlFile;
}

namespace muster::kiosk {

using muster::ConfigError;

struct DeviceConfig {
    std::string device_id;
    std::string name;
    DeviceMode mode = DeviceMode::entrance;
    EventId event_id = 0;
    std::optional<SessionId> session_id;  // nullopt: "auto", follow the clock
    std::optional<RoomId> room_id;
    Direction direction = Direction::entry;
    // At an exit kiosk, the satisfaction question after each check-out (docs/satisfaction.md),
    // skipped after this many seconds without an answer.
    bool satisfaction_question = true;
    int satisfaction_timeout_s = 10;

    bool wedge = true;
    bool camera = false;
    std::string camera_device = "/dev/video0";
    bool nfc = false;
    std::string nfc_connstring;  // "" = libnfc auto-scan

    std::string staff_pin_hash;
    std::filesystem::path public_key;
    std::filesystem::path database;
    // [privacy] (docs/privacy.md): the key TRNs are hashed under (trn.key beside the device
    // file unless named), and the days after the event's last day the roster is kept.
    std::filesystem::path trn_key;
    int purge_after_days = 7;
    // [server]: where and how this device syncs (docs/api.md). No url: no sync. Several: the
    // same hub's server processes, failed over between in this order (docs/kiosk.md).
    std::vector<std::string> server_urls;     // "https://hub.local:8443" or, on loopback only, "http://..."
    std::filesystem::path server_secret;      // file with the device's 64-hex-digit secret (mode 600)
    std::filesystem::path server_certificate; // the hub server's certificate, pinned (https)
    int sync_poll_ms = 2000;                  // how often to ask for other devices' changes
    bool sync_push = true;                    // keep a long poll open: other devices' changes at once

    bool fullscreen = true;
    int width = 1280;
    int height = 800;
    bool sound = false;
    // What the screen shows and plays, as files a designer can change (assets/). Fonts are
    // TrueType; the sounds folder holds accepted.wav, attention.wav and refused.wav.
    std::filesystem::path font = default_font;
    std::filesystem::path font_bold = default_font_bold;
    std::filesystem::path sounds = default_sounds();

    // Debian's DejaVu (fonts-dejavu-core): clear at large sizes, and it has the accented
    // letters of Welsh, Irish and other names on a roster (Siân, Zoë, Ó Súilleabháin).
    static constexpr const char* default_font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    static constexpr const char* default_font_bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
    // assets/sounds/ of the source tree the kiosk was built from (CMake's MUSTER_ASSETS_DIR).
    static std::filesystem::path default_sounds();

    // What the sync client needs from this file.
    SyncSettings sync_settings() const;
};

DeviceConfig load_device_config(const std::filesystem::path& file);
// The same from a file already parsed (what the one above does after parsing; the fuzz
// target parses text it holds in memory).
DeviceConfig load_device_config(const config::TomlFile& file);

}  // namespace muster::kiosk
