#include "database_sync_store.hpp"

#include "record_intake.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/device_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/hub_sync_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/store/upload_facts_store.hpp"

#include <algorithm>
#include <cstdlib>

namespace muster::server {

DatabaseSyncStore::DatabaseSyncStore(const std::string& database, const sync::DeviceSecretsKey& secrets_key,
                                 std::size_t changes_page, std::size_t changes_bytes)
    : changes_page_(std::max<std::size_t>(changes_page, 2 * sync::max_batch_records)),
      changes_bytes_(changes_bytes),
      secrets_key_(secrets_key) {
    writer_ = store::open_database(database);  // migrates an older hub database
    store::use_hub_indexes(*writer_);
    reader_ = store::open_database(database);
}

DatabaseSyncStore::~DatabaseSyncStore() = default;

std::optional<DeviceRecord> DatabaseSyncStore::find_device(const std::string& id) {
    std::lock_guard lock(read_mutex_);
    auto row = store::find_device(*reader_, id);
    if (!row) return std::nullopt;
    DeviceRecord d;
    d.event_id = row->event_id;
    d.room_id = row->room_id;
    d.revoked = row->revoked_ms.has_value();
    d.removed = row->removed_ms.has_value();
    d.last_seen_ms = row->last_seen_ms;
    d.last_version = std::move(row->last_version);
    d.last_queued = row->last_queued;
    d.last_clock_skew_ms = row->last_clock_skew_ms;
    if (!row->secret_box.empty()) {
        d.secret = sync::open_device_secret(secrets_key_, row->id, row->secret_box);
        d.secret_unreadable = !d.secret;
    }
    d.id = std::move(row->id);
    return d;
}

bool DatabaseSyncStore::remember_nonce(const std::string& device_id, const std::string& nonce, TimeMs now) {
    std::lock_guard lock(write_mutex_);
    return insert_nonce(device_id, nonce, now);
}

bool DatabaseSyncStore::insert_nonce(const std::string& device_id, const std::string& nonce, TimeMs now) {
    if (now - last_nonce_prune_ms_ > 60'000) {
        // Older than twice the window: a request carrying such a nonce is refused by its time anyway.
        store::forget_nonces(*writer_, now - 2 * sync::request_window_ms);
        last_nonce_prune_ms_ = now;
    }
    return store::remember_nonce(*writer_, device_id, nonce, now);
}

sync::UploadReply DatabaseSyncStore::ingest(const DeviceRecord& device, const sync::UploadBatch& batch, TimeMs now,
                                          const std::string& nonce) {
    std::lock_guard lock(write_mutex_);
    db::Transaction tx(*writer_);
    if (!nonce.empty() && !insert_nonce(device.id, nonce, now)) throw ReplayedRequest();  // rolled back
    auto taken = take_records(*writer_, device, batch, {now, batch.device_time_ms});
    tx.commit();
    return std::move(taken.reply);
}

void DatabaseSyncStore::note_report(const DeviceRecord& device, const store::DeviceReport& report) {
    // Judged against the row as read to authenticate this request (no extra read): a kiosk
    // polling every 2 s costs one small write a half-minute, not one a poll, and a device
    // moved or added again (its row's report cleared) is written at its first request.
    auto differs = [](const auto& now, const auto& before) { return now && now != before; };
    bool write = !device.last_seen_ms || report.seen_ms - *device.last_seen_ms >= report_refresh_ms ||
                 differs(report.version, device.last_version) || differs(report.queued, device.last_queued) ||
                 (report.clock_skew_ms &&
                  (!device.last_clock_skew_ms ||
                   std::llabs(*report.clock_skew_ms - *device.last_clock_skew_ms) > report_skew_step_ms));
    if (!write) return;
    std::lock_guard lock(write_mutex_);
    store::note_device_report(*writer_, device.id, report);
}

sync::Changes DatabaseSyncStore::changes_since(const DeviceRecord& device, std::int64_t since, TimeMs now) {
    std::lock_guard lock(read_mutex_);
    auto out = store::read_changes(*reader_, device.id, device.event_id, since, changes_page_, changes_bytes_);
    out.server_time_ms = now;
    return out;
}

bool DatabaseSyncStore::healthy() {
    std::lock_guard lock(read_mutex_);
    try {
        store::current_change(*reader_);
        return true;
    } catch (const db::Error&) {
        return false;
    }
}

std::int64_t DatabaseSyncStore::latest_change() {
    std::lock_guard lock(read_mutex_);
    return store::current_change(*reader_);
}

}  // namespace muster::server
