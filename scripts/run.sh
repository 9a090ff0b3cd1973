#!/usr/bin/env bash
# The README's run command: install what is missing, build in Release, and start Muster
# on an embedded default: a demo hub in SQLite (rebuilt on every run).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh

build=build/release
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMUSTER_BUILD_TESTS=OFF -DMUSTER_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"$(nproc)"

hub=${MUSTER_HUB:-$root/demo-hub}
"$build/sync-server/admin/muster" demo --hub "$hub" --replace
echo
echo "Try the admin tool:  $build/sync-server/admin/muster event list --hub $hub"
