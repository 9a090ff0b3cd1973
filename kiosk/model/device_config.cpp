#include "device_config.hpp"

#include "muster/config/toml_file.hpp"

#include <algorithm>
#include <string_view>

namespace muster::kiosk {
namespace {

// The host a plain http:// URL may name: this machine (a test's server), nothing on a network.
bool is_loopback(std::string_view host) {
    return host == "localhost" || host.starts_with("127.") || host == "[::1]" || host == "::1";
}

// Why one server URL cannot be used ("" when it can): the shape HttpClient takes.
std::string url_problem(std::string_view url) {
    bool https = url.starts_with("https://");
    if (!https && !url.starts_with("http://")) return "must start with https:// (or http:// on loopback)";
    std::string_view rest = url.substr(https ? 8 : 7);
    while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    auto colon = rest.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size() || rest.find('/') != std::string_view::npos)
        return "must be scheme://host:port, e.g. https://hub.local:8443";
    if (!https && !is_loopback(rest.substr(0, colon))) return "http:// only to a loopback address (tests); a hub is https://";
    return "";
}

std::string without_trailing_slash(std::string url) {
    while (url.ends_with('/')) url.pop_back();
    return url;
}

// [server] url: one URL, or a list of them to fail over between (the same hub's server
// processes). "" (one empty string) or absent: the device does not sync.
std::vector<std::string> server_urls(const config::TomlFile& r) {
    auto urls = r.text_list("server.url");
    bool one = r.kind("server.url") == config::TomlFile::Kind::text;
    if (!urls || (one && urls->front().empty())) return {};
    if (urls->empty()) r.fail("server.url", "the list is empty: give at least one URL (or url = \"\" for a device that does not sync)");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < urls->size(); ++i) {
        std::string field = one ? "server.url" : "server.url[" + std::to_string(i) + "]";
        const auto& url = (*urls)[i];
        if (auto why = url_problem(url); !why.empty()) r.fail(field, why);
        auto same = std::find(out.begin(), out.end(), without_trailing_slash(url));
        if (same != out.end()) r.fail(field, "the same as server.url[" + std::to_string(same - out.begin()) + "]: list each server once");
        out.push_back(without_trailing_slash(url));
    }
    return out;
}

}  // namespace

DeviceConfig load_device_config(const std::filesystem::path& file) { return load_device_config(config::TomlFile(file)); }

DeviceConfig load_device_config(const config::TomlFile& r) {
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
    // [privacy]: the device's TRN key, and how long after its event it keeps the roster.
    c.trn_key = r.path("privacy.trn_key", "trn.key");
    c.purge_after_days = static_cast<int>(r.integer_between("privacy.purge_after_days", 7, 0, 3650));
    c.server_urls = server_urls(r);
    if (!c.server_urls.empty()) {
        c.server_secret = r.path("server.secret");
        bool any_https = std::any_of(c.server_urls.begin(), c.server_urls.end(), [](const std::string& u) { return u.starts_with("https://"); });
        if (any_https) c.server_certificate = r.path("server.certificate");
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
    SyncSettings s;
    s.device_id = device_id;
    s.database = database;
    s.server_urls = server_urls;
    s.secret_file = server_secret;
    s.certificate = server_certificate;
    s.poll = std::chrono::milliseconds(sync_poll_ms);
    s.push = sync_push;
    s.trn_key = trn_key;
    return s;
}

}  // namespace muster::kiosk
