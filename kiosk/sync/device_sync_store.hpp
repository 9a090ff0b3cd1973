#pragma once
// The device database as the sync client sees it, on its own connection (the sync thread
// never shares the desk's): what to send next from the outbox, what the server
// acknowledged or refused, and the changes it sent applied in one transaction together
// with the new cursor, so a crash between the two cannot skip or double anything.
#include "muster/db/database.hpp"
#include "muster/store/device_privacy.hpp"
#include "muster/sync/sync_messages.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace muster::kiosk {

// What staff should still see after a restart: settings sync.last_ok_ms, sync.last_error
// and sync.clock_offset_ms (the offset also signs the first request after a restart in
// server time, so a device with a wrong clock is not refused once per start).
struct StoredSyncState {
    std::optional<TimeMs> last_ok_ms;
    std::string last_error;
    std::int64_t clock_offset_ms = 0;
};

// An answer is held on the device until it can go among others: while fewer than this many
// are waiting, only answers from an hour that has ended are sent. Sent one by one, each
// would reach the hub seconds after the check-out it followed, and the arrival times
// would join them again (docs/satisfaction.md, "Privacy").
inline constexpr std::size_t satisfaction_group = 3;

class DeviceSyncStore {
public:
    // Opens the database and its TRN key (`trn_key`, or trn.key beside the database when
    // empty; made when missing), hashing any TRN still held in clear (device_privacy.hpp).
    explicit DeviceSyncStore(const std::filesystem::path& database, const std::filesystem::path& trn_key = {});

    // The oldest unsent, unrefused records, at most `limit`, both kinds; then, in the room
    // left, satisfaction answers ready to go (satisfaction_ready).
    sync::UploadBatch next_batch(std::size_t limit, TimeMs device_now);
    // The hub stored these answers or refused them for good: the device forgets them.
    void forget_answers(const std::vector<std::string>& uuids);
    std::size_t pending();
    std::size_t rejected();
    // Removes these from the outbox (and only these).
    void acknowledge(const std::vector<std::string>& uuids);
    // Keeps the records, stops sending them, and keeps the reason for staff.
    void reject(const std::vector<sync::Rejection>& rejections);
    // One more failed attempt for these records, with what went wrong.
    void note_failure(const sync::UploadBatch& batch, const std::string& error);

    std::int64_t cursor();
    // Upserts every row of `changes` and stores its cursor, in one transaction. Once the
    // roster is purged (the event is over) only the cursor moves: no person comes back.
    void apply(const sync::Changes& changes);

    StoredSyncState sync_state();
    // Stores what changed enough to matter: the last success every 30 s, the offset when it
    // moved by a second, the error when it changed (an online kiosk polls every 2 s).
    void save_sync_state(const StoredSyncState& state);

    std::optional<std::string> setting(const std::string& key);
    void set_setting(const std::string& key, const std::string& value);

private:
    std::unique_ptr<db::Database> db_;
    store::TrnKey trn_key_{};
};

}  // namespace muster::kiosk
