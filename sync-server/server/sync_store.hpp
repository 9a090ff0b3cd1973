#pragma once
// What the sync server needs from its store. DatabaseSyncStore (database_sync_store.hpp) is
// the one used: the hub database on either engine, a SQLite file (the embedded default) or
// PostgreSQL (docs/scale.md). Implementations are safe to call from several threads at once.
#include "device_record.hpp"

#include "muster/model/types.hpp"
#include "muster/store/device_store.hpp"
#include "muster/sync/request_signing.hpp"
#include "muster/sync/sync_messages.hpp"

#include <optional>
#include <stdexcept>
#include <string>

namespace muster::server {

// ingest() found the request's nonce already used: a replay. Nothing was stored.
class ReplayedRequest : public std::runtime_error {
public:
    ReplayedRequest() : std::runtime_error("replayed request (nonce already used)") {}
};

class SyncStore {
public:
    virtual ~SyncStore() = default;

    virtual std::optional<DeviceRecord> find_device(const std::string& id) = 0;
    // Remembers an authenticated request's nonce; false when the device used it before
    // (a replay). Nonces older than the request window are forgotten.
    virtual bool remember_nonce(const std::string& device_id, const std::string& nonce, TimeMs now) = 0;
    // Stores the batch idempotently in one transaction: each record is judged on its own
    // (upload_rules.hpp, docs/security.md) and stored, or rejected with a code and reason;
    // the same record already stored from this device is acked again, other content under
    // a stored uuid is a conflict (never acked); nothing is doubled.
    // A non-empty `nonce` is remembered in the same transaction (one commit per upload);
    // if it was used before, throws ReplayedRequest and stores nothing.
    virtual sync::UploadReply ingest(const DeviceRecord& device, const sync::UploadBatch& batch, TimeMs now,
                                     const std::string& nonce = "") = 0;
    // Everything the device's event needs that changed after `since`.
    virtual sync::Changes changes_since(const DeviceRecord& device, std::int64_t since, TimeMs now) = 0;
    // What an authenticated device said of itself (its status for `muster device list`).
    // Best effort and throttled by the store: a failure here never fails the request.
    virtual void note_report(const DeviceRecord& /*device*/, const store::DeviceReport& /*report*/) {}
    // A cheap query proving the store answers (the health endpoint).
    virtual bool healthy() = 0;
    // The hub's change clock now (store::current_change): what a change feed publishes.
    virtual std::int64_t latest_change() = 0;
};

}  // namespace muster::server
