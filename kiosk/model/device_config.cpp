#include "device_config.hpp"

#include "muster/config/toml_file.hpp"

namespace muster::kiosk {

DeviceConfig load_device_config(const std::filesystem::path& file) {
    const config::TomlFile r(file);
    DeviceConfig c;
    c.device_id = r.text("device.id", std::nullopt);
    if (c.device_id.empty()) r.fail("device.id", "must not be empty");
    c.name = r.text("device.name", c.device_id);
    auto mode = parse_device_mode(r.text("device.mode", "entrance"));
    if (!mode) r.fail("device.mode", "must be \"entrance\" or \"room\"");
    c.mode = *mode;
    c.event_id = r.integer("device.event", std::nullopt);
    if (c.event_id <= 0) r.fail("device.event", "must be an event id (see: muster event list)");
    using Kind = config::TomlFile::Kind;
    if (const Kind session = r.kind("device.session"); session == Kind::integer) c.session_id = r.integer("device.session");
    else if (session != Kind::absent && (session != Kind::text || r.text("device.session") != "auto"))
        r.fail("device.session", "must be \"auto\" or a session id");
    c.room_id = r.integer("device.room");
    if (c.mode == DeviceMode::room && !c.room_id) r.fail("device.room", "a room device needs its room id");
    auto direction = parse_direction(r.text("device.direction", "entry"));
    if (!direction) r.fail("device.direction", "must be \"entry\" or \"exit\"");
    c.direction = *direction;
    c.satisfaction_question = r.flag("device.satisfaction_question", true);
    c.satisfaction_timeout_s = static_cast<int>(r.integer_between("device.satisfaction_timeout_s", 10, 3, 120));

    c.wedge = r.flag("inputs.wedge", true);
    c.camera = r.flag("inputs.camera", false);
    c.camera_device = r.text("inputs.camera_device", "/dev/video0");
    c.nfc = r.flag("inputs.nfc", false);
    c.nfc_connstring = r.text("inputs.nfc_connstring", "");

    c.staff_pin_hash = r.text("staff.pin_hash", std::nullopt);
    if (c.staff_pin_hash.rfind("pbkdf2-sha256$", 0) != 0)
        r.fail("staff.pin_hash", "must be a hashed PIN (pbkdf2-sha256$...), never the PIN itself");
    c.public_key = r.path("security.public_key");
    c.database = r.path("storage.database");
    c.server_url = r.text("server.url", "");
    if (!c.server_url.empty()) {
        bool https = c.server_url.rfind("https://", 0) == 0;
        if (!https && c.server_url.rfind("http://", 0) != 0) r.fail("server.url", "must start with https:// (or http:// on loopback)");
        c.server_secret = r.path("server.secret");
        if (https) c.server_certificate = r.path("server.certificate");
        c.sync_poll_ms = static_cast<int>(r.integer_between("server.poll_ms", 2000, 100, 600'000));
        c.sync_push = r.flag("server.push", true);
    }

    c.fullscreen = r.flag("screen.fullscreen", true);
    c.width = static_cast<int>(r.integer_between("screen.width", 1280, 320, 7680));
    c.height = static_cast<int>(r.integer_between("screen.height", 800, 240, 4320));
    c.sound = r.flag("screen.sound", false);
    c.font = r.path("screen.font", c.font.string());
    c.font_bold = r.path("screen.font_bold", c.font_bold.string());
    c.sounds = r.path("screen.sounds", c.sounds.string());
    return c;
}

std::filesystem::path DeviceConfig::default_sounds() { return std::filesystem::path(MUSTER_ASSETS_DIR) / "sounds"; }

SyncSettings DeviceConfig::sync_settings() const {
    SyncSettings s{device_id, database, server_url, server_secret, server_certificate,
                   std::chrono::milliseconds(sync_poll_ms)};
    s.push = sync_push;
    return s;
}

}  // namespace muster::kiosk
