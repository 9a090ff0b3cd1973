#!/usr/bin/env bash
# Fuzzes Muster's parsers with libFuzzer (docs/fuzzing.md).
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS] [-- libFuzzer options...]
#
# Builds the targets with clang-15 in build/fuzz (ASan+UBSan+coverage; its own directory,
# never mixed with the g++ builds), then runs each for SECONDS (default 60) on one core:
# the seed corpus tests/fuzz/TARGET/corpus is read, what the run learns is kept in
# build/fuzz/corpus/TARGET, and a finding is written to build/fuzz/findings/TARGET/ and
# stops that target with a non-zero exit. A finding's reproducer, once fixed, belongs in
# tests/fuzz/TARGET/corpus/ so the test command replays it for ever after.
# FUZZ_RUNS=N runs each target for N executions instead of a time.
# The last line per target says how many executions it reached ("executed N").
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
target=${1:-all}
seconds=${2:-60}
shift $(( $# >= 2 ? 2 : $# ))
[ "${1:-}" = "--" ] && shift
extra=("$@")

bash scripts/setup.sh
# The fuzzing tools are not in packages.txt: the test command does not need them.
missing=()
for p in clang-15 libfuzzer-15-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

build=build/fuzz
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
CC=clang-15 CXX=clang++-15 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMUSTER_FUZZ=ON \
  -DMUSTER_BUILD_TESTS=OFF -DMUSTER_BUILD_BENCH=OFF -DMUSTER_WITH_GUI=OFF -DMUSTER_WERROR=OFF \
  "${launcher[@]}" >/dev/null

if [ "$target" = all ]; then
  mapfile -t targets < <(find tests/fuzz -mindepth 2 -maxdepth 2 -type d -name corpus | sed -e 's|tests/fuzz/||' -e 's|/corpus||' | sort)
  cmake --build "$build" --target muster-fuzz-all
else
  targets=("$target")
  cmake --build "$build" --target "muster-fuzz-$target"
fi

limit=(-max_total_time="$seconds")
[ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
status=0
for t in "${targets[@]}"; do
  work="$build/corpus/$t"
  findings="$build/findings/$t"
  mkdir -p "$work" "$findings"
  log="$build/$t.log"
  echo "== $t"
  # -rss_limit_mb: the targets open SQLite databases and TLS contexts; 2 GB is generous.
  if "$build/tests/fuzz/muster-fuzz-$t" "${limit[@]}" -print_final_stats=1 -rss_limit_mb=2048 \
       -artifact_prefix="$findings/" "${extra[@]}" "$work" "tests/fuzz/$t/corpus" >"$log" 2>&1; then
    :
  else
    status=1
    echo "   FINDING: see $log and $findings/"
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  echo "   executed ${execs:-?} inputs (${speed:-?}/s), corpus $(find "$work" -type f | wc -l) files"
done
exit $status
