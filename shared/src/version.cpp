#include "muster/util/version.hpp"

// MUSTER_VERSION is defined for this one file only (shared/CMakeLists.txt), so a new
// version recompiles this file and nothing else.
namespace muster {

std::string_view program_version() { return MUSTER_VERSION; }

}  // namespace muster
