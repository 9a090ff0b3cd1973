#include "command.hpp"
#include "device_import.hpp"
#include "device_provision.hpp"
#include "device_wipe.hpp"
#include "muster/store/device_store.hpp"
#include "muster/model/field_limits.hpp"
#include "muster/sync/sync_messages.hpp"
#include "muster/time/uk_time.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>
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

// The default folder of a device, hub/devices/ID. When it holds an earlier folder of the same
// id (a device moved, or added again after revocation), that one is set aside as
// hub/devices/ID.before-N, kept for `muster device import`; returns where it went.
std::optional<std::filesystem::path> set_aside_old_folder(const std::filesystem::path& folder) {
    if (!std::filesystem::exists(folder / "device.toml")) return std::nullopt;
    for (int n = 1;; ++n) {
        std::filesystem::path to = folder.string() + ".before-" + std::to_string(n);
        if (std::filesystem::exists(to)) continue;
        std::filesystem::rename(folder, to);
        return to;
    }
}

// Where a device's folder is written: --out, else hub/devices/ID (an older one set aside).
std::filesystem::path device_folder(const Args& a, Context& ctx, const std::string& id, bool set_aside) {
    if (auto out = a.get("out")) return *out;
    auto folder = ctx.hub.dir() / "devices" / id;
    if (set_aside && is_valid_device_id(id))
        if (auto old = set_aside_old_folder(folder))
            ctx.out << "The earlier folder of " << id << " is kept as " << old->string()
                    << " (for: muster device import " << old->string() << ")\n";
    return folder;
}

void print_provisioned(Context& ctx, const DeviceSpec& spec, const std::filesystem::path& out,
                       const std::filesystem::path& path, bool generated_pin) {
    ctx.out << "Device " << spec.id << " provisioned in " << out.string() << "\n"
            << "  start it with: muster-kiosk --config " << path.string() << "\n";
    if (generated_pin) ctx.out << "  staff PIN: " << spec.pin << " (shown once; only its hash is stored)\n";
}

// --server, given once or once per server process of the hub (the device fails over between
// them in this order); the hub's own URL when not given.
std::vector<std::string> server_urls_from(const Args& a, const Context& ctx) {
    auto urls = a.get_all("server");
    if (urls.empty()) return {ctx.hub.default_server_url()};
    if (urls.size() == 1) return urls;  // "" included: a device that does not sync
    for (std::size_t i = 0; i < urls.size(); ++i) {
        if (!urls[i].starts_with("https://") && !urls[i].starts_with("http://"))
            throw UsageError("--server " + urls[i] + ": must be https://host:port (one --server per server process)");
        for (std::size_t j = 0; j < i; ++j)
            if (urls[j] == urls[i]) throw UsageError("--server " + urls[i] + " is given twice");
    }
    return urls;
}

// What `device add` and `device move` are told: --event, and --name, --mode, --room,
// --server and --pin with their defaults (a new PIN is made when none is given).
DeviceSpec spec_from(const Args& a, const Context& ctx, const std::string& id, const std::string& default_name,
                     DeviceMode default_mode) {
    DeviceSpec spec;
    spec.id = id;
    spec.name = a.get_text("name", limits::label_chars).value_or(default_name);
    auto mode = parse_device_mode(a.get("mode").value_or(std::string(to_string(default_mode))));
    if (!mode) throw UsageError("--mode must be entrance or room");
    spec.mode = *mode;
    spec.event_id = a.require_int("event");
    if (auto r = a.get_int("room")) spec.room_id = *r;
    spec.server_urls = server_urls_from(a, ctx);
    spec.pin = a.get("pin").value_or(random_pin());
    return spec;
}

std::string_view status_of(const store::DeviceRow& d) {
    return d.removed_ms ? "REMOVED" : d.revoked_ms ? "REVOKED" : "active";
}

int add(const Args& a, Context& ctx) {
    auto id = a.require("id");
    auto spec = spec_from(a, ctx, id, id, DeviceMode::entrance);
    bool generated_pin = !a.get("pin");
    auto db = ctx.hub.open();
    auto existing = store::find_device(*db, spec.id);
    if (existing && existing->in_service())
        throw UsageError("a device called '" + spec.id + "' already exists and is in service (see: muster device list); "
                         "to use it for another event: muster device move --id " + spec.id + " --event ID");
    // A revoked or removed id comes back with a new secret: its old folder still cannot sign.
    check_device_spec(*db, spec);
    auto out = device_folder(a, ctx, spec.id, existing.has_value());
    auto path = provision_device(ctx.hub, *db, spec, out, existing.has_value());
    if (existing)
        ctx.out << "This replaces the " << (existing->removed_ms ? "removed" : "revoked") << " device " << spec.id
                << " (new secret; its records on the hub stay)\n";
    print_provisioned(ctx, spec, out, path, generated_pin);
    return 0;
}

