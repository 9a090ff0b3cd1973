// The TOML files a device or a hub is set up with, as any bytes at all: the first byte
// chooses the kiosk's device file (odd: load_device_config, kiosk/model/device_config.cpp)
// or the server's sync-server.toml (even: load_server_config and validate,
// sync-server/server/server_config.cpp); the rest is the file's text, parsed from memory
// (config::TomlFile's text constructor) as if it were a file in a folder that does not exist.
//
// A file the loader refuses must be refused with muster::ConfigError (the type the kiosk and
// the server report to the operator as "<file>: <field>: <what>") and a message; any other
// exception, a crash or a sanitizer report is a finding. A file it accepts must give
// settings within the ranges the docs promise.
#include "device_config.hpp"
#include "server_config.hpp"

#include "muster/config/toml_file.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace muster;

void check(bool condition) {
    if (!condition) std::abort();  // libFuzzer keeps the input as a crash
}

// Under a folder that does not exist: relative paths in the file resolve against it, and
// nothing the loaders check on disk can be there.
const std::filesystem::path device_file = "/nonexistent/muster-fuzz/device.toml";
const std::filesystem::path server_file = "/nonexistent/muster-fuzz/sync-server.toml";

void load_device(std::string_view text) {
    const config::TomlFile file(device_file, text);
    const kiosk::DeviceConfig c = kiosk::load_device_config(file);
    check(!c.device_id.empty());
    check(c.event_id > 0);
    check(c.mode != DeviceMode::room || c.room_id);
    check(c.satisfaction_timeout_s >= 3 && c.satisfaction_timeout_s <= 120);
    check(c.width >= 320 && c.width <= 7680 && c.height >= 240 && c.height <= 4320);
    check(c.staff_pin_hash.rfind("pbkdf2-sha256$", 0) == 0);
    check(c.public_key.is_absolute() && c.database.is_absolute());
    for (const auto& url : c.server_urls) {
        check(url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0);
        check(url.back() != '/');
    }
    if (!c.server_urls.empty()) check(c.server_secret.is_absolute() && c.sync_poll_ms >= 100);
    (void)c.sync_settings();
}

void load_server(std::string_view text) {
    const config::TomlFile file(server_file, text);
    const server::ServerConfig c = server::load_server_config(file);
    check(c.threads >= 1 && c.threads <= 64);
    check(c.body_bytes >= 1024 && c.request_timeout_ms >= 100);
    check(!c.database.empty());
    check(server::connections_per_address(c) >= 1 && server::connections_per_address(c) <= c.max_connections);
    (void)server::reply_deadline(c, c.body_bytes);
    // What the server checks before it starts (addresses, files on disk): the same rule.
    server::validate(c);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        if (data[0] & 1) load_device(text);
        else load_server(text);
    } catch (const ConfigError& e) {
        check(std::string_view(e.what()).size() > 0);
    }
    // Anything else escapes and is a finding (libFuzzer reports the uncaught exception).
    return 0;
}
