#!/usr/bin/env bash
# The README's run command: install what is missing, build in Release, and start Muster
# on an embedded default: a demo hub in SQLite (rebuilt on every run), its sync server on
# https://localhost:8443 (loopback only), and its entrance kiosk pointed at that server:
# in a window when a display is there, otherwise headless, taking badge codes as lines
# (as a USB scanner types them).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh

build=build/release
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMUSTER_BUILD_TESTS=OFF -DMUSTER_BUILD_BENCH=OFF -DMUSTER_WITH_SERVER=ON >/dev/null
cmake --build "$build" -j"$(nproc)"

hub=${MUSTER_HUB:-$root/demo-hub}
"$build/sync-server/admin/muster" demo --hub "$hub" --replace
config="$hub/devices/entrance-1/device.toml"

# The sync server, stopped gracefully (SIGTERM) when this script ends.
"$build/sync-server/server/muster-sync-server" --config "$hub/sync-server.toml" 2>>"$hub/server.log" &
server_pid=$!
trap 'kill -TERM "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -sf --cacert "$hub/tls/server-cert.pem" https://localhost:8443/v1/health >/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { echo "The sync server did not start; see $hub/server.log" >&2; exit 1; }
  sleep 0.1
done
echo
echo "Sync server on https://localhost:8443 (log: $hub/server.log; API: docs/api.md)."

# The facilitators' live register (docs/register.md): one link for the whole event (hub
# staff) and one for room 1, each good for one browser until the end of the event's day.
register_link() {
  "$build/sync-server/admin/muster" --hub "$hub" register link --event 1 "$@" | grep -o 'https://[^ ]*'
}
event_link=$(register_link --label "run command: whole event" --qr "$hub/register-event.svg")
room_link=$(register_link --room 1 --label "run command: room 1" --qr "$hub/register-room-1.svg")
echo "Live register (open in a browser on this machine; each link works in one browser only;"
echo "the hub's certificate is self-signed: accept it once, or trust $hub/tls/server-cert.pem):"
echo "  whole event, for hub staff:  $event_link"
echo "  room 1, for its facilitator: $room_link"
echo "  (QR codes of both: $hub/register-event.svg, $hub/register-room-1.svg; more: muster register link --help)"
echo

# The hub staff's pages (docs/staff.md, docs/reconciliation.md): a demo admin account whose
# password is made for this run and shown only here (never written to a file).
staff_email=demo-admin@hub.example.org
staff_password=$(openssl rand -base64 18 | tr -d '/+=' | cut -c1-20)
printf '%s\n' "$staff_password" |
  "$build/sync-server/admin/muster" --hub "$hub" staff add --name "Demo Admin" --email "$staff_email" --role admin >/dev/null
echo "Staff pages (reconciliation, schools, deliveries, facilitators, satisfaction, accounts): https://localhost:8443/staff/"
echo "  log in as $staff_email with the password $staff_password (made for this run)"
echo "  an event signed off there is delivered as CSV files to $hub/outgoing (docs/central.md)"
echo
if [ -n "${DISPLAY:-}" ]; then
  echo "Opening kiosk 'entrance-1' full screen (Staff button: PIN 2468; Escape is not an exit, staff Quit is)."
  "$build/kiosk/app/muster-kiosk" --config "$config"
  exit
fi
kiosk=("$build/kiosk/app/muster-kiosk" --headless --config "$config")
if [ -t 0 ]; then
  echo "Kiosk 'entrance-1' is ready. Scan a badge, or paste a line from $hub/demo-scans.txt"
  echo "and press Enter; each scan answers with one JSON line and is sent to the server at once."
  echo "Ctrl-D stops the kiosk and the server."
  "${kiosk[@]}"
else
  echo "No terminal: checking in the sample scans from $hub/demo-scans.txt"
  "${kiosk[@]}" < "$hub/demo-scans.txt"
  echo "The server now holds $(sqlite3 "$hub/hub.db" 'SELECT COUNT(*) FROM check_ins') check-ins from the kiosk."
fi
