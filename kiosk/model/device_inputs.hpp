#pragma once
// The device inputs a device file turns on (camera, NFC reader), built the same way for the
// window and for headless mode. The keyboard wedge is not among them: in the window it
// needs the window's keys, in headless mode stdin is the wedge.
#include "device_config.hpp"
#include "scan_source.hpp"

#include "muster/log/logger.hpp"

#include <memory>
#include <vector>

namespace muster::kiosk {

// Not started. A device asked for but not built in (NFC without MUSTER_WITH_NFC) is logged
// and left out, so the kiosk runs on its other inputs.
std::vector<std::unique_ptr<ScanSource>> device_inputs(const DeviceConfig& config, log::Logger& log);

}  // namespace muster::kiosk
