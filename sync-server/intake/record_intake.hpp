#pragma once
// Taking a device's records into the hub: each judged by the upload rules
// (upload_rules.hpp) and stored with store::UploadWriter, or refused with a code and reason.
// One place for both ways records arrive: an upload to the sync server, and
// `muster device import` of a kiosk's folder. Idempotent: a record already stored from
// this device is acknowledged again, never doubled.
#include "device_record.hpp"

#include "muster/db/database.hpp"
#include "muster/sync/sync_messages.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace muster::server {

struct IntakeClock {
    TimeMs received_ms = 0;     // the hub's time now
    TimeMs device_time_ms = 0;  // the device's clock when it sent them
};

struct IntakeResult {
    sync::UploadReply reply;  // acked (stored now or before) and rejected, in batch order
    std::size_t stored_now = 0;  // of the acked: those this call stored
};

// Call inside the caller's write transaction on the hub database (the caller commits).
IntakeResult take_records(db::Database& hub, const DeviceRecord& device, const sync::UploadBatch& batch,
                          const IntakeClock& clock);

}  // namespace muster::server
