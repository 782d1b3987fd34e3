#!/usr/bin/env bash
# The kernel test matrix: the same btc-built executables run on the host kernel and on Debian's
# 6.1 kernel booted under qemu (TCG), each checked against its expected output.
#   tests/kernel/run_matrix.sh BTC WORKDIR
# Each case is cases/NAME.bt, NAME.out (exact stdout) and NAME.kernels: "vm", "host" or "both".
# Optional NAME.vm-hide: directories the VM covers with an empty tmpfs while NAME runs (to take a
# kernel interface away from the tool, e.g. the kprobe PMU, so that a fallback path runs).
# Optional NAME.vm-alongside: the name of a helper tool (helpers/HELPER.bt) the VM starts, and
# waits for until it has attached, before NAME runs, and stops after it (to take a kernel
# resource away from the tool, e.g. every slot of a function's BPF trampoline).
# Optional NAME.args: command-line arguments of the tool (e.g. --check), split like sh words
# (quotes group: -c "CMD ARGS").
# @WORKLOAD@ in NAME.bt and NAME.args: btc_workload, the static test program built next to BTC
# (its functions are uprobe targets); the VM holds it at the same path.
# Optional NAME.env: NAME=VALUE words added to the tool's environment (e.g. a test hook).
# Kprobe/kretprobe cases run only in the VM: the host kernel has CONFIG_KPROBES off.
set -euo pipefail
btc=$(realpath "$1")
work=$(realpath -m "$2")
here=$(cd "$(dirname "$0")" && pwd)
workload=$(dirname "$btc")/btc_workload
mkdir -p "$work/tools" "$work/results" "$work/cases"
fail=0

note() { printf '[kernel-matrix] %s\n' "$*"; }

