#include "command.hpp"
#include "tls_certificate.hpp"

#include <ostream>

namespace muster::admin {
namespace {

std::vector<std::string> split_hosts(const std::string& list) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : list + ",") {
        if (c == ',') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else if (c != ' ') {
            cur += c;
        }
    }
    return out;
}

}  // namespace

std::vector<Command> hub_commands() {
    return {{"init", "Create a hub: its database and its badge-signing key pair", "--name NAME [--host NAME[,NAME...]] [--hub DIR]", {"name", "host"}, {},
             [](const Args& a, Context& ctx) {
                 ctx.hub.create(a.require_text("name", limits::label_chars), split_hosts(a.get("host").value_or("")));
                 auto db = ctx.hub.open();
                 auto info = ctx.hub.info(*db);
                 ctx.out << "Created hub \"" << info.name << "\" in " << ctx.hub.dir().string() << "\n"
                         << "  database:     " << ctx.hub.database_path().string() << "\n"
                         << "  signing key:  " << ctx.hub.private_key_path().string()
                         << " (mode 600; keep it on this machine, never on a kiosk)\n"
                         << "  public key:   " << ctx.hub.public_key_path().string() << " (key id " << info.key_id << ")\n"
                         << "  sync server:  " << ctx.hub.server_config_path().string() << " (devices will use "
                         << ctx.hub.default_server_url() << ")\n"
                         << "  TLS:          " << ctx.hub.tls_certificate_path().string()
                         << " (self-signed; each device pins it)\n"
                         << "  device secrets key: " << ctx.hub.device_secrets_key_path().string()
                         << " (mode 600; back it up with hub.db: without it no device can sync)\n";
                 return 0;
             }},
            {"server cert", "Make a new self-signed TLS certificate for the sync server (devices must be re-provisioned)",
             "[--host NAME[,NAME...]] [--hub DIR]", {"host"}, {},
             [](const Args& a, Context& ctx) {
                 auto db = ctx.hub.open();
                 auto info = ctx.hub.info(*db);
                 auto hosts = split_hosts(a.get("host").value_or(""));
                 write_self_signed_certificate(ctx.hub.tls_certificate_path(), ctx.hub.tls_key_path(), info.name, hosts);
                 ctx.out << "New certificate in " << ctx.hub.tls_certificate_path().string()
                         << "; copy it to each device folder as server-cert.pem\n";
                 return 0;
             }}};
}

}  // namespace muster::admin
