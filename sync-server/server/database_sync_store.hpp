#pragma once
// The sync store on the hub database, either engine (db::Database): a SQLite file (WAL,
// synchronous=FULL) or a postgresql:// URL. One connection for writes (ingest, nonces) and
// one for reads (devices, changes), each behind its own mutex, so a device downloading never
// waits for another device's upload to commit. On PostgreSQL several server processes may
// share the database: every write runs in a write transaction (one advisory lock), so
// nonces, idempotent ingest and the change sequence hold across processes as in one.
#include "sync_store.hpp"

#include "muster/db/database.hpp"
#include "muster/sync/device_secret_box.hpp"

#include <filesystem>
#include <memory>
#include <mutex>

namespace muster::server {

class DatabaseSyncStore final : public SyncStore {
public:
    // secrets_key: what the devices' secrets are sealed under (store::secure_device_secrets).
    // A changes reply holds whole uploads of other devices' records until changes_page rows
    // (check-ins and corrections) or about changes_bytes bytes of them.
    // database: a SQLite file or a postgresql:// URL (db::Database).
    DatabaseSyncStore(const std::string& database, const sync::DeviceSecretsKey& secrets_key,
                    std::size_t changes_page = 5000, std::size_t changes_bytes = 4 << 20);
    ~DatabaseSyncStore() override;

    std::optional<DeviceRecord> find_device(const std::string& id) override;
    bool remember_nonce(const std::string& device_id, const std::string& nonce, TimeMs now) override;
    sync::UploadReply ingest(const DeviceRecord& device, const sync::UploadBatch& batch, TimeMs now,
                             const std::string& nonce = "") override;
    sync::Changes changes_since(const DeviceRecord& device, std::int64_t since, TimeMs now) override;
    void note_report(const DeviceRecord& device, const store::DeviceReport& report) override;
    bool healthy() override;
    std::int64_t latest_change() override;

    // A device's report is written when it differs from what its row holds, or the row's is this old.
    static constexpr TimeMs report_refresh_ms = 30'000;
    static constexpr std::int64_t report_skew_step_ms = 5'000;  // smaller moves are network jitter

private:
    bool insert_nonce(const std::string& device_id, const std::string& nonce, TimeMs now);  // write lock held

    std::unique_ptr<db::Database> writer_;
    std::unique_ptr<db::Database> reader_;
    std::mutex write_mutex_;
    std::mutex read_mutex_;
    std::size_t changes_page_;
    std::size_t changes_bytes_;
    sync::DeviceSecretsKey secrets_key_;
    TimeMs last_nonce_prune_ms_ = 0;
};

}  // namespace muster::server
