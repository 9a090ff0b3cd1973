#!/usr/bin/env bash
# Builds the benchmarks in Release and runs them; each prints its figures beside the
# reference it compares with. Pass names to run a subset: scripts/bench.sh core camera
# (a name runs its group too: `server` runs muster-bench-server and muster-bench-server-streams)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh
build=build/bench
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMUSTER_BUILD_TESTS=OFF -DMUSTER_BUILD_BENCH=ON -DMUSTER_WITH_SERVER=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
wanted=("$@")
for exe in "$build"/bench/*/muster-bench-*; do
  name=$(basename "$exe"); name=${name#muster-bench-}
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " =~ " $name " ]] && [[ ! " ${wanted[*]} " =~ " ${name%%-*} " ]]; then continue; fi
  echo "=== $name ==="
  "$exe"
  echo
done
