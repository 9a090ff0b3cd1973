#include "kiosk_station.hpp"

#include "muster/badge/hub_keys.hpp"
#include "muster/store/database_file.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

namespace muster::kiosk {

std::unique_ptr<db::Database> open_device_database(const std::string& path) {
    try {
        // Every page read at start (a few milliseconds for a device's roster): a kiosk that
        // lost power mid-write, or whose storage failed, stops here rather than recording
        // scans into a damaged file that may still hold scans the hub has not had.
        return store::open_existing_database(path, store::IntegrityCheck::quick_check);
    } catch (const store::DamagedDatabase& e) {
        throw store::DamagedDatabase(std::string(e.what()) +
                                     ". The kiosk has not started and has left the file as it is: keep it for inspection "
                                     "(it may hold scans the hub has not had) and re-provision this device from the hub "
                                     "(`muster device move`, or `muster device add`; docs/kiosk.md, \"When the kiosk "
                                     "will not start\")");
    }
}

KioskStation::KioskStation(const DeviceConfig& config) : config_(config) {
    if (!std::filesystem::exists(config.database))
        throw ConfigError("storage.database: " + config.database.string() +
                          " does not exist (provision the device with: muster device add; docs/kiosk.md)");
    auto key = badge::load_public_key(config.public_key.string());
    db_ = open_device_database(config.database.string());
    // Before anything reads the roster: TRNs only as keyed hashes (a database made before
    // they were hashed is migrated here, once), and a roster past its keeping purged.
    trn_key_ = store::secure_device_trns(*db_, config.trn_key);
    purged_at_start_ = follow_privacy(uk_time::now_ms());
    auto event = store::load_event(*db_, config.event_id);
    if (!event) throw ConfigError("device.event: event " + std::to_string(config.event_id) + " is not in this device's database");
    event_ = std::move(*event);
    if (event_.sessions.empty()) throw ConfigError("device.event: event " + std::to_string(event_.id) + " has no sessions");

    SessionId session = 0;
    if (config.session_id) {
        session = *config.session_id;
    } else {
        session = store::current_session(event_, uk_time::now_ms())->id;  // "auto": follow the clock
    }
    if (config.room_id) {
        bool known = false;
        for (const auto& r : event_.rooms) known = known || r.id == *config.room_id;
        if (!known) throw ConfigError("device.room: room " + std::to_string(*config.room_id) + " is not part of this event");
    }
    try {
        desk_ = std::make_unique<checkin::CheckInDesk>(
            *db_, key,
            checkin::DeviceSetup{config.device_id, config.mode, event_.id, session, config.room_id, config.direction});
    } catch (const std::invalid_argument& e) {
        throw ConfigError(std::string("device.session: ") + e.what());
    }
}

const Session& KioskStation::session() const {
    for (const auto& s : event_.sessions)
        if (s.id == desk_->setup().session_id) return s;
    return event_.sessions.front();
}

KioskStation::~KioskStation() {
    if (sync_) sync_->stop();
}

std::optional<store::RosterPurge> KioskStation::follow_privacy(TimeMs now) {
    if (last_privacy_check_ && now - *last_privacy_check_ < 60'000 && now >= *last_privacy_check_) return std::nullopt;
    last_privacy_check_ = now;
    if (store::roster_purged_at(*db_)) {
        roster_removed_ = true;
        if (!compacted_) compacted_ = store::compact_device_database(*db_);
        return std::nullopt;
    }
    auto due = store::roster_purge_due(*db_, config_.event_id, config_.purge_after_days);
    if (!due || now < *due) return std::nullopt;
    store::RosterPurge purge;
    try {
        purge = store::purge_device_roster(*db_, config_.device_id, now);
    } catch (const db::Error& e) {
        // Rolled back whole (a full disk, a busy database): tried again at the next check.
        // Scanning carries on meanwhile; the caller logs the reason (no personal data in it).
        privacy_error_ = e.what();
        return std::nullopt;
    }
    privacy_error_.clear();
    roster_removed_ = true;
    compacted_ = purge.vacuumed;
    if (desk_) desk_->reload_issued_badges();
    return purge;
}

checkin::ScanResult KioskStation::handle(const RawScan& scan) {
    checkin::ScanInput input;
    input.method = scan.input == InputKind::nfc ? Method::nfc : Method::qr;
    input.payload = scan.payload;
    input.nfc_uid = scan.nfc_uid;
    auto result = desk_->scan(input, uk_time::now_ms());
    nudge_sync();
    return result;
}

void KioskStation::start_sync() {
    if (sync_ || config_.server_urls.empty()) return;
    sync_ = std::make_unique<SyncClient>(config_.sync_settings());
    sync_->start();
}

void KioskStation::nudge_sync() {
    if (sync_) sync_->nudge();
}

void KioskStation::follow_hub() {
    if (!sync_) return;
    if (auto g = sync_->changes_generation(); g != sync_generation_) {
        sync_generation_ = g;
        desk_->reload_issued_badges();
    }
}

std::optional<SyncStatus> KioskStation::sync_status() const {
    if (!sync_) return std::nullopt;
    return sync_->status();
}

bool KioskStation::hand_over(std::chrono::milliseconds within) { return !sync_ || sync_->flush(within); }

}  // namespace muster::kiosk
