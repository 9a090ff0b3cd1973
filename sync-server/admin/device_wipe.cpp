#include "device_wipe.hpp"

#include "muster/config/toml_file.hpp"
#include "muster/store/device_privacy.hpp"
#include "muster/store/device_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <ostream>

namespace muster::admin {
namespace {

namespace fs = std::filesystem;

// Writes zeros over the file's length, syncs, then removes it. On a hard disk that replaces
// the bytes; on an SSD or SD card the controller may write the zeros elsewhere and keep the
// old blocks until it reuses them, so this is a best effort there (docs/privacy.md).
bool overwrite_and_remove(const fs::path& file) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return false;
    auto size = fs::file_size(file, ec);
    if (!ec) {
        int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd >= 0) {
            std::array<char, 65536> zeros{};
            std::uintmax_t left = size;
            while (left > 0) {
                auto n = static_cast<std::size_t>(std::min<std::uintmax_t>(left, zeros.size()));
                auto w = ::write(fd, zeros.data(), n);
                if (w <= 0) break;
                left -= static_cast<std::uintmax_t>(w);
            }
            ::fsync(fd);
            ::close(fd);
        }
    }
    fs::remove(file, ec);
    if (ec) throw UsageError("cannot remove " + file.string() + ": " + ec.message());
    return true;
}

}  // namespace

DeviceWipe wipe_device_folder(const fs::path& folder, bool force) {
    fs::path toml = folder / "device.toml";
    if (!fs::exists(toml)) throw UsageError(folder.string() + " is not a device folder (it has no device.toml)");
    DeviceWipe out;
    fs::path database, secret, trn_key;
    {
        const config::TomlFile file(toml);
        out.device_id = file.text("device.id", "");
        database = file.path("storage.database", "device.db");
        secret = file.path("server.secret", "device.secret");
        trn_key = file.path("privacy.trn_key", "trn.key");
    }
    std::unique_ptr<db::Database> db;
    if (fs::exists(database)) {
        try {
            db = store::open_database(database.string());
            out.unacknowledged = store::unacknowledged_records(*db);
        } catch (const std::exception& e) {
            // A database that will not open is wiped as files only, and only when told to.
            if (!force)
                throw UsageError("cannot read " + database.string() + " (" + e.what() +
                                 "): its unsent records cannot be counted; --force wipes it anyway");
        }
    }
    if (out.unacknowledged > 0 && !force) return out;
    if (db) {
        out.people = store::purge_device_roster(*db, out.device_id, uk_time::now_ms()).people;
        db.reset();  // closed: SQLite removes the WAL and shared-memory files it can
    }
    for (const fs::path& f : {database, fs::path(database.string() + "-wal"), fs::path(database.string() + "-shm"),
                              fs::path(database.string() + "-journal"), secret, trn_key, folder / "server-cert.pem",
                              folder / "hub-public.pem", toml})
        if (overwrite_and_remove(f)) out.overwritten.push_back(f);
    std::error_code ec;
    if (fs::is_empty(folder, ec) && !ec) out.folder_removed = fs::remove(folder, ec);
    return out;
}

namespace {

int wipe(const Args& a, Context& ctx) {
    if (a.positional().size() != 1) throw UsageError("give one device folder (the one holding device.toml)");
    fs::path folder = a.positional()[0];
    auto w = wipe_device_folder(folder, a.flag("force"));
    if (w.overwritten.empty() && w.unacknowledged > 0) {
        ctx.err << "muster device wipe: " << folder.string() << " holds " << w.unacknowledged
                << " record(s) the hub has not acknowledged: bring them in first with `muster device import "
                << folder.string() << "` (or let the kiosk sync), or add --force to wipe them too\n";
        return 1;
    }
    ctx.out << "Wiped device " << w.device_id << " in " << folder.string() << ": " << w.people << " people purged, "
            << w.overwritten.size() << " file(s) overwritten with zeros and removed";
    if (w.unacknowledged > 0) ctx.out << ", " << w.unacknowledged << " unacknowledged record(s) lost (--force)";
    ctx.out << (w.folder_removed ? "; the folder is gone\n" : "; other files remain in the folder\n");
    ctx.out << "On an SSD or SD card overwriting is not a guarantee: full-disk encryption is (docs/privacy.md).\n";
    if (a.flag("revoke")) {
        auto db = ctx.hub.open();
        switch (store::revoke_device(*db, w.device_id, uk_time::now_ms())) {
            case store::Revocation::no_such_device: ctx.out << "This hub has no device " << w.device_id << " to revoke\n"; break;
            case store::Revocation::already_revoked: ctx.out << "Device " << w.device_id << " was already revoked at the hub\n"; break;
            case store::Revocation::revoked:
                ctx.out << "Device " << w.device_id << " revoked at the hub: its secret is refused from now on\n";
                break;
        }
    } else {
        ctx.out << "If the device itself is lost, revoke it at the hub too: muster device revoke --id " << w.device_id
                << " (or wipe with --revoke)\n";
    }
    return 0;
}

}  // namespace

Command device_wipe_command() {
    return {"device wipe",
            "Wipe a device folder (lost or retired device): people, secret and keys overwritten and removed",
            "DIR [--force] [--revoke]\n"
            "  refuses while the folder holds records the hub has not acknowledged, unless --force;\n"
            "  --revoke also revokes the device at this hub (muster device revoke)",
            {},
            {"force", "revoke"},
            wipe};
}

}  // namespace muster::admin
