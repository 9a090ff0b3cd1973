#pragma once
// One scan's result as a JSON object on one line: what the headless kiosk writes to
// stdout for automation. It carries what the public screen shows (first name and initial,
// room) and ids, never emails, TRNs or full names.
#include "scan_source.hpp"

#include "muster/checkin/check_in_desk.hpp"

#include <string>
#include <string_view>

namespace muster::kiosk {

std::string scan_report_json(const checkin::ScanResult& result, InputKind input);
// A scan that never reached the desk (an image with no code, or one that cannot be read):
// {"outcome":"no_code","reason":"No QR code found in badge.png"}.
std::string scan_failure_json(std::string_view outcome, std::string_view reason);

}  // namespace muster::kiosk
