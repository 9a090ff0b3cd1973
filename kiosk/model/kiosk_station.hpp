#pragma once
// The kiosk's model: the device's database, the hub's public key and the check-in desk for
// the configured event and session. No screen, no input devices: the headless loop and
// (later) the windowed screens both drive it the same way.
#include "device_config.hpp"
#include "scan_source.hpp"

#include "muster/checkin/check_in_desk.hpp"
#include "muster/db/database.hpp"

#include <memory>
#include <string>

namespace muster::kiosk {

class KioskStation {
public:
    // Opens everything the config names; throws ConfigError / db::Error / KeyError with a
    // message a person can act on.
    explicit KioskStation(const DeviceConfig& config);

    // Decides and durably records one scan; the result is only returned after the commit.
    checkin::ScanResult handle(const RawScan& scan);

    const Event& event() const { return event_; }
    const Session& session() const;
    db::Database& database() { return *db_; }
    checkin::CheckInDesk& desk() { return *desk_; }

private:
    DeviceConfig config_;
    std::unique_ptr<db::Database> db_;
    Event event_;
    std::unique_ptr<checkin::CheckInDesk> desk_;
};

}  // namespace muster::kiosk
