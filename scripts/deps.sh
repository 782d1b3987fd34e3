#!/usr/bin/env bash
# Installs everything btc needs to build and test, from Debian packages only.
# Usage: scripts/deps.sh [--qemu]   (--qemu also installs the kernel test matrix's tools)
set -euo pipefail
pkgs=(
  build-essential cmake pkg-config
  clang-19 llvm-19
  libbpf-dev bpftool libelf-dev libdw-dev zlib1g-dev libzstd-dev
  libcli11-dev googletest libgtest-dev systemtap-sdt-dev libclang-rt-19-dev
  file python3
)
if [[ "${1:-}" == "--qemu" ]]; then
  pkgs+=(qemu-system-x86 busybox-static cpio)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
