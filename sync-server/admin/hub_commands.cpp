#include "command.hpp"

#include <ostream>

namespace muster::admin {

std::vector<Command> hub_commands() {
    return {{"init", "Create a hub: its database and its badge-signing key pair", "--name NAME [--hub DIR]", {"name"}, {},
             [](const Args& a, Context& ctx) {
                 ctx.hub.create(a.require("name"));
                 auto db = ctx.hub.open();
                 auto info = ctx.hub.info(*db);
                 ctx.out << "Created hub \"" << info.name << "\" in " << ctx.hub.dir().string() << "\n"
                         << "  database:     " << ctx.hub.database_path().string() << "\n"
                         << "  signing key:  " << ctx.hub.private_key_path().string()
                         << " (mode 600; keep it on this machine, never on a kiosk)\n"
                         << "  public key:   " << ctx.hub.public_key_path().string() << " (key id " << info.key_id << ")\n";
                 return 0;
             }}};
}

}  // namespace muster::admin
