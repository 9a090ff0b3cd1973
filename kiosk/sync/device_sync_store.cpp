#include "device_sync_store.hpp"

#include "muster/store/check_in_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/util/text.hpp"

#include <cstdlib>

namespace muster::kiosk {
namespace {

// A badge's SHA-256 token digest, hex on the wire, a blob on the device. Anything else is
// stored as NULL (that badge then cannot be checked in here) rather than failing the whole
// download, which would stop every later change from arriving.
std::optional<std::string> digest_blob(const std::optional<std::string>& hex) {
    if (!hex || hex->size() != 64) return std::nullopt;
    return text::from_hex(*hex);
}

std::optional<std::int64_t> to_int(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    try {
        return std::stoll(*text);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void upsert_participant(db::Database& db, const Participant& p) {
    // A TRN moved to another person (a corrected roster) must not block the update.
    if (p.trn) {
        auto& clear = db.cached("UPDATE participants SET trn = NULL WHERE trn = ?1 AND id <> ?2");
        clear.bind(1, *p.trn).bind(2, p.id);
        clear.run();
    }
    auto& s = db.cached(
        "INSERT INTO participants (id, trn, email, first_name, last_name, preferred_name, school_name, school_urn, role, "
        "programme, cohort, programme_year, part_time) VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
        "ON CONFLICT (id) DO UPDATE SET trn = excluded.trn, first_name = excluded.first_name, "
        "last_name = excluded.last_name, preferred_name = excluded.preferred_name, school_name = excluded.school_name, "
        "school_urn = excluded.school_urn, role = excluded.role, programme = excluded.programme, "
        "cohort = excluded.cohort, programme_year = excluded.programme_year, part_time = excluded.part_time");
    s.bind(1, p.id).bind(2, p.trn).bind(3, p.first_name).bind(4, p.last_name).bind(5, p.preferred_name);
    s.bind(6, p.school_name).bind(7, p.school_urn).bind(8, to_string(p.role)).bind(9, p.programme);
    s.bind(10, p.cohort).bind(11, p.programme_year).bind(12, p.part_time ? 1 : 0);
    s.run();
}

}  // namespace

DeviceSyncStore::DeviceSyncStore(const std::filesystem::path& database) : db_(store::open_database(database.string())) {}

sync::UploadBatch DeviceSyncStore::next_batch(std::size_t limit, TimeMs device_now) {
    sync::UploadBatch batch;
    batch.device_time_ms = device_now;
    std::vector<std::string> gone;  // outbox rows whose record is missing: nothing to send
    {
        db::Transaction tx(*db_, db::Transaction::Kind::deferred);
        auto& s = db_->cached("SELECT uuid, kind FROM outbox WHERE rejected_reason IS NULL ORDER BY queued_ms, uuid LIMIT ?1");
        s.bind(1, static_cast<std::int64_t>(limit));
        std::vector<std::pair<std::string, std::string>> rows;
        while (s.step()) rows.emplace_back(s.text(0), s.text(1));
        s.reset();
        for (const auto& [uuid, kind] : rows) {
            if (kind == "check_in") {
                if (auto c = store::find_check_in(*db_, uuid)) batch.check_ins.push_back(std::move(*c));
                else gone.push_back(uuid);
            } else {
                if (auto c = store::find_correction(*db_, uuid)) batch.corrections.push_back(std::move(*c));
                else gone.push_back(uuid);
            }
        }
        tx.commit();
    }
    if (!gone.empty()) acknowledge(gone);
    return batch;
}

std::size_t DeviceSyncStore::pending() { return store::outbox_counts(*db_).pending; }
std::size_t DeviceSyncStore::rejected() { return store::outbox_counts(*db_).rejected; }

void DeviceSyncStore::acknowledge(const std::vector<std::string>& uuids) {
    db::Transaction tx(*db_);
    auto& s = db_->cached("DELETE FROM outbox WHERE uuid = ?1");
    for (const auto& u : uuids) {
        s.bind(1, u);
        s.run();
    }
    tx.commit();
}

void DeviceSyncStore::reject(const std::vector<sync::Rejection>& rejections) {
    db::Transaction tx(*db_);
    auto& s = db_->cached("UPDATE outbox SET rejected_reason = ?2, attempts = attempts + 1 WHERE uuid = ?1");
    for (const auto& r : rejections) {
        s.bind(1, r.uuid).bind(2, r.reason.empty() ? std::string("refused by the hub") : r.reason);
        s.run();
    }
    tx.commit();
}

void DeviceSyncStore::note_failure(const sync::UploadBatch& batch, const std::string& error) {
    db::Transaction tx(*db_);
    auto& s = db_->cached("UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE uuid = ?1");
    for (const auto& c : batch.check_ins) {
        s.bind(1, c.uuid).bind(2, error);
        s.run();
    }
    for (const auto& c : batch.corrections) {
        s.bind(1, c.uuid).bind(2, error);
        s.run();
    }
    tx.commit();
}

std::int64_t DeviceSyncStore::cursor() { return to_int(setting("sync.cursor")).value_or(0); }

void DeviceSyncStore::apply(const sync::Changes& c) {
    db::Transaction tx(*db_);
    for (const auto& p : c.participants) upsert_participant(*db_, p);
    for (const auto& e : c.events) {
        auto& s = db_->cached(
            "INSERT INTO events (id, programme, item, cohort, kind, title, venue, local_date, late_after_min) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO UPDATE SET programme = excluded.programme, "
            "item = excluded.item, cohort = excluded.cohort, kind = excluded.kind, title = excluded.title, "
            "venue = excluded.venue, local_date = excluded.local_date, late_after_min = excluded.late_after_min");
        s.bind_all(e.id, e.programme, e.item, e.cohort, std::string(to_string(e.kind)), e.title, e.venue, e.local_date,
                   e.late_after_min);
        s.run();
    }
    for (const auto& x : c.sessions) {
        auto& s = db_->cached(
            "INSERT INTO sessions (id, event_id, name, starts_ms, ends_ms, opens_before_min, closes_after_min) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
            "starts_ms = excluded.starts_ms, ends_ms = excluded.ends_ms, opens_before_min = excluded.opens_before_min, "
            "closes_after_min = excluded.closes_after_min");
        s.bind_all(x.id, x.event_id, x.name, x.starts_ms, x.ends_ms, x.opens_before_min, x.closes_after_min);
        s.run();
    }
    for (const auto& r : c.rooms) {
        auto& s = db_->cached("INSERT INTO rooms (id, event_id, name) VALUES (?1, ?2, ?3) "
                              "ON CONFLICT (id) DO UPDATE SET name = excluded.name");
        s.bind_all(r.id, r.event_id, r.name);
        s.run();
    }
    for (const auto& e : c.enrolments) {
        auto& s = db_->cached("INSERT INTO enrolments (event_id, participant_id, room_id) VALUES (?1, ?2, ?3) "
                              "ON CONFLICT (event_id, participant_id) DO UPDATE SET room_id = excluded.room_id");
        s.bind(1, e.event_id).bind(2, e.participant_id).bind(3, e.room_id);
        s.run();
    }
    for (const auto& b : c.badges) {
        auto& s = db_->cached(
            "INSERT INTO badges (participant_id, serial, issued_ms, revoked_ms, revoke_reason, token_digest) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (participant_id, serial) DO UPDATE SET "
            "issued_ms = excluded.issued_ms, revoked_ms = excluded.revoked_ms, revoke_reason = excluded.revoke_reason, "
            "token_digest = excluded.token_digest");
        s.bind(1, b.participant_id).bind(2, b.serial).bind(3, b.issued_ms).bind(4, b.revoked_ms).bind(5, b.revoke_reason);
        if (auto d = digest_blob(b.token_digest)) s.bind_blob(6, d->data(), d->size());
        else s.bind(6, nullptr);
        s.run();
    }
    for (const auto& n : c.nfc_cards) {
        auto& s = db_->cached("INSERT INTO nfc_cards (uid, participant_id, attached_ms, detached_ms) VALUES (?1, ?2, ?3, ?4) "
                              "ON CONFLICT (uid) DO UPDATE SET participant_id = excluded.participant_id, "
                              "attached_ms = excluded.attached_ms, detached_ms = excluded.detached_ms");
        s.bind(1, n.uid).bind(2, n.participant_id).bind(3, n.attached_ms).bind(4, n.detached_ms);
        s.run();
    }
    for (const auto& x : c.check_ins) store::insert_check_in(*db_, x, false);
    for (const auto& x : c.corrections) store::insert_correction(*db_, x, false);
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

std::optional<std::string> DeviceSyncStore::setting(const std::string& key) {
    auto& s = db_->cached("SELECT value FROM settings WHERE key = ?1");
    s.bind(1, key);
    std::optional<std::string> out;
    if (s.step()) out = s.text(0);
    s.reset();
    return out;
}

void DeviceSyncStore::set_setting(const std::string& key, const std::string& value) {
    auto& s = db_->cached("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    s.bind(1, key).bind(2, value);
    s.run();
}

}  // namespace muster::kiosk
