#!/usr/bin/env bash
# Installs the dependencies, builds btc and runs the whole test suite.
# Usage: sudo scripts/test.sh      (the end-to-end tests load BPF programs: root is required)
# BTC_BUILD_DIR overrides the build directory (default: build/ in the repository).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BTC_BUILD_DIR:-$root/build}
jobs=$(nproc)

"$root/scripts/deps.sh" --qemu
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j"$jobs"
# Unit tests run in parallel; the end-to-end tests hold a RESOURCE_LOCK and run one at a time.
(cd "$build" && ctest --output-on-failure -j"$jobs")
# The kernel matrix: the same executables on this kernel and on Debian's 6.1 under qemu.
make -C "$root" -f Makefile.kernel test BUILD="$build" WORK="$build/kernel-matrix"
