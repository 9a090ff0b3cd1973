#!/usr/bin/env bash
# The README's run command: install what is missing, build in Release, and start Muster
# on an embedded default: a demo hub in SQLite (rebuilt on every run) and its entrance
# kiosk: in a window when a display is there, otherwise headless, taking badge codes as
# lines (as a USB scanner types them).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh

build=build/release
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMUSTER_BUILD_TESTS=OFF -DMUSTER_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"$(nproc)"

hub=${MUSTER_HUB:-$root/demo-hub}
"$build/sync-server/admin/muster" demo --hub "$hub" --replace
config="$hub/devices/entrance-1/device.toml"
echo
if [ -n "${DISPLAY:-}" ]; then
  echo "Opening kiosk 'entrance-1' full screen (Staff button: PIN 2468; Escape is not an exit, staff Quit is)."
  exec "$build/kiosk/app/muster-kiosk" --config "$config"
fi
kiosk=("$build/kiosk/app/muster-kiosk" --headless --config "$config")
if [ -t 0 ]; then
  echo "Kiosk 'entrance-1' is ready. Scan a badge, or paste a line from $hub/demo-scans.txt"
  echo "and press Enter; each scan answers with one JSON line. Ctrl-D stops it."
  exec "${kiosk[@]}"
else
  echo "No terminal: checking in the sample scans from $hub/demo-scans.txt"
  exec "${kiosk[@]}" < "$hub/demo-scans.txt"
fi
