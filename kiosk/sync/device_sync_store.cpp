#include "device_sync_store.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/outbox_store.hpp"
#include "muster/store/replica_store.hpp"
#include "muster/store/satisfaction_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/store/settings_store.hpp"

#include <cstdlib>

namespace muster::kiosk {
namespace {

std::optional<std::int64_t> to_int(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    try {
        return std::stoll(*text);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

DeviceSyncStore::DeviceSyncStore(const std::filesystem::path& database, const std::filesystem::path& trn_key)
    : db_(store::open_database(database.string())),
      trn_key_(store::secure_device_trns(*db_, trn_key.empty() ? database.parent_path() / "trn.key" : trn_key).key) {}

sync::UploadBatch DeviceSyncStore::next_batch(std::size_t limit, TimeMs device_now) {
    sync::UploadBatch batch;
    batch.device_time_ms = device_now;
    std::vector<std::string> gone;  // outbox rows whose record is missing: nothing to send
    {
        db::Transaction tx(*db_, db::Transaction::Kind::deferred);
        for (const auto& item : store::outbox_next(*db_, limit)) {
            if (item.kind == store::OutboxKind::check_in) {
                if (auto c = store::find_check_in(*db_, item.uuid)) batch.check_ins.push_back(std::move(*c));
                else gone.push_back(item.uuid);
            } else {
                if (auto c = store::find_correction(*db_, item.uuid)) batch.corrections.push_back(std::move(*c));
                else gone.push_back(item.uuid);
            }
        }
        std::size_t room = limit - std::min(limit, batch.check_ins.size() + batch.corrections.size() + gone.size());
        if (room > 0) {
            bool a_group = store::pending_satisfaction_answers(*db_, satisfaction_group).size() >= satisfaction_group;
            for (auto& a : store::pending_satisfaction_answers(*db_, room))
                if (a_group || a.answered_hour_ms + store::satisfaction_hour_ms <= device_now)
                    batch.satisfaction.push_back(std::move(a));
        }
        tx.commit();
    }
    if (!gone.empty()) acknowledge(gone);
    return batch;
}

void DeviceSyncStore::forget_answers(const std::vector<std::string>& uuids) { store::forget_satisfaction_answers(*db_, uuids); }

std::size_t DeviceSyncStore::pending() { return store::outbox_counts(*db_).pending; }
std::size_t DeviceSyncStore::rejected() { return store::outbox_counts(*db_).rejected; }

void DeviceSyncStore::acknowledge(const std::vector<std::string>& uuids) {
    db::Transaction tx(*db_);
    for (const auto& u : uuids) store::outbox_remove(*db_, u);
    tx.commit();
}

void DeviceSyncStore::reject(const std::vector<sync::Rejection>& rejections) {
    db::Transaction tx(*db_);
    for (const auto& r : rejections) {
        // The hub's code leads the text staff see ("conflict: ..."), so a refusal reads the
        // same on the staff screen, in the outbox list and in docs/api.md.
        std::string reason = r.reason.empty() ? std::string("refused by the hub") : r.reason;
        if (r.code != sync::RejectionCode::unknown) reason = std::string(sync::to_string(r.code)) + ": " + reason;
        store::outbox_refuse(*db_, r.uuid, reason);
    }
    tx.commit();
}

void DeviceSyncStore::note_failure(const sync::UploadBatch& batch, const std::string& error) {
    db::Transaction tx(*db_);
    for (const auto& c : batch.check_ins) store::outbox_note_failure(*db_, c.uuid, error);
    for (const auto& c : batch.corrections) store::outbox_note_failure(*db_, c.uuid, error);
    tx.commit();
}

std::int64_t DeviceSyncStore::cursor() { return to_int(setting("sync.cursor")).value_or(0); }

void DeviceSyncStore::apply(const sync::Changes& c) {
    db::Transaction tx(*db_);
    if (!store::roster_purged_at(*db_)) store::apply_changes(*db_, c, &trn_key_);
    set_setting("sync.cursor", std::to_string(c.cursor));
    tx.commit();
}

StoredSyncState DeviceSyncStore::sync_state() {
    StoredSyncState out;
    out.last_ok_ms = to_int(setting("sync.last_ok_ms"));
    out.last_error = setting("sync.last_error").value_or("");
    out.clock_offset_ms = to_int(setting("sync.clock_offset_ms")).value_or(0);
    return out;
}

void DeviceSyncStore::save_sync_state(const StoredSyncState& state) {
    // Every write is a synced commit that a scan may have to wait behind, and an online
    // kiosk succeeds every poll: the time of the last success is worth a write every 30 s
    // (staff see minutes), the offset when it moved by a second (each reply moves it by the
    // network's jitter); both go along whenever something else is written anyway.
    auto old = sync_state();
    bool ok_newer = state.last_ok_ms && state.last_ok_ms != old.last_ok_ms;
    bool ok_due = ok_newer && (!old.last_ok_ms || std::llabs(*state.last_ok_ms - *old.last_ok_ms) >= 30'000);
    bool error_changed = state.last_error != old.last_error;
    bool offset_moved = std::llabs(state.clock_offset_ms - old.clock_offset_ms) >= 1'000;
    if (!ok_due && !error_changed && !offset_moved) return;
    db::Transaction tx(*db_);
    if (ok_newer) set_setting("sync.last_ok_ms", std::to_string(*state.last_ok_ms));
    if (error_changed) set_setting("sync.last_error", state.last_error);
    if (state.clock_offset_ms != old.clock_offset_ms) set_setting("sync.clock_offset_ms", std::to_string(state.clock_offset_ms));
    tx.commit();
}

std::optional<std::string> DeviceSyncStore::setting(const std::string& key) { return store::setting(*db_, key); }

void DeviceSyncStore::set_setting(const std::string& key, const std::string& value) {
    store::set_setting(*db_, key, value);
}

}  // namespace muster::kiosk
