#pragma once
// Kiosk A scan -> kiosk B knows it (issue 11): with push on (B's long poll) and off (B's
// 2 s poll alone, the reference), against the real muster-sync-server over HTTPS.
namespace muster::bench {

void scan_known_elsewhere(int scans);

}  // namespace muster::bench
