#include "sqlite_sync_store.hpp"

#include "upload_rules.hpp"

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

namespace {

// The rules' look-ups on the writer connection, inside the upload's transaction: a check-in
// stored earlier in the same upload is found like one stored before.
class SqliteUploadFacts final : public UploadFacts {
public:
    explicit SqliteUploadFacts(db::Database& db) : db_(db) {}
    bool participant_exists(ParticipantId p) override { return store::participant_exists(db_, p); }
    bool badge_issued(ParticipantId p, std::int64_t serial) override { return store::badge_issued(db_, p, serial); }
    bool held_nfc_card(ParticipantId p) override { return store::held_nfc_card(db_, p); }
    std::optional<CheckIn> stored_check_in(const std::string& uuid) override { return store::find_check_in(db_, uuid); }

private:
    db::Database& db_;
};

sync::Rejection sequence_taken(const CheckIn& c) {
    // The device's database was replaced or copied: staff must look at the second record.
    return {c.uuid, "device sequence " + std::to_string(c.device_seq) + " is already used by another record from this device",
            sync::RejectionCode::sequence_taken};
}

}  // namespace

sync::UploadReply SqliteSyncStore::ingest(const DeviceRecord& device, const sync::UploadBatch& batch, TimeMs now,
                                          const std::string& nonce) {
    sync::UploadReply reply;
    reply.server_time_ms = now;
    reply.clock_skew_ms = batch.device_time_ms - now;
    reply.clock_flagged = std::llabs(reply.clock_skew_ms) > sync::clock_skew_flag_ms;
    std::optional<std::int64_t> skew;
    if (reply.clock_flagged) skew = reply.clock_skew_ms;
    UploadClock clock{batch.device_time_ms, reply.clock_skew_ms};

    std::lock_guard lock(write_mutex_);
    db::Transaction tx(*writer_);
    if (!nonce.empty() && !insert_nonce(device.id, nonce, now)) throw ReplayedRequest();  // rolled back
    // The event's sessions, rooms and days, read once per upload rather than per record.
    EventScope event;
    if (auto e = store::load_event(*writer_, device.event_id)) event = scope_of(*e);
    SqliteUploadFacts facts(*writer_);
    store::UploadWriter write(*writer_, now, skew, store::next_change(*writer_));
    auto decide = [&reply](const std::string& uuid, std::optional<sync::Rejection> refusal) {
        if (refusal) reply.rejected.push_back(std::move(*refusal));
        else reply.acked.push_back(uuid);
    };
    for (const auto& c : batch.check_ins) {
        // A uuid already stored is a retry (acked again) or a conflict, judged before the
        // rules so that a retry is answered as the first try was.
        if (auto stored = store::find_check_in(*writer_, c.uuid)) {
            decide(c.uuid, judge_resent(c, *stored, device));
            continue;
        }
        if (auto refusal = judge_check_in(c, device, event, clock, facts)) {
            decide(c.uuid, std::move(refusal));
            continue;
        }
        switch (write.check_in(c)) {
        case store::UploadWriter::Result::stored: decide(c.uuid, std::nullopt); break;
        case store::UploadWriter::Result::sequence_taken: decide(c.uuid, sequence_taken(c)); break;
        case store::UploadWriter::Result::uuid_taken:  // looked up above, under the write lock: cannot happen
            decide(c.uuid, sync::Rejection{c.uuid, "this uuid is already stored", sync::RejectionCode::conflict});
            break;
        }
    }
    for (const auto& c : batch.corrections) {
        if (auto stored = store::find_correction(*writer_, c.uuid)) {
            decide(c.uuid, judge_resent(c, *stored, device));
            continue;
        }
        if (auto refusal = judge_correction(c, device, event, clock, facts)) {
            decide(c.uuid, std::move(refusal));
            continue;
        }
        if (write.correction(c, device.id) == store::UploadWriter::Result::stored) decide(c.uuid, std::nullopt);
        else decide(c.uuid, sync::Rejection{c.uuid, "this uuid is already stored", sync::RejectionCode::conflict});
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
