#include "device_provision.hpp"

#include "cli_args.hpp"
#include "hub_dir.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/sync/request_signing.hpp"
#include "muster/util/pin_hash.hpp"

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

void write_device_database(const std::filesystem::path& hub_db_path, const std::filesystem::path& device_db_path,
                           EventId event) {
    std::filesystem::remove(device_db_path);
    auto dev = store::open_database(device_db_path);
    auto attach = dev->prepare("ATTACH DATABASE ?1 AS hub");
    attach.bind(1, hub_db_path.string());
    attach.run();
    {
        db::Transaction tx(*dev);
        // Everyone on the roster: a person not expected here (an alternate date) must still
        // be recognised. Emails are left behind: the kiosk never needs them.
        dev->exec("INSERT INTO hub SELECT * FROM hub.hub");
        dev->exec("UPDATE change_clock SET value = (SELECT value FROM hub.change_clock)");
        dev->exec("INSERT INTO participants (id, trn, email, first_name, last_name, preferred_name, school_name, school_urn, "
                  "role, programme, cohort, programme_year, part_time, lead_provider, delivery_partner, changed_at) "
                  "SELECT id, trn, NULL, first_name, last_name, preferred_name, school_name, school_urn, role, programme, "
                  "cohort, programme_year, part_time, NULL, NULL, changed_at FROM hub.participants");
        auto copy_event = [&](const char* sql) {
            auto s = dev->prepare(sql);
            s.bind(1, event);
            s.run();
        };
        copy_event("INSERT INTO events SELECT * FROM hub.events WHERE id = ?1");
        copy_event("INSERT INTO sessions SELECT * FROM hub.sessions WHERE event_id = ?1");
        copy_event("INSERT INTO rooms SELECT * FROM hub.rooms WHERE event_id = ?1");
        copy_event("INSERT INTO room_facilitators SELECT f.* FROM hub.room_facilitators f JOIN hub.rooms r ON r.id = f.room_id WHERE r.event_id = ?1");
        copy_event("INSERT INTO enrolments SELECT * FROM hub.enrolments WHERE event_id = ?1");
        copy_event("INSERT INTO check_ins SELECT * FROM hub.check_ins WHERE event_id = ?1");
        copy_event("INSERT INTO corrections SELECT * FROM hub.corrections WHERE event_id = ?1");
        dev->exec("INSERT INTO badges SELECT * FROM hub.badges");
        dev->exec("INSERT INTO nfc_cards SELECT * FROM hub.nfc_cards");
        // The device has everything up to the hub's clock now: its first sync asks from here.
        dev->exec("INSERT INTO settings (key, value) SELECT 'sync.cursor', value FROM hub.change_clock");
        tx.commit();
    }
    dev->exec("DETACH DATABASE hub");
}

std::filesystem::path provision_device(const HubDir& hub, db::Database& hub_db, const DeviceSpec& spec,
                                       const std::filesystem::path& out) {
    if (!is_valid_device_id(spec.id)) throw UsageError("device id must be 1-40 of a-z, 0-9 and '-', e.g. entrance-1");
    auto event = store::load_event(hub_db, spec.event_id);
    if (!event) throw UsageError("no event " + std::to_string(spec.event_id) + " (see: muster event list)");
    if (spec.mode == DeviceMode::room) {
        if (!spec.room_id) throw UsageError("a room device needs --room ID");
        bool found = false;
        for (const auto& r : event->rooms) found = found || r.id == *spec.room_id;
        if (!found) throw UsageError("room " + std::to_string(*spec.room_id) + " is not part of event " + std::to_string(event->id));
    }
    if (std::filesystem::exists(out / "device.toml")) throw UsageError(out.string() + " already holds a device");
    std::string pin_hash = hash_pin(spec.pin);
    auto secret = sync::generate_secret();

    {
        auto s = hub_db.prepare(
            "INSERT INTO devices (id, name, mode, event_id, room_id, created_ms, secret) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        s.bind_all(spec.id, spec.name, std::string(to_string(spec.mode)), spec.event_id);
        s.bind(5, spec.room_id).bind(6, uk_time::now_ms()).bind_blob(7, secret.data(), secret.size());
        try {
            s.run();
        } catch (const db::Error& e) {
            throw UsageError("a device called '" + spec.id + "' already exists");
        }
    }
    std::filesystem::create_directories(out);
    std::filesystem::copy_file(hub.public_key_path(), out / "hub-public.pem", std::filesystem::copy_options::overwrite_existing);
    write_device_database(hub.database_path(), out / "device.db", spec.event_id);
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
      << "[server]\n"
      << "url = " << toml_string(spec.server_url) << "   # empty: this device does not sync\n"
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