// The same device (same id) for another event: a new folder and a new secret, so the old
// folder can no longer sign and a forgotten old kiosk cannot sync into the new event.
int move(const Args& a, Context& ctx) {
    auto id = a.require("id");
    auto db = ctx.hub.open();
    std::optional<store::DeviceListing> found;
    for (auto& l : store::list_devices(*db))
        if (l.device.id == id) found = std::move(l);
    if (!found) throw UsageError("no device called '" + id + "' (see: muster device list)");
    const auto& d = found->device;
    if (!d.in_service())
        throw UsageError("device " + id + " is " + std::string(d.removed_ms ? "removed" : "revoked") +
                         ": add it again instead (muster device add --id " + id + " --event ID)");
    if (!a.flag("force")) {
        std::string why;
        if (d.last_queued && *d.last_queued > 0)
            why = "device " + id + " last reported " + std::to_string(*d.last_queued) + " unsent record(s)";
        else if (!d.last_seen_ms && found->records_on_hub == 0)
            why = "device " + id + " has never synced, so the hub cannot tell whether it holds unsent scans";
        if (!why.empty()) {
            ctx.err << "muster device move: " << why << ": they would be lost with its old folder.\n"
                    << "  Sync it first (until `muster device list` shows it with 0 queued), or run\n"
                    << "  `muster device import DIR` on its old folder; --force moves it anyway.\n";
            return 1;
        }
    }
    auto spec = spec_from(a, ctx, id, d.name, d.mode);
    bool generated_pin = !a.get("pin");
    check_device_spec(*db, spec);
    auto out = device_folder(a, ctx, id, true);
    auto path = provision_device(ctx.hub, *db, spec, out, /*reissue=*/true);
    ctx.out << "Device " << id << " moved from event " << d.event_id << " to event " << spec.event_id
            << " (new secret: its old folder can no longer sync)\n";
    print_provisioned(ctx, spec, out, path, generated_pin);
    return 0;
}

// Out of service: refused by the server like a revoked device; its records stay, and the
// id may be added again (muster device add).
int remove(const Args& a, Context& ctx) {
    auto id = a.require("id");
    auto db = ctx.hub.open();
    auto d = store::find_device(*db, id);
    if (!d) throw UsageError("no device called '" + id + "' (see: muster device list)");
    switch (store::remove_device(*db, id, uk_time::now_ms())) {
        case store::Removal::no_such_device: throw UsageError("no device called '" + id + "' (see: muster device list)");
        case store::Removal::already_removed:
            if (!a.flag("delete-folder")) {
                ctx.err << "muster device remove: device " << id << " was already removed\n";
                return 1;
            }
            break;
        case store::Removal::removed:
            ctx.out << "Device " << id << " removed from service: the sync server refuses it from now on; "
                    << "its records on the hub stay\n";
            if (d->last_queued && *d->last_queued > 0)
                ctx.out << "  it last reported " << *d->last_queued << " unsent record(s): bring them in with "
                        << "muster device import DIR on its folder\n";
            break;
    }
    if (a.flag("delete-folder")) {
        auto folder = ctx.hub.dir() / "devices" / id;
        if (!is_valid_device_id(id) || !std::filesystem::exists(folder / "device.toml")) {
            ctx.out << "No device folder at " << folder.string() << "\n";
        } else if (!a.flag("yes")) {
            ctx.out << "Its folder " << folder.string() << " (device file, database, secret) was kept: "
                    << "add --yes to delete it\n";
        } else {
            std::filesystem::remove_all(folder);
            ctx.out << "Deleted its folder " << folder.string() << "\n";
        }
    }
    return 0;
}

int import_folder(const Args& a, Context& ctx) {
    if (a.positional().size() != 1) throw UsageError("give one device folder (the one holding device.toml)");
    std::filesystem::path folder = a.positional()[0];
    auto db = ctx.hub.open();
    auto r = import_device_folder(*db, folder);
    if (r.outbox == 0) {
        ctx.err << "muster device import: nothing to import: the outbox of " << r.device_id << " in " << folder.string()
                << " is empty (every record it made was acknowledged by the hub)\n";
        return 1;
    }
    ctx.out << "Device " << r.device_id << " (event " << r.event_id << "), " << r.outbox << " unsent record(s) in "
            << folder.string() << ": " << r.stored_now << " new, " << r.already_stored << " already on the hub, "
            << r.refused.size() << " refused\n";
    for (const auto& x : r.refused)
        ctx.out << "  refused " << x.uuid << ": " << sync::to_string(x.code) << ": " << x.reason << "\n";
    return r.refused.empty() ? 0 : 1;
}

