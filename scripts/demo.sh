#!/usr/bin/env bash
# Installs the dependencies, builds btc, compiles examples/opensnoop.bt into one
# static executable and runs it while a background loop opens a few files.
# Usage: sudo scripts/demo.sh [SECONDS]   (without SECONDS: until Ctrl-C)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BTC_BUILD_DIR:-$root/build}
seconds=${1:-}

"$root/scripts/deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target btc

mkdir -p "$build/demo"
"$build/btc" "$root/examples/opensnoop.bt" -o "$build/demo/opensnoop"
echo "== compiled: $(file -b "$build/demo/opensnoop" | cut -d, -f1-4)"
[[ -d /sys/kernel/tracing/events ]] || mount -t tracefs tracefs /sys/kernel/tracing

# Something to see: open a few files every half second.
(while sleep 0.5; do cat /etc/hostname /etc/os-release /no/such/file >/dev/null 2>&1; done) &
opener=$!
trap 'kill "$opener" 2>/dev/null || true' EXIT

if [[ -n "$seconds" ]]; then
  status=0
  timeout -s INT "$seconds" "$build/demo/opensnoop" || status=$?
  [[ $status -eq 0 || $status -eq 124 ]] || exit "$status"
else
  "$build/demo/opensnoop"
fi
