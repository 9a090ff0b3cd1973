#pragma once
// The kiosk's station: the device's database, the hub's public key, the check-in desk for
// the configured event and session, and the hub sync. No screen, no input devices: the
// headless loop and the window's model both drive it the same way, so the sync glue (nudge
// after a commit, re-read the badges after a download, hand over at the end) is here once.
#include "device_config.hpp"
#include "scan_source.hpp"
#include "sync_client.hpp"

#include "muster/checkin/check_in_desk.hpp"
#include "muster/db/database.hpp"
#include "muster/store/device_privacy.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace muster::kiosk {

// The device's database, checked before use: missing, empty, garbage, truncated or failing
// SQLite's quick_check throws store::DamagedDatabase naming the file and what to do, and
// the file is not written to (never a fresh database in its place).
std::unique_ptr<db::Database> open_device_database(const std::string& path);

class KioskStation {
public:
    // Opens everything the config names; throws ConfigError / store::DamagedDatabase /
    // db::Error / KeyError with a message a person can act on.
    explicit KioskStation(const DeviceConfig& config);
    ~KioskStation();
    KioskStation(const KioskStation&) = delete;
    KioskStation& operator=(const KioskStation&) = delete;

    // Decides and durably records one scan; the result is only returned after the commit,
    // and only then is the hub sync told (the hub only ever learns of recorded scans).
    checkin::ScanResult handle(const RawScan& scan);

    // The hub sync, when the device file names a server. Started on request rather than by
    // the constructor: tools and tests that open a station and run their own client (the
    // sync bench) must not get a second one. Throws ConfigError when the device's secret or
    // the hub's certificate cannot be read.
    void start_sync();
    // A correction or scan was committed through desk(): send it now.
    void nudge_sync();
    // Once a loop round: new badges or revocations downloaded, so the desk re-reads the
    // digests it trusts.
    void follow_hub();
    std::optional<SyncStatus> sync_status() const;
    // The purge the constructor made, if it made one (for the caller to log).
    const std::optional<store::RosterPurge>& purged_at_start() const { return purged_at_start_; }
    // Closing down: sends what is queued within `within`; true when nothing is left (or
    // there is no sync). Whatever is left stays in the outbox for the next start.
    bool hand_over(std::chrono::milliseconds within);

    // The roster purge (docs/privacy.md): at most once a minute, whether the event's last day
    // plus [privacy] purge_after_days has passed; if so the people are deleted from the
    // database (the hub's unacknowledged records kept) and the purge is returned for the
    // caller to log. Also run by the constructor, before any scan.
    std::optional<store::RosterPurge> follow_privacy(TimeMs now);
    // Why the last purge attempt failed ("" when it did not): it is retried a minute later.
    const std::string& privacy_error() const { return privacy_error_; }
    // The roster was purged: scans are refused without a record, the screen says so.
    bool roster_removed() const { return roster_removed_; }
    // The device's TRN key: staff search hashes a typed TRN with it.
    const store::TrnKey& trn_key() const { return trn_key_.key; }
    // TRNs found in clear at this start (a database made before they were hashed) and hashed.
    std::size_t trns_hashed_at_start() const { return trn_key_.hashed_now; }

    const Event& event() const { return event_; }
    const Session& session() const;
    db::Database& database() { return *db_; }
    checkin::CheckInDesk& desk() { return *desk_; }
    const checkin::CheckInDesk& desk() const { return *desk_; }

private:
    DeviceConfig config_;
    std::unique_ptr<db::Database> db_;
    store::DeviceTrnKey trn_key_;
    bool roster_removed_ = false;
    std::string privacy_error_;
    bool compacted_ = true;  // false: a purge's VACUUM met a busy database, retried
    std::optional<TimeMs> last_privacy_check_;
    std::optional<store::RosterPurge> purged_at_start_;
    Event event_;
    std::unique_ptr<checkin::CheckInDesk> desk_;
    std::unique_ptr<SyncClient> sync_;  // last: stopped first, before the database closes
    std::uint64_t sync_generation_ = 0;
};

}  // namespace muster::kiosk