// Cuts a device off at once: the server refuses its next request (403). Its records
// already stored stay; its id can be added again (a new secret: muster device add).
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

std::string ago(TimeMs then, TimeMs now) {
    auto s = std::max<std::int64_t>(0, (now - then) / 1000);
    if (s < 60) return "just now";
    if (s < 3600) return std::to_string(s / 60) + " min ago";
    if (s < 48 * 3600) return std::to_string(s / 3600) + " h ago";
    return std::to_string(s / 86400) + " days ago";
}

std::string skew_text(std::int64_t ms) {
    std::string text = (ms < 0 ? "-" : "+") + std::to_string(std::llabs(ms) / 1000) + " s";
    // Over 2 minutes: the device's clock needs setting (its records are stamped by it).
    if (std::llabs(ms) > sync::clock_skew_flag_ms) text += " CHECK CLOCK";
    return text;
}

// Characters on screen, not bytes: a name may hold accented letters.
std::size_t width(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

// At most `chars` characters on screen, cut between two characters (never inside one).
std::string clip(const std::string& s, std::size_t chars) {
    if (width(s) <= chars) return s;
    std::size_t n = 0, at = 0;
    for (; at < s.size(); ++at) {
        bool starts_char = (static_cast<unsigned char>(s[at]) & 0xC0) != 0x80;
        if (starts_char && n++ == chars - 3) break;
    }
    return s.substr(0, at) + "...";
}

int list(const Args&, Context& ctx) {
    auto db = ctx.hub.open();
    auto devices = store::list_devices(*db);
    if (devices.empty()) {
        ctx.out << "No devices yet (add one: muster device add --id ID --event ID)\n";
        return 0;
    }
    TimeMs now = uk_time::now_ms();
    std::vector<std::vector<std::string>> rows = {
        {"ID", "NAME", "MODE", "EVENT", "STATUS", "LAST SEEN", "ON HUB", "QUEUED", "VERSION", "CLOCK"}};
    for (const auto& [d, records] : devices) {
        std::string name = clip(d.name, 24);
        std::string event = std::to_string(d.event_id) + (d.room_id ? " room " + std::to_string(*d.room_id) : "");
        std::string seen = d.last_seen_ms ? ago(*d.last_seen_ms, now) + " (" + uk_time::format_local(*d.last_seen_ms) + ")"
                                          : "never seen";
        rows.push_back({d.id, name, std::string(to_string(d.mode)), event, std::string(status_of(d)), seen,
                        std::to_string(records), d.last_queued ? std::to_string(*d.last_queued) : "-",
                        d.last_version.value_or("-"), d.last_clock_skew_ms ? skew_text(*d.last_clock_skew_ms) : "-"});
    }
    std::vector<std::size_t> widths(rows[0].size(), 0);
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], width(r[i]));
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i)
            line += r[i] + (i + 1 < r.size() ? std::string(widths[i] - width(r[i]) + 2, ' ') : "");
        ctx.out << line << "\n";
    }
    ctx.out << "LAST SEEN is in UK time; ON HUB counts the check-ins the hub holds from the device; QUEUED is its "
               "outbox as it last reported it.\n";
    return 0;
}

}  // namespace

std::vector<Command> device_commands() {
    return {{"device add", "Provision a kiosk or room device: its folder with device file, roster and public key",
             "--id ID --event ID [--mode entrance|room] [--room ID] [--name TEXT] [--pin DIGITS] [--server URL]... [--out DIR]\n"
             "  --server: the sync server's URL (default: the hub's public_url); once per server process when\n"
             "  the hub runs several on one database (same certificate): the device uses one and fails over\n"
             "  to the next in this order",
             {"id", "event", "mode", "room", "name", "pin", "server", "out"}, {}, add},
            {"device revoke", "Cut a device off: the sync server refuses its requests from now on", "--id ID", {"id"}, {},
             revoke},
            {"device list", "List the hub's devices: status, last seen, records on the hub, queued, version, clock", "", {},
             {}, list},
            {"device move", "Give a device to another event: a new folder and a new secret, the same id",
             "--id ID --event ID [--room ID] [--mode entrance|room] [--name TEXT] [--pin DIGITS] [--server URL]... [--out DIR] "
             "[--force]",
             {"id", "event", "room", "mode", "name", "pin", "server", "out"}, {"force"}, move},
            {"device remove", "Take a device out of service: refused by the sync server; its records stay",
             "--id ID [--delete-folder --yes]", {"id"}, {"delete-folder", "yes"}, remove},
            {"device import", "Bring a kiosk's unsent records into the hub from its device folder (judged as an upload)",
             "DIR", {}, {}, import_folder},
            device_wipe_command()};
}

}  // namespace muster::admin
