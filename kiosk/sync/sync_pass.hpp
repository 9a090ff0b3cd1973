#pragma once
// One sync pass, as a fixed sequence of named steps (libpretixsync's shape):
//   upload()          the outbox, oldest first, batch by batch, until it is empty;
//   download()        what changed since the cursor, page by page, applied in one transaction each;
//   record_outcome()  online (backoff reset) or offline with the next retry, kept for staff.
// SyncClient::run makes one pass per wake-up; what lasts between passes is the HubLink.
#include "backoff.hpp"
#include "device_sync_store.hpp"
#include "hub_connection.hpp"
#include "sync_status.hpp"

#include "muster/log/logger.hpp"
#include "muster/sync/sync_messages.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

namespace muster::kiosk {

// The device's link to the hub, from one pass to the next; the sync thread alone uses it.
struct HubLink {
    HubLink(const SyncSettings& settings, HubConnection::WallClock clock, std::shared_ptr<ServerChoice> servers = nullptr)
        : hub(settings, clock, std::chrono::seconds(5), std::move(servers)), store(settings.database, settings.trn_key) {
        hub.set_clock_offset_ms(store.sync_state().clock_offset_ms);  // learned before the restart
    }
    HubConnection hub;
    DeviceSyncStore store;
    Backoff backoff;
    std::size_t batch_limit = sync::max_batch_records;  // narrowed while finding a refused record
    std::optional<std::chrono::steady_clock::time_point> retry_at;  // set while backing off
};

class SyncPass {
public:
    SyncPass(HubLink& link, SyncStatusBoard& board, std::stop_token stop, log::Logger* logger)
        : link_(link), board_(board), stop_(std::move(stop)), log_(logger) {}

    // Sends the outbox until it is empty: true, or when stop() came (the rest waits for the
    // next start). False when the server could not take it now (the failure is recorded).
    bool upload();
    // Fetches the changes since the cursor; false when that failed (recorded) or the device
    // is revoked.
    bool download();
    // One exchange's end in the status (and backoff when it failed), kept across a restart.
    void record_outcome(bool ok, const std::string& error, int status = 0);
    // Counts of the outbox for staff, and one more pass done (flush() waits for it).
    void finish();

private:
    std::string changes_target();
    // False when the reply answered for nothing in the batch (a hub that predates the
    // satisfaction answers leaves them unanswered: they wait for the next pass).
    bool acknowledge(const sync::UploadBatch& batch, const HttpResult& reply);
    bool takes_empty_batch();
    void refuse_only_record(const sync::UploadBatch& batch, const HttpResult& reply);
    bool revoked();
    void persist();

    HubLink& link_;
    SyncStatusBoard& board_;
    std::stop_token stop_;
    log::Logger* log_;  // may be null
};

}  // namespace muster::kiosk
