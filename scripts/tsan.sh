#!/usr/bin/env bash
# ThreadSanitizer over the multi-threaded parts: the sync server (several I/O threads) and
# the kiosk's sync client (its own thread beside the UI). Not part of the test command (it
# adds a third build); run it after touching threads. Reports go to build-tsan/tsan.PID
# (the server and kiosk processes the tests start report there too); none is a pass.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh
build=build-tsan
# -Wno-tsan: GCC 12 warns that std::atomic_thread_fence is not modelled by TSan (in libstdc++).
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS="-fsanitize=thread -O1 -g -Wno-tsan" \
      -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" -DMUSTER_WERROR=ON -DMUSTER_WITH_GUI=OFF -DMUSTER_WITH_NFC=OFF \
      -DMUSTER_BUILD_BENCH=OFF -DMUSTER_WITH_SERVER=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target muster-sync-server muster-kiosk muster_server_tests muster_register_server_tests \
      muster_staff_server_tests muster_kiosk_sync_tests muster_delivery_tests muster_delivery_chaos_tests muster-crm-stand-in \
      muster_server_pg_tests muster-test-postgres
rm -f "$build"/tsan.*
export TSAN_OPTIONS="halt_on_error=0 log_path=$root/$build/tsan"
"$build"/tests/server/muster_server_tests
"$build"/tests/server/muster_register_server_tests
"$build"/tests/server/muster_staff_server_tests
"$build"/tests/kiosk_sync/muster_kiosk_sync_tests
# Two server processes on one PostgreSQL database: the change watcher's LISTEN connection
# (its own thread) and the delivery worker's lease release. The program starts a private cluster.
"$build"/tests/server/muster_server_pg_tests
# The central records' delivery worker: a thread per target beside the server's own.
"$build"/tests/central/muster_delivery_tests
"$build"/tests/central/muster_delivery_chaos_tests
if ls "$build"/tsan.* >/dev/null 2>&1; then
  echo "ThreadSanitizer reports:"; ls "$build"/tsan.*; exit 1
fi
echo "No ThreadSanitizer reports."
