#include "sync_status.hpp"

#include "muster/time/uk_time.hpp"

#include <algorithm>
#include <cstdlib>

namespace muster::kiosk {

std::string describe(const SyncStatus& st) {
    std::string out;
    if (st.revoked) out = "REVOKED by the hub";
    else out = st.online ? "online" : "offline";
    out += ", " + std::to_string(st.queued) + " queued";
    if (st.rejected) out += ", " + std::to_string(st.rejected) + " refused by the hub";
    out += st.last_ok_ms ? ", last sync " + uk_time::format_hhmm(*st.last_ok_ms) : ", never synced";
    if (st.servers > 1) out += ", server " + std::to_string(st.server + 1) + " of " + std::to_string(st.servers);
    if (!st.online && st.next_retry_ms) {
        auto in = (*st.next_retry_ms - uk_time::now_ms() + 999) / 1000;
        out += ", retrying in " + std::to_string(std::max<long long>(0, in)) + " s";
    }
    if (!st.online && !st.last_error.empty()) out += " (" + st.last_error + ")";
    if (st.clock_flagged) {
        auto minutes = std::llabs(st.clock_offset_ms) / 60'000;
        out += std::string(", DEVICE CLOCK ") + std::to_string(minutes) + " min " + (st.clock_offset_ms < 0 ? "fast" : "slow");
    }
    return out;
}

}  // namespace muster::kiosk
