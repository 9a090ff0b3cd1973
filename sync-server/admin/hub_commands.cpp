#include "command.hpp"
#include "server_address.hpp"
#include "tls_certificate.hpp"

#include "muster/db/postgresql.hpp"

#include <algorithm>
#include <ostream>

namespace muster::admin {
namespace {

int init(const Args& a, Context& ctx) {
    ServerSetup server;
    server.hosts = split_hosts(a.get("host").value_or(""));
    server.listen = a.get("listen").value_or(server.listen);
    if (auto port = a.get_int("port")) server.port = static_cast<int>(std::clamp<long long>(*port, -1, 65536));
    server.database = a.get("database").value_or("");
    auto address = ctx.hub.create(a.require_text("name", limits::label_chars), server);
    auto db = ctx.hub.open();
    auto info = ctx.hub.info(*db);
    ctx.out << "Created hub \"" << info.name << "\" in " << ctx.hub.dir().string() << "\n"
            << "  database:     " << db::redact_url(ctx.hub.database_location()) << "\n"
            << "  signing key:  " << ctx.hub.private_key_path().string()
            << " (mode 600; keep it on this machine, never on a kiosk)\n"
            << "  public key:   " << ctx.hub.public_key_path().string() << " (key id " << info.key_id << ")\n"
            << "  sync server:  " << ctx.hub.server_config_path().string() << " (listens on " << server.listen << " port "
            << server.port << "; devices will use " << address.url << ")\n"
            << "                " << address.note << "\n"
            << "  TLS:          " << ctx.hub.tls_certificate_path().string() << " (self-signed for "
            << (address.host == "localhost" ? "" : address.host + ", ") << "localhost and 127.0.0.1; each device pins it)\n"
            << "  device secrets key: " << ctx.hub.device_secrets_key_path().string()
            << " (mode 600; back it up with the database: without it no device can sync)\n";
    return 0;
}

// The device folders `muster device add` made in the hub (devices/<id>/device.toml).
std::vector<std::filesystem::path> device_folders(const HubDir& hub) {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(hub.dir() / "devices", ec))
        if (entry.is_directory() && std::filesystem::exists(entry.path() / "device.toml")) out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

int server_cert(const Args& a, Context& ctx) {
    auto db = ctx.hub.open();
    auto info = ctx.hub.info(*db);
    auto hosts = split_hosts(a.get("host").value_or(""));
    std::string old_url = ctx.hub.default_server_url();
    auto current = parse_server_url(old_url);
    // No --host: the new certificate keeps naming the host devices are already told.
    bool keep_host = hosts.empty();
    if (keep_host && !current.host.empty() && current.host != "localhost" && current.host.rfind("127.", 0) != 0)
        hosts.push_back(current.host);
    write_self_signed_certificate(ctx.hub.tls_certificate_path(), ctx.hub.tls_key_path(), info.name, hosts);
    ctx.out << "New certificate in " << ctx.hub.tls_certificate_path().string() << " for ";
    for (const auto& h : hosts) ctx.out << h << ", ";
    ctx.out << "localhost and 127.0.0.1\n";

    std::string new_url = old_url;
    if (!keep_host) {
        std::string scheme = current.scheme.empty() ? "https" : current.scheme;
        int port = current.port > 0 ? current.port : ctx.hub.server_port();
        new_url = format_server_url(scheme, hosts.front(), port);
        if (new_url != old_url) {
            ctx.hub.set_public_url(new_url);
            ctx.out << "public_url in " << ctx.hub.server_config_path().string() << " is now " << new_url
                    << (old_url.empty() ? "" : " (was " + old_url + ")") << "\n";
        }
        if (is_loopback_listen(ctx.hub.server_listen()))
            ctx.out << "Note: server.listen is " << ctx.hub.server_listen()
                    << ": devices on other machines cannot reach the server until it is \"0.0.0.0\"\n";
    }
    ctx.out << "Restart muster-sync-server so that it serves the new certificate.\n";
    auto folders = device_folders(ctx.hub);
    if (folders.empty()) {
        ctx.out << "No device folders in " << (ctx.hub.dir() / "devices").string()
                << ": devices provisioned from now on get the new certificate.\n";
        return 0;
    }
    ctx.out << "Each device pins the old certificate and needs the new one: provision it again, or copy "
            << ctx.hub.tls_certificate_path().string() << " into its folder as server-cert.pem";
    if (new_url != old_url) ctx.out << " and set url = \"" << new_url << "\" in its device.toml";
    ctx.out << ". Device folders here (and any made with device add --out elsewhere):\n";
    for (const auto& f : folders) ctx.out << "  " << f.string() << "\n";
    return 0;
}

}  // namespace

std::vector<Command> hub_commands() {
    return {{"init", "Create a hub: its database, its badge-signing key pair and its sync server's files",
             "--name NAME [--host NAME[,NAME...]] [--listen ADDRESS] [--port N] [--database URL] [--hub DIR]\n\n"
             "  --listen   where the sync server listens: 0.0.0.0 (default, every address: a venue network)\n"
             "             or 127.0.0.1 (this machine only)\n"
             "  --port     the sync server's port (default 8443)\n"
             "  --host     the names or IPv4 addresses devices use to reach this machine; the first goes\n"
             "             into public_url (what devices are given), all into the TLS certificate.\n"
             "             Without it: this machine's host name + .local (needs mDNS; README, \"On a venue network\")\n"
             "  --database a postgresql:// URL: the hub's store on PostgreSQL (docs/scale.md) instead of\n"
             "             hub.db in the folder. No password in it: libpq reads it from ~/.pgpass or PGPASSFILE",
             {"name", "host", "listen", "port", "database"}, {}, init},
            {"server cert",
             "Make a new self-signed TLS certificate for the sync server; --host also sets public_url (devices need the new certificate)",
             "[--host NAME[,NAME...]] [--hub DIR]\n\n"
             "  --host  the names or IPv4 addresses devices use; the first becomes public_url's host (port\n"
             "          and scheme kept). Without it, the certificate names public_url's current host.",
             {"host"}, {}, server_cert}};
}

}  // namespace muster::admin
