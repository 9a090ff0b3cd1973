#include "device_config.hpp"

#include <toml++/toml.h>

namespace muster::kiosk {
namespace {

class Reader {
public:
    Reader(const toml::table& root, std::filesystem::path file) : root_(root), file_(std::move(file)) {}

    [[noreturn]] void fail(const std::string& field, const std::string& what) const {
        throw ConfigError(file_.string() + ": " + field + ": " + what);
    }

    const toml::node* node(const std::string& section, const std::string& key) const {
        auto* table = root_.get_as<toml::table>(section);
        return table ? table->get(key) : nullptr;
    }

    std::string text(const std::string& section, const std::string& key, std::optional<std::string> fallback) const {
        const auto* n = node(section, key);
        if (!n) {
            if (fallback) return *fallback;
            fail(section + "." + key, "missing");
        }
        auto v = n->value<std::string>();
        if (!v) fail(section + "." + key, "must be a string in quotes");
        return *v;
    }

    std::optional<std::int64_t> integer(const std::string& section, const std::string& key, bool required) const {
        const auto* n = node(section, key);
        if (!n) {
            if (required) fail(section + "." + key, "missing");
            return std::nullopt;
        }
        if (!n->is_integer()) fail(section + "." + key, "must be a whole number");
        return n->value<std::int64_t>();
    }

    bool flag(const std::string& section, const std::string& key, bool fallback) const {
        const auto* n = node(section, key);
        if (!n) return fallback;
        if (!n->is_boolean()) fail(section + "." + key, "must be true or false");
        return *n->value<bool>();
    }

    std::filesystem::path path(const std::string& section, const std::string& key) const {
        std::filesystem::path p = text(section, key, std::nullopt);
        if (p.empty()) fail(section + "." + key, "must not be empty");
        return p.is_absolute() ? p : file_.parent_path() / p;
    }

    std::filesystem::path path(const std::string& section, const std::string& key, const std::filesystem::path& fallback) const {
        return node(section, key) ? path(section, key) : fallback;
    }

private:
    const toml::table& root_;
    std::filesystem::path file_;
};

}  // namespace

DeviceConfig load_device_config(const std::filesystem::path& file) {
    toml::table root;
    try {
        root = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw ConfigError(file.string() + ":" + std::to_string(e.source().begin.line) + ": not valid TOML: " +
                          std::string(e.description()));
    }
    Reader r(root, std::filesystem::absolute(file));
    DeviceConfig c;
    c.device_id = r.text("device", "id", std::nullopt);
    if (c.device_id.empty()) r.fail("device.id", "must not be empty");
    c.name = r.text("device", "name", c.device_id);
    auto mode = parse_device_mode(r.text("device", "mode", "entrance"));
    if (!mode) r.fail("device.mode", "must be \"entrance\" or \"room\"");
    c.mode = *mode;
    c.event_id = *r.integer("device", "event", true);
    if (c.event_id <= 0) r.fail("device.event", "must be an event id (see: muster event list)");
    if (const auto* s = r.node("device", "session")) {
        if (s->is_integer()) c.session_id = s->value<std::int64_t>();
        else if (s->value<std::string>() != "auto") r.fail("device.session", "must be \"auto\" or a session id");
    }
    c.room_id = r.integer("device", "room", false);
    if (c.mode == DeviceMode::room && !c.room_id) r.fail("device.room", "a room device needs its room id");
    auto direction = parse_direction(r.text("device", "direction", "entry"));
    if (!direction) r.fail("device.direction", "must be \"entry\" or \"exit\"");
    c.direction = *direction;

    c.wedge = r.flag("inputs", "wedge", true);
    c.camera = r.flag("inputs", "camera", false);
    c.camera_device = r.text("inputs", "camera_device", "/dev/video0");
    c.nfc = r.flag("inputs", "nfc", false);
    c.nfc_connstring = r.text("inputs", "nfc_connstring", "");

    c.staff_pin_hash = r.text("staff", "pin_hash", std::nullopt);
    if (c.staff_pin_hash.rfind("pbkdf2-sha256$", 0) != 0)
        r.fail("staff.pin_hash", "must be a hashed PIN (pbkdf2-sha256$...), never the PIN itself");
    c.public_key = r.path("security", "public_key");
    c.database = r.path("storage", "database");
    c.server_url = r.text("server", "url", "");
    if (!c.server_url.empty()) {
        bool https = c.server_url.rfind("https://", 0) == 0;
        if (!https && c.server_url.rfind("http://", 0) != 0) r.fail("server.url", "must start with https:// (or http:// on loopback)");
        c.server_secret = r.path("server", "secret");
        if (https) c.server_certificate = r.path("server", "certificate");
        auto poll = r.integer("server", "poll_ms", false).value_or(2000);
        if (poll < 100 || poll > 600'000) r.fail("server.poll_ms", "must be between 100 and 600000");
        c.sync_poll_ms = static_cast<int>(poll);
    }

    c.fullscreen = r.flag("screen", "fullscreen", true);
    c.width = static_cast<int>(r.integer("screen", "width", false).value_or(1280));
    c.height = static_cast<int>(r.integer("screen", "height", false).value_or(800));
    if (c.width < 320 || c.width > 7680) r.fail("screen.width", "must be between 320 and 7680");
    if (c.height < 240 || c.height > 4320) r.fail("screen.height", "must be between 240 and 4320");
    c.sound = r.flag("screen", "sound", false);
    c.font = r.path("screen", "font", c.font);
    c.font_bold = r.path("screen", "font_bold", c.font_bold);
    c.sounds = r.path("screen", "sounds", c.sounds);
    return c;
}

std::filesystem::path DeviceConfig::default_sounds() { return std::filesystem::path(MUSTER_ASSETS_DIR) / "sounds"; }

SyncSettings DeviceConfig::sync_settings() const {
    return SyncSettings{device_id, database, server_url, server_secret, server_certificate,
                        std::chrono::milliseconds(sync_poll_ms)};
}

}  // namespace muster::kiosk