# ---- compile every case once, against the host's BTF ----
cases=()
for bt in "$here"/cases/*.bt; do
  name=$(basename "$bt" .bt)
  if grep -q @WORKLOAD@ "$bt"; then
    sed "s|@WORKLOAD@|$workload|g" "$bt" >"$work/cases/$name.bt"
    bt="$work/cases/$name.bt"
  fi
  if ! "$btc" "$bt" -o "$work/tools/$name" 2>"$work/results/$name.btc.err"; then
    note "FAIL $name: btc refused it:"; cat "$work/results/$name.btc.err"; fail=1; continue
  fi
  cases+=("$name")
done

# ---- and the helpers that run alongside some cases in the VM ----
mkdir -p "$work/tools/helpers"
for bt in "$here"/helpers/*.bt; do
  [[ -e "$bt" ]] || continue
  name=$(basename "$bt" .bt)
  if ! "$btc" "$bt" -o "$work/tools/helpers/$name" 2>"$work/results/helper-$name.btc.err"; then
    note "FAIL helper $name: btc refused it:"; cat "$work/results/helper-$name.btc.err"; fail=1
  fi
done

args_of() { if [[ -f "$here/cases/$1.args" ]]; then sed "s|@WORKLOAD@|$workload|g" "$here/cases/$1.args"; fi; }
env_of() { if [[ -f "$here/cases/$1.env" ]]; then cat "$here/cases/$1.env"; fi; }

check() {  # check NAME KERNEL ACTUAL_STDOUT RC [STDERR_FILE]
  local name=$1 kernel=$2 actual=$3 rc=$4 err=${5:-}
  # NAME.expect-fail: the tool must exit 1 and say this line on stderr (a refusal test).
  if [[ -f "$here/cases/$name.expect-fail" ]]; then
    local want; want=$(cat "$here/cases/$name.expect-fail")
    if [[ "$rc" == 1 ]] && grep -qF -- "$want" "$err"; then
      note "PASS $name on $kernel (refused as expected)"
    else
      note "FAIL $name on $kernel: expected exit 1 and '$want', got exit $rc:"; cat "$err"; fail=1
    fi
    return
  fi
  if [[ "$rc" != 0 ]]; then
    note "FAIL $name on $kernel: exit code $rc"; fail=1; return
  fi
  if diff -u "$here/cases/$name.out" "$actual" >"$work/results/$name.$kernel.diff"; then
    note "PASS $name on $kernel"
  else
    note "FAIL $name on $kernel:"; cat "$work/results/$name.$kernel.diff"; fail=1
  fi
}

# ---- host kernel ----
[[ -d /sys/kernel/tracing/events ]] || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
echo marker > /tmp/btc-marker
for name in "${cases[@]}"; do
  grep -qE '^(host|both)$' "$here/cases/$name.kernels" || continue
  ( set +e; while :; do /bin/cat /tmp/btc-marker >/dev/null; /bin/cat /nonexistent 2>/dev/null; sleep 0.1; done ) &
  wl=$!
  rc=0
  eval "args=($(args_of "$name"))"
  # shellcheck disable=SC2046  # NAME.env is split into words on purpose
  env $(env_of "$name") timeout 30 "$work/tools/$name" "${args[@]}" >"$work/results/$name.host.out" \
    2>"$work/results/$name.host.err" || rc=$?
  kill "$wl" 2>/dev/null; wait "$wl" 2>/dev/null || true
  check "$name" host "$work/results/$name.host.out" "$rc" "$work/results/$name.host.err"
done

# ---- Debian 6.1 kernel under qemu ----
kdir="$work/kernel"
if [[ ! -f "$kdir/vmlinuz" ]]; then
  mkdir -p "$kdir" && pushd "$kdir" >/dev/null
  pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}')
  apt-get download "$pkg" >/dev/null
  dpkg-deb -x linux-image-*.deb extracted
  cp extracted/boot/vmlinuz-* vmlinuz
  rm -rf extracted linux-image-*.deb
  popd >/dev/null
fi
root="$work/initrd"
rm -rf "$root" && mkdir -p "$root"/{bin,proc,sys,tmp,tools/helpers,dev}
cp /bin/busybox "$root/bin/busybox"
if [[ -f "$workload" ]]; then mkdir -p "$root$(dirname "$workload")" && cp "$workload" "$root$workload"; fi
vm_cases=()
for name in "${cases[@]}"; do
  grep -qE '^(vm|both)$' "$here/cases/$name.kernels" || continue
  cp "$work/tools/$name" "$root/tools/$name"
  [[ -f "$here/cases/$name.vm-hide" ]] && cp "$here/cases/$name.vm-hide" "$root/tools/$name.hide"
  args_of "$name" >"$root/tools/$name.args"
  env_of "$name" >"$root/tools/$name.env"
  if [[ -f "$here/cases/$name.vm-alongside" ]]; then
    helper=$(cat "$here/cases/$name.vm-alongside")
    cp "$here/cases/$name.vm-alongside" "$root/tools/$name.alongside"
    cp "$work/tools/helpers/$helper" "$root/tools/helpers/$helper"
  fi
  vm_cases+=("$name")
done
cat >"$root/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug
echo marker > /tmp/btc-marker
echo "@@BTC-KERNEL \$(uname -r)"
for name in ${vm_cases[*]}; do
  ( while :; do /bin/cat /tmp/btc-marker >/dev/null; /bin/cat /nonexistent 2>/dev/null; sleep 0.2; done ) &
  wl=\$!
  hidden=""
  [ -f /tools/\$name.hide ] && hidden=\$(cat /tools/\$name.hide)
  for d in \$hidden; do mount -t tmpfs none \$d; done
  helper=""
  if [ -f /tools/\$name.alongside ]; then
    h=\$(cat /tools/\$name.alongside)
    rm -f /tmp/\$h.err
    /tools/helpers/\$h >/dev/null 2>/tmp/\$h.err &
    helper=\$!
    i=0
    while ! grep -q '^Attached' /tmp/\$h.err && [ \$i -lt 300 ]; do sleep 0.2; i=\$((i+1)); done
    sed "s/^/@@BTC-HELPER \$h /" /tmp/\$h.err
  fi
  eval "set -- \$(cat /tools/\$name.args)"
  env \$(cat /tools/\$name.env) timeout 60 /tools/\$name "\$@" >/tmp/\$name.out 2>/tmp/\$name.err
  rc=\$?
  [ -n "\$helper" ] && kill \$helper && wait \$helper
  for d in \$hidden; do umount \$d; done
  kill \$wl
  echo "@@BTC-BEGIN \$name"
  cat /tmp/\$name.out
  echo "@@BTC-END \$name \$rc"
  sed "s/^/@@BTC-STDERR \$name /" /tmp/\$name.err
done
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1 >"$work/initrd.gz")
note "booting $(basename "$kdir")/vmlinuz with ${#vm_cases[@]} tools"
timeout 600 qemu-system-x86_64 -m 1024 -smp 1 -kernel "$kdir/vmlinuz" -initrd "$work/initrd.gz" \
  -append "console=ttyS0 quiet panic=-1" -nographic -no-reboot </dev/null >"$work/results/vm.log" 2>&1 || true
tr -d '\r' <"$work/results/vm.log" >"$work/results/vm.clean.log"
grep -q '@@BTC-KERNEL 6\.1' "$work/results/vm.clean.log" || { note "FAIL: the 6.1 VM did not boot (see $work/results/vm.log)"; fail=1; }
for name in "${vm_cases[@]}"; do
  awk -v n="$name" '$0=="@@BTC-BEGIN " n {on=1; next} on && index($0, "@@BTC-END " n " ")==1 {exit} on {print}' \
    "$work/results/vm.clean.log" >"$work/results/$name.vm.out"
  rc=$(awk -v n="$name" 'index($0, "@@BTC-END " n " ")==1 {print $3}' "$work/results/vm.clean.log")
  sed -n "s/^@@BTC-STDERR $name //p" "$work/results/vm.clean.log" >"$work/results/$name.vm.err"
  check "$name" vm-6.1 "$work/results/$name.vm.out" "${rc:-missing}" "$work/results/$name.vm.err"
done
exit $fail
