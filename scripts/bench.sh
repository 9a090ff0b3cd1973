#!/usr/bin/env bash
# Builds the benchmarks in Release and runs them; each prints its figures beside the
# reference it compares with. Pass names to run a subset: scripts/bench.sh core camera
# A name runs its folder's benches too: `server` runs muster-bench-server and
# muster-bench-server-streams, `core` runs bench/core's (core, progress, reconcile, staff).
# "register" is a Python bench (bench/register/scan_to_page.py): a scan at a headless kiosk to
# its row in the register page in headless Chromium.
# "durability" runs the kill cycles (bench/durability/, docs/durability.md): the full 1,000
# kiosk and 100 server cycles take several minutes each.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh
build=build/bench
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMUSTER_BUILD_TESTS=OFF -DMUSTER_BUILD_BENCH=ON -DMUSTER_WITH_SERVER=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
wanted=("$@")
want() { [ ${#wanted[@]} -eq 0 ] || [[ " ${wanted[*]} " =~ " $1 " ]]; }
for exe in "$build"/bench/*/muster-bench-*; do
  name=$(basename "$exe"); name=${name#muster-bench-}
  folder=$(basename "$(dirname "$exe")")
  # The kill cycles answer to their own names and "durability" only, not to "kiosk"/"server".
  want "$name" || want "$folder" || { [ "$folder" != durability ] && want "${name%%-*}"; } || continue
  echo "=== $name ==="
  "$exe"
  echo
done
if want register; then
  echo "=== register ==="
  /usr/bin/python3 bench/register/scan_to_page.py --build "$build"
  echo
fi
