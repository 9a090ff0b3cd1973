#include "command.hpp"
#include "device_provision.hpp"
#include "muster/time/uk_time.hpp"

#include <openssl/rand.h>

#include <ostream>

namespace muster::admin {
namespace {

std::string random_pin() {
    unsigned char b[4];
    if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("no randomness for a PIN");
    unsigned v = (unsigned{b[0]} << 24 | unsigned{b[1]} << 16 | unsigned{b[2]} << 8 | b[3]) % 1000000;
    std::string s = std::to_string(v);
    return std::string(6 - s.size(), '0') + s;
}

int add(const Args& a, Context& ctx) {
    DeviceSpec spec;
    spec.id = a.require("id");
    spec.name = a.get("name").value_or(spec.id);
    auto mode = parse_device_mode(a.get("mode").value_or("entrance"));
    if (!mode) throw UsageError("--mode must be entrance or room");
    spec.mode = *mode;
    spec.event_id = a.require_int("event");
    if (auto r = a.get_int("room")) spec.room_id = *r;
    spec.server_url = a.get("server").value_or(ctx.hub.default_server_url());
    bool generated_pin = !a.get("pin");
    spec.pin = a.get("pin").value_or(random_pin());
    std::filesystem::path out = a.get("out").value_or((ctx.hub.dir() / "devices" / spec.id).string());
    auto db = ctx.hub.open();
    auto path = provision_device(ctx.hub, *db, spec, out);
    ctx.out << "Device " << spec.id << " provisioned in " << out.string() << "\n"
            << "  start it with: muster-kiosk --config " << path.string() << "\n";
    if (generated_pin) ctx.out << "  staff PIN: " << spec.pin << " (shown once; only its hash is stored)\n";
    return 0;
}

// Cuts a device off at once: the server refuses its next request (403). Its records
// already stored stay; a revoked device cannot be brought back, only a new one added.
int revoke(const Args& a, Context& ctx) {
    auto id = a.require("id");
    auto db = ctx.hub.open();
    auto s = db->prepare("UPDATE devices SET revoked_ms = ?2 WHERE id = ?1 AND revoked_ms IS NULL");
    s.bind(1, id).bind(2, uk_time::now_ms());
    s.run();
    if (db->changes() == 0) {
        auto known = db->prepare("SELECT 1 FROM devices WHERE id = ?1");
        known.bind(1, id);
        if (!known.step()) throw UsageError("no device called '" + id + "' (see: muster device list)");
        ctx.out << "Device " << id << " was already revoked\n";
        return 0;
    }
    ctx.out << "Device " << id << " revoked: the sync server refuses it from now on\n";
    return 0;
}

int list(const Args&, Context& ctx) {
    auto db = ctx.hub.open();
    auto s = db->prepare(
        "SELECT d.id, d.name, d.mode, d.event_id, d.room_id, d.revoked_ms, "
        "(SELECT COUNT(*) FROM check_ins c WHERE c.device_id = d.id) FROM devices d ORDER BY d.id");
    while (s.step()) {
        ctx.out << s.text(0) << "  " << s.text(2) << "  event " << s.int64(3);
        if (auto room = s.opt_int64(4)) ctx.out << " room " << *room;
        ctx.out << "  \"" << s.text(1) << "\"  " << s.int64(6) << " records on the hub";
        if (s.opt_int64(5)) ctx.out << "  REVOKED";
        ctx.out << "\n";
    }
    return 0;
}

}  // namespace

std::vector<Command> device_commands() {
    return {{"device add", "Provision a kiosk or room device: its folder with device file, roster and public key",
             "--id ID --event ID [--mode entrance|room] [--room ID] [--name TEXT] [--pin DIGITS] [--server URL] [--out DIR]",
             {"id", "event", "mode", "room", "name", "pin", "server", "out"}, {}, add},
            {"device revoke", "Cut a device off: the sync server refuses its requests from now on", "--id ID", {"id"}, {},
             revoke},
            {"device list", "List the hub's devices", "", {}, {}, list}};
}

}  // namespace muster::admin
