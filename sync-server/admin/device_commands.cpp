#include "command.hpp"
#include "device_provision.hpp"

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
    spec.server_url = a.get("server").value_or("");
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

}  // namespace

std::vector<Command> device_commands() {
    return {{"device add", "Provision a kiosk or room device: its folder with device file, roster and public key",
             "--id ID --event ID [--mode entrance|room] [--room ID] [--name TEXT] [--pin DIGITS] [--server URL] [--out DIR]",
             {"id", "event", "mode", "room", "name", "pin", "server", "out"}, {}, add}};
}

}  // namespace muster::admin
