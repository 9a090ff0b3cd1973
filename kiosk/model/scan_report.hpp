#pragma once
// One scan's result as a JSON object on one line: what the headless kiosk writes to
// stdout for automation. It carries what the public screen shows (first name and initial,
// room) and ids, never emails, TRNs or full names.
#include "scan_source.hpp"

#include "muster/checkin/check_in_desk.hpp"
#include "muster/db/database.hpp"

#include <string>
#include <string_view>

namespace muster::kiosk {

std::string scan_report_json(const checkin::ScanResult& result, InputKind input);
// A scan that never reached the desk (an image with no code, or one that cannot be read):
// {"outcome":"no_code","reason":"No QR code found in badge.png"}.
std::string scan_failure_json(std::string_view outcome, std::string_view reason);
// A scan the desk could not commit (the disk is full, the storage failed): nothing of it
// was recorded, so the person is told so, in red, and asked to see the desk; it can be
// scanned again once the kiosk can write. The outcome is "not_recorded" (never one of the
// recorded outcomes); the reason says why in words for the screen.
constexpr std::string_view not_recorded_outcome = "not_recorded";
std::string not_recorded_reason(const db::Error& error);

}  // namespace muster::kiosk
