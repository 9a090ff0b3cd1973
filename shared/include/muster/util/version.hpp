#pragma once
// The program's version (CMake's project version), as kiosks report it to the hub
// (GET /v1/changes?version=...) and `muster device list` shows it.
#include <string_view>

namespace muster {

std::string_view program_version();

}  // namespace muster
