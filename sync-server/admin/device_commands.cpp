#include "command.hpp"
#include "device_provision.hpp"
#include "muster/store/device_store.hpp"
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
    spec.name = a.get_text("name", limits::label_chars).value_or(spec.id);
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
    switch (store::revoke_device(*db, id, uk_time::now_ms())) {
        case store::Revocation::no_such_device: throw UsageError("no device called '" + id + "' (see: muster device list)");
        case store::Revocation::already_revoked: ctx.out << "Device " << id << " was already revoked\n"; return 0;
        case store::Revocation::revoked: break;
    }
    ctx.out << "Device " << id << " revoked: the sync server refuses it from now on\n";
    return 0;
}

int list(const Args&, Context& ctx) {
    auto db = ctx.hub.open();
    for (const auto& [d, records] : store::list_devices(*db)) {
        ctx.out << d.id << "  " << to_string(d.mode) << "  event " << d.event_id;
        if (d.room_id) ctx.out << " room " << *d.room_id;
        ctx.out << "  \"" << d.name << "\"  " << records << " records on the hub";
        if (d.revoked_ms) ctx.out << "  REVOKED";
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
