#!/usr/bin/env bash
# Installs the dependencies, builds btc and runs the whole test suite:
#   1. unit tests, end-to-end tests and golden diagnostics (ctest, as root)
#   2. the kernel matrix: the same executables on this kernel and on Debian's 6.1 under qemu
#   3. the unit tests again under ASan/UBSan
#   4. a bounded libFuzzer run over lexer + parser + checker
# Usage: sudo scripts/test.sh      (the end-to-end tests load BPF programs: root is required)
# BTC_BUILD_DIR overrides the build directory (default: build/ in the repository);
# BTC_FUZZ_SECONDS sets the fuzzing time (default 60).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BTC_BUILD_DIR:-$root/build}
jobs=$(nproc)

"$root/scripts/deps.sh" --qemu
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j"$jobs"
# Unit tests run in parallel; the end-to-end tests hold a RESOURCE_LOCK and run one at a time.
(cd "$build" && ctest --output-on-failure -j"$jobs")

make -C "$root" -f Makefile.kernel test BUILD="$build" WORK="$build/kernel-matrix"

echo "== unit tests under ASan/UBSan"
cmake -S "$root" -B "$build-asan" -DBTC_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build-asan" -j"$jobs" --target btc_unit_tests
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$build-asan/tests/btc_unit_tests" --gtest_brief=1

echo "== fuzzing lexer + parser + checker for ${BTC_FUZZ_SECONDS:-60} s"
CC=clang-19 CXX=clang++-19 cmake -S "$root" -B "$build-fuzz" -DBTC_FUZZ=ON -DBTC_TESTS=OFF >/dev/null
cmake --build "$build-fuzz" -j"$jobs" --target btc_fuzz_parser
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
cp "$root"/tests/e2e/cases/*.bt "$root"/tests/e2e/bad/*.bt "$root"/examples/*.bt "$corpus/"
"$build-fuzz/btc_fuzz_parser" -max_total_time="${BTC_FUZZ_SECONDS:-60}" -timeout=10 -rss_limit_mb=4096 \
  -print_final_stats=1 "$corpus"
echo "== all tests passed"
