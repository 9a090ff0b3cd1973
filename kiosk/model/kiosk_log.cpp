#include "kiosk_log.hpp"

namespace muster::kiosk {

void log_input_status(log::Logger& log, InputKind kind, const SourceStatus& status) {
    // A source that is not ready is worth a look from staff; ready is the normal case.
    auto level = status.state == SourceState::ready || status.state == SourceState::starting ? log::Level::info : log::Level::warn;
    log.log(level, "input", {{"input", to_string(kind)}, {"state", to_string(status.state)}, {"message", status.message}});
}

void log_sync_status(log::Logger& log, const SyncStatus& status) {
    log.info("sync", {{"status", describe(status)},
                      {"online", status.online},
                      {"queued", status.queued},
                      {"rejected", status.rejected},
                      {"revoked", status.revoked},
                      {"clock_flagged", status.clock_flagged}});
}

}  // namespace muster::kiosk
