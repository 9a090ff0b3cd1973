#include "device_provision.hpp"

#include "cli_args.hpp"
#include "hub_dir.hpp"
#include "muster/store/device_privacy.hpp"
#include "muster/store/device_store.hpp"
#include "muster/store/event_admin_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/replica_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/store/settings_store.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/sync/request_signing.hpp"
#include "muster/util/pin_hash.hpp"
#include "muster/util/private_files.hpp"

#include <sys/stat.h>

#include <fstream>

namespace muster::admin {

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string toml_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) continue;  // a name has no control characters
        out += c;
    }
    return out + "\"";
}

namespace {

// [server] url: one URL as a string (as before lists existed), several as a list.
std::string server_url_value(const std::vector<std::string>& urls) {
    if (urls.size() == 1) return toml_string(urls.front()) + "   # empty: this device does not sync";
    std::string out = "[";
    for (std::size_t i = 0; i < urls.size(); ++i) out += (i ? ", " : "") + toml_string(urls[i]);
    return out + "]   # the hub's server processes: the device uses one and fails over to the next";
}

}  // namespace

// The device's request-signing secret, readable by its owner only.
void write_secret_file(const std::filesystem::path& path, const sync::DeviceSecret& secret) {
    std::filesystem::remove(path);
    {
        std::ofstream f(path);
        ::chmod(path.c_str(), 0600);  // before the secret is written
        f << sync::secret_to_hex(secret) << "\n";
        if (!f.flush()) throw UsageError("cannot write " + path.string());
    }
}

bool is_valid_device_id(std::string_view id) {
    if (id.empty() || id.size() > 40) return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

void write_device_database(db::Database& hub_db, const std::filesystem::path& device_db_path,
                           EventId event, std::int64_t seq_floor) {
    std::filesystem::remove(device_db_path);
    // The device's own TRN key, beside its database: the roster's TRNs are written only as
    // hashes under it (docs/privacy.md). A new database gets a new key.
    auto key_file = device_db_path.parent_path() / "trn.key";
    std::filesystem::remove(key_file);
    auto key = store::create_trn_key(key_file);
    auto dev = store::open_database(device_db_path);
    store::copy_hub_to_device(*dev, hub_db, event, key);
    store::secure_device_trns(*dev, key_file);  // records the key's check value
    if (seq_floor > 0) store::set_setting(*dev, std::string(store::device_seq_floor_key), std::to_string(seq_floor));
}

void check_device_spec(db::Database& hub_db, const DeviceSpec& spec) {
    if (!is_valid_device_id(spec.id)) throw UsageError("device id must be 1-40 of a-z, 0-9 and '-', e.g. entrance-1");
    auto event = store::load_event(hub_db, spec.event_id);
    if (!event) throw UsageError("no event " + std::to_string(spec.event_id) + " (see: muster event list)");
    if (auto cancelled = store::event_cancellation(hub_db, spec.event_id))
        throw UsageError("event " + std::to_string(spec.event_id) + " was cancelled (" + cancelled->reason +
                         "): a device serves an event that takes place (see: muster event list)");
    if (spec.mode == DeviceMode::room) {
        if (!spec.room_id) throw UsageError("a room device needs --room ID");
        bool found = false;
        for (const auto& r : event->rooms) found = found || r.id == *spec.room_id;
        if (!found) throw UsageError("room " + std::to_string(*spec.room_id) + " is not part of event " + std::to_string(event->id));
    }
}

std::filesystem::path provision_device(const HubDir& hub, db::Database& hub_db, const DeviceSpec& spec,
                                       const std::filesystem::path& out, bool reissue) {
    check_device_spec(hub_db, spec);
    if (std::filesystem::exists(out / "device.toml")) throw UsageError(out.string() + " already holds a device");
    std::string pin_hash = hash_pin(spec.pin);
    auto secret = sync::generate_secret();
    // The hub keeps the secret sealed (a copy of hub.db cannot sign as the device); the
    // device keeps it bare in device.secret, in its own 0700 folder.
    auto sealed = sync::seal_device_secret(hub.device_secrets_key(hub_db), spec.id, secret);

    // The row first (a reissued one with its new secret): from here the old folder cannot
    // sign, so the sequence floor read below cannot be overtaken by an upload from it.
    store::NewDevice row{spec.id, spec.name, spec.mode, spec.event_id, spec.room_id, uk_time::now_ms(), sealed};
    if (reissue ? !store::reissue_device(hub_db, row) : !store::insert_device(hub_db, row))
        throw UsageError(reissue ? "no device called '" + spec.id + "' (see: muster device list)"
                                 : "a device called '" + spec.id + "' already exists (see: muster device list; to use it "
                                   "for another event: muster device move)");
    create_private_folder(out);
    std::filesystem::copy_file(hub.public_key_path(), out / "hub-public.pem", std::filesystem::copy_options::overwrite_existing);
    write_device_database(hub_db, out / "device.db", spec.event_id, store::hub_device_seq_max(hub_db, spec.id));
    write_secret_file(out / "device.secret", secret);
    bool have_cert = std::filesystem::exists(hub.tls_certificate_path());
    if (have_cert)
        std::filesystem::copy_file(hub.tls_certificate_path(), out / "server-cert.pem",
                                   std::filesystem::copy_options::overwrite_existing);

    auto path = out / "device.toml";
    std::ofstream f(path);
    f << "# Muster device file for " << spec.id << " (written by `muster device add`).\n"
      << "# Paths are relative to this file. See device-config/README.md.\n\n"
      << "[device]\n"
      << "id = \"" << spec.id << "\"\n"
      << "name = " << toml_string(spec.name) << "\n"
      << "mode = \"" << to_string(spec.mode) << "\"          # entrance | room\n"
      << "event = " << spec.event_id << "\n"
      << "session = \"auto\"           # \"auto\" follows the clock, or a session id\n";
    if (spec.room_id) f << "room = " << *spec.room_id << "\n";
    f << "direction = \"entry\"         # entry | exit\n\n"
      << "[inputs]\n"
      << "wedge = true\n"
      << "camera = false\n"
      << "camera_device = \"/dev/video0\"\n"
      << "nfc = false\n"
      << "nfc_connstring = \"\"         # e.g. \"pn532_uart:/dev/ttyUSB0:115200\"; empty = libnfc auto-scan\n\n"
      << "[staff]\n"
      << "pin_hash = \"" << pin_hash << "\"\n\n"
      << "[security]\n"
      << "public_key = \"hub-public.pem\"\n\n"
      << "[storage]\n"
      << "database = \"device.db\"\n\n"
      << "[privacy]\n"
      << "trn_key = \"trn.key\"            # this device's key for hashing TRNs (mode 600)\n"
      << "purge_after_days = 7            # the roster is deleted this many days after the event\n\n"
      << "[server]\n"
      << "url = " << server_url_value(spec.server_urls) << "\n"
      << "secret = \"device.secret\"        # this device's key for signing requests (mode 600)\n"
      << (have_cert ? "" : "# ") << "certificate = \"server-cert.pem\"  # the hub server's certificate, pinned\n"
      << "poll_ms = 2000                  # how often to fetch other devices' scans and roster changes\n\n"
      << "[screen]\n"
      << "fullscreen = true\n"
      << "width = 1280\n"
      << "height = 800\n"
      << "sound = false\n";
    if (!f.flush()) throw UsageError("cannot write " + path.string());
    return path;
}

}  // namespace muster::admin
