#include "device_import.hpp"

#include "cli_args.hpp"
#include "record_intake.hpp"

#include "muster/config/toml_file.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/store/device_store.hpp"
#include "muster/store/hub_store.hpp"
#include "muster/store/outbox_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/store/settings_store.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/private_files.hpp"
#include "muster/util/uuid.hpp"

namespace muster::admin {
namespace {

namespace fs = std::filesystem;

// The kiosk's database copied (with its write-ahead log, which holds its newest scans when
// it stopped without closing) into a private folder of our own, removed afterwards: opening
// it there may write (WAL recovery, migration), and none of that touches the kiosk's folder.
class PrivateCopy {
public:
    explicit PrivateCopy(const fs::path& db) {
        dir_ = fs::temp_directory_path() / ("muster-import-" + new_uuid(uk_time::now_ms()));
        create_private_folder(dir_);
        copy_ = dir_ / "device.db";
        fs::copy_file(db, copy_);
        fs::path wal = db.string() + "-wal";
        if (fs::exists(wal)) fs::copy_file(wal, copy_.string() + "-wal");
    }
    ~PrivateCopy() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    PrivateCopy(const PrivateCopy&) = delete;
    PrivateCopy& operator=(const PrivateCopy&) = delete;
    const fs::path& path() const { return copy_; }

private:
    fs::path dir_, copy_;
};

std::string device_id_of(const config::TomlFile& file) {
    auto id = file.text("device.id", std::nullopt);
    if (id.empty()) file.fail("device.id", "empty");
    return id;
}

}  // namespace

DeviceImport import_device_folder(db::Database& hub_db, const fs::path& folder) {
    fs::path toml = folder / "device.toml";
    if (!fs::exists(toml)) throw UsageError(folder.string() + " is not a device folder (it has no device.toml)");
    // Trusted as the device's identity without its secret: the staff member holds the kiosk
    // (or its disk) and runs the hub's own tool; every record is still judged against the
    // device as the hub knows it (docs/security.md, "Importing a kiosk's folder").
    config::TomlFile file(toml);
    DeviceImport out;
    out.device_id = device_id_of(file);
    auto row = store::find_device(hub_db, out.device_id);
    if (!row) throw UsageError("device '" + out.device_id + "' in " + toml.string() + " is not a device of this hub (see: muster device list)");
    out.event_id = file.integer("device.event", std::nullopt);
    std::optional<RoomId> room;
    if (auto r = file.integer("device.room")) room = *r;
    // A room device's records carry its room; an entrance device's none (upload_rules.cpp).
    if (file.text("device.mode", std::string("entrance")) != "room") room.reset();

    fs::path db_path = file.path("storage.database", std::string("device.db"));
    if (!fs::exists(db_path)) throw UsageError("no device database at " + db_path.string() + " (storage.database in " + toml.string() + ")");
    PrivateCopy copy(db_path);
    std::unique_ptr<db::Database> dev;
    try {
        dev = store::open_database(copy.path().string());
    } catch (const db::Error& e) {
        throw UsageError(db_path.string() + " cannot be read as a Muster device database: " + e.what());
    }
    auto device_hub = store::read_hub(*dev);
    auto this_hub = store::read_hub(hub_db);
    if (!device_hub || !this_hub || device_hub->public_key != this_hub->public_key)
        throw UsageError(db_path.string() + " was not provisioned by this hub (its hub key differs)");

    sync::UploadBatch batch;
    for (const auto& item : store::outbox_all(*dev)) {
        if (item.kind == store::OutboxKind::check_in) {
            if (auto c = store::find_check_in(*dev, item.uuid)) batch.check_ins.push_back(std::move(*c));
        } else if (auto c = store::find_correction(*dev, item.uuid)) {
            batch.corrections.push_back(std::move(*c));
        }
    }
    out.outbox = batch.check_ins.size() + batch.corrections.size();
    if (out.outbox == 0) return out;

    server::DeviceRecord sender;
    sender.id = out.device_id;
    sender.event_id = out.event_id;
    sender.room_id = room;
    // The device's clock as it last measured it against the hub (device minus hub), so its
    // records are put in hub time as an upload from it would have been.
    std::int64_t skew = 0;
    if (auto offset = store::setting(*dev, "sync.clock_offset_ms")) {
        try {
            skew = -std::stoll(*offset);
        } catch (const std::exception&) {
        }
    }
    TimeMs now = uk_time::now_ms();
    db::Transaction tx(hub_db);
    auto taken = server::take_records(hub_db, sender, batch, {now, now + skew});
    tx.commit();
    out.stored_now = taken.stored_now;
    out.already_stored = taken.reply.acked.size() - taken.stored_now;
    out.refused = std::move(taken.reply.rejected);
    return out;
}

}  // namespace muster::admin
