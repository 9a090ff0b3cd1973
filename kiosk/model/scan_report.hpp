#pragma once
// One scan's result as a JSON object on one line: what the headless kiosk writes to
// stdout for automation. It carries what the public screen shows (first name and initial,
// room) and ids, never emails, TRNs or full names.
#include "scan_source.hpp"

#include "muster/checkin/check_in_desk.hpp"

#include <string>

namespace muster::kiosk {

std::string scan_report_json(const checkin::ScanResult& result, InputKind input);
std::string json_escape(std::string_view text);

}  // namespace muster::kiosk
