#include "sqlite_sync_store.hpp"

#include "muster/store/device_store.hpp"
#include "muster/store/hub_sync_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/schema.hpp"

#include <algorithm>
#include <cstdlib>

namespace muster::server {

SqliteSyncStore::SqliteSyncStore(const std::filesystem::path& database, const sync::DeviceSecretsKey& secrets_key,
                                 std::size_t changes_page, std::size_t changes_bytes)
    : changes_page_(std::max<std::size_t>(changes_page, 2 * sync::max_batch_records)),
      changes_bytes_(changes_bytes),
      secrets_key_(secrets_key) {
    writer_ = store::open_database(database.string());  // migrates an older hub database
    store::use_hub_indexes(*writer_);
    reader_ = store::open_database(database.string());
}

SqliteSyncStore::~SqliteSyncStore() = default;

std::optional<DeviceRecord> SqliteSyncStore::find_device(const std::string& id) {
    std::lock_guard lock(read_mutex_);
    auto row = store::find_device(*reader_, id);
    if (!row) return std::nullopt;
    DeviceRecord d;
    d.event_id = row->event_id;
    d.room_id = row->room_id;
    d.revoked = row->revoked_ms.has_value();
    if (!row->secret_box.empty()) {
        d.secret = sync::open_device_secret(secrets_key_, row->id, row->secret_box);
        d.secret_unreadable = !d.secret;
    }
    d.id = std::move(row->id);
    return d;
}

bool SqliteSyncStore::remember_nonce(const std::string& device_id, const std::string& nonce, TimeMs now) {
    std::lock_guard lock(write_mutex_);
    return insert_nonce(device_id, nonce, now);
}

bool SqliteSyncStore::insert_nonce(const std::string& device_id, const std::string& nonce, TimeMs now) {
    if (now - last_nonce_prune_ms_ > 60'000) {
        // Older than twice the window: a request carrying such a nonce is refused by its time anyway.
        store::forget_nonces(*writer_, now - 2 * sync::request_window_ms);
        last_nonce_prune_ms_ = now;
    }
    return store::remember_nonce(*writer_, device_id, nonce, now);
}

sync::UploadReply SqliteSyncStore::ingest(const DeviceRecord& device, const sync::UploadBatch& batch, TimeMs now,
                                          const std::string& nonce) {
    sync::UploadReply reply;
    reply.server_time_ms = now;
    reply.clock_skew_ms = batch.device_time_ms - now;
    reply.clock_flagged = std::llabs(reply.clock_skew_ms) > sync::clock_skew_flag_ms;
    std::optional<std::int64_t> skew;
    if (reply.clock_flagged) skew = reply.clock_skew_ms;

    std::lock_guard lock(write_mutex_);
    db::Transaction tx(*writer_);
    if (!nonce.empty() && !insert_nonce(device.id, nonce, now)) throw ReplayedRequest();  // rolled back
    store::UploadWriter write(*writer_, now, skew, store::next_change(*writer_));
    for (const auto& c : batch.check_ins) {
        // A device may only write its own records for its own event.
        if (c.device_id != device.id) {
            reply.rejected.push_back({c.uuid, "record names device '" + c.device_id + "', not the device that sent it"});
            continue;
        }
        if (c.event_id != device.event_id) {
            reply.rejected.push_back({c.uuid, "event " + std::to_string(c.event_id) + " is not this device's event"});
            continue;
        }
        if (write.check_in(c) == store::UploadWriter::Result::stored) {
            reply.acked.push_back(c.uuid);  // stored now, or already stored by an earlier try
        } else {
            // The device's database was replaced or copied: staff must look at the second record.
            reply.rejected.push_back({c.uuid, "device sequence " + std::to_string(c.device_seq) +
                                                  " is already used by another record from this device"});
        }
    }
    for (const auto& c : batch.corrections) {
        if (c.device_id && *c.device_id != device.id) {
            reply.rejected.push_back({c.uuid, "correction names another device"});
            continue;
        }
        if (c.event_id != device.event_id) {
            reply.rejected.push_back({c.uuid, "event " + std::to_string(c.event_id) + " is not this device's event"});
            continue;
        }
        if (c.reason.empty() || c.author.empty()) {
            reply.rejected.push_back({c.uuid, "a correction needs a reason and an author"});
            continue;
        }
        write.correction(c, device.id);
        reply.acked.push_back(c.uuid);
    }
    tx.commit();
    return reply;
}

sync::Changes SqliteSyncStore::changes_since(const DeviceRecord& device, std::int64_t since, TimeMs now) {
    std::lock_guard lock(read_mutex_);
    auto out = store::read_changes(*reader_, device.id, device.event_id, since, changes_page_, changes_bytes_);
    out.server_time_ms = now;
    return out;
}

bool SqliteSyncStore::healthy() {
    std::lock_guard lock(read_mutex_);
    try {
        store::current_change(*reader_);
        return true;
    } catch (const db::Error&) {
        return false;
    }
}

}  // namespace muster::server
