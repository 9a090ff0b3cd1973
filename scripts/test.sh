#!/usr/bin/env bash
# The README's test command: install what is missing, build everything with ASan+UBSan,
# run every test through ctest. Exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh

build=build/test
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMUSTER_SANITIZE=ON -DMUSTER_WERROR=ON -DMUSTER_WITH_SERVER=ON >/dev/null
cmake --build "$build" -j"$(nproc)"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Tests run $(nproc) at a time: most of their time is spent waiting (long polls, timeouts,
# child processes starting), and each makes its own files, ports and Xvfb display.
ctest --test-dir "$build" --output-on-failure --timeout 600 -j"$(nproc)" "$@"
