#pragma once
// What the running kiosk says on stderr, in the one logger's JSON lines (muster::log), in
// words shared by the window and the headless loop. Ids, states, counts and device paths
// only: never a name, TRN, email or badge token.
#include "scan_source.hpp"
#include "sync_client.hpp"

#include "muster/log/logger.hpp"

namespace muster::kiosk {

// {"event":"input","input":"camera","state":"unavailable","message":"camera unavailable (...)"}
void log_input_status(log::Logger& log, InputKind kind, const SourceStatus& status);
// {"event":"sync","status":"online, 0 queued, ...","online":true,"queued":0,...}
void log_sync_status(log::Logger& log, const SyncStatus& status);

}  // namespace muster::kiosk
