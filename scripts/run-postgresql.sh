#!/usr/bin/env bash
# The demo on PostgreSQL with two server processes (docs/scale.md): what a lead provider's
# deployment looks like on one machine. Installs what is missing, builds in Release, makes
# the demo hub (as the run command does), moves it into a private PostgreSQL 15 cluster with
# `muster hub migrate`, starts two muster-sync-server processes on it (https://localhost:8443
# and :8444), points the entrance kiosk at both (it fails over between them) and prints the
# register and staff links of each process. Everything stops when this script ends.
#   bash scripts/run-postgresql.sh            # headless kiosk fed the sample scans
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh

build=build/release
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMUSTER_BUILD_TESTS=OFF -DMUSTER_BUILD_BENCH=OFF -DMUSTER_WITH_SERVER=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
muster="$build/sync-server/admin/muster"
server="$build/sync-server/server/muster-sync-server"

hub=${MUSTER_HUB:-$root/demo-hub-pg}
# The cluster lives under /tmp: as root it runs as the `postgres` user, who must reach it.
cluster=$(mktemp -d /tmp/muster-demo-pg-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  bash scripts/pg_cluster.sh stop "$cluster" >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap cleanup EXIT

"$muster" demo --hub "$hub" --replace >/dev/null
server_url=$(bash scripts/pg_cluster.sh start "$cluster")
url=${server_url%/postgres}/muster_demo
/usr/lib/postgresql/15/bin/psql -q "$server_url" -c "CREATE DATABASE muster_demo TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
"$muster" --hub "$hub" hub migrate --to "$url" | tail -3

# Process B: the same hub, certificate and database, another port.
sed -e 's/^port *=.*/port = 8444/' "$hub/sync-server.toml" >"$hub/sync-server-b.toml"
chmod 600 "$hub/sync-server-b.toml"
config="$hub/devices/entrance-1/device.toml"
sed -i -e 's|^url *= *"https://localhost:8443"|url = ["https://localhost:8443", "https://localhost:8444"]|' "$config"

for name in a b; do
  file=$hub/sync-server.toml
  [ "$name" = b ] && file=$hub/sync-server-b.toml
  "$server" --config "$file" 2>>"$hub/server-$name.log" &
  pids+=($!)
done
for port in 8443 8444; do
  for _ in $(seq 100); do
    curl -sf --cacert "$hub/tls/server-cert.pem" "https://localhost:$port/v1/health" >/dev/null && break
    sleep 0.1
  done
  curl -sf --cacert "$hub/tls/server-cert.pem" "https://localhost:$port/v1/health" >/dev/null ||
    { echo "The server on port $port did not start; see $hub/server-*.log" >&2; exit 1; }
done
echo
echo "Two sync servers on one PostgreSQL database ($(echo "$url" | sed 's|//[^@]*@|//|')):"
echo "  https://localhost:8443 (log: $hub/server-a.log) and https://localhost:8444 (log: $hub/server-b.log)"

link=$("$muster" --hub "$hub" register link --event 1 --label "PostgreSQL demo: whole event" | grep -o 'https://[^ ]*')
echo "Live register (one browser per link; a scan at either server shows on both):"
echo "  through process A: $link"
echo "  through process B: ${link/:8443/:8444}"
staff_email=demo-admin@hub.example.org
staff_password=$(openssl rand -base64 18 | tr -d '/+=' | cut -c1-20)
printf '%s\n' "$staff_password" | "$muster" --hub "$hub" staff add --name "Demo Admin" --email "$staff_email" --role admin >/dev/null
echo "Staff pages: https://localhost:8443/staff/ or https://localhost:8444/staff/ ($staff_email, password $staff_password)"
echo

kiosk=("$build/kiosk/app/muster-kiosk" --headless --config "$config")
if [ -t 0 ]; then
  echo "Kiosk 'entrance-1' lists both servers. Scan a badge or paste a line from $hub/demo-scans.txt;"
  echo "kill one server (kill ${pids[0]}) and the kiosk carries on with the other. Ctrl-D stops everything."
  "${kiosk[@]}"
else
  echo "No terminal: checking in the sample scans from $hub/demo-scans.txt"
  "${kiosk[@]}" < "$hub/demo-scans.txt"
  echo "The database now holds $(/usr/lib/postgresql/15/bin/psql -tA "$url" -c 'SELECT count(*) FROM check_ins') check-ins from the kiosk."
fi
