"""Checks of a generated tool outside the normal case flow:

  inline        `btc -e 'PROGRAM' -o OUT` compiles a program given on the command line
  unprivileged  run as nobody: exit 1 with one stderr line about permission/privilege
  chroot        run alone in an empty root (plus three kernel files): still prints its output
  sigpipe       output into a pipe whose reader goes away (`tool | head -3`): the tool ends
                quietly with status 0
  second_sigint a second SIGINT while the maps are printed (into a pipe nobody reads, so
                printing blocks) ends the tool at once
  lost_events   a reader that stalls (nobody reads the tool's stdout for a while) loses
                events for sure: "Lost N events" lines, the total warning, and printed +
                lost == generated; with perf_buffer, the same through the perf-buffer path
                (BTC_FORCE_PERF_BUFFER=1)
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time

from . import cases, compare, environment, tool_run
from .spec import Case

NOBODY = 65534
HELLO_SCRIPT = 'BEGIN { printf("hello from btc\\n"); exit(); }\n'
# A tracepoint as well, so attaching needs tracefs and CO-RE needs BTF.
CHROOT_SCRIPT = """BEGIN { printf("chroot begin\\n"); }
tracepoint:syscalls:sys_enter_getpid /comm == "btc_workload"/ { @calls = count(); }
END { printf("chroot end\\n"); }
"""
# Kernel BTF (CO-RE), tracefs (tracepoint ids) and the possible-CPU list
# (libbpf sizes per-CPU map values with it).
CHROOT_MOUNTS = ("/sys/kernel/btf/vmlinux", environment.TRACEFS, "/sys/devices/system/cpu/possible")
INLINE_PROGRAM = 'BEGIN { printf("hi\\n"); exit(); }'
INLINE_EXPECTED = "hi\n\n\n"
CHROOT_EXPECTED = "chroot begin\nchroot end\n\n\n@calls: 3\n"


def _compile_into_tmp(btc, name, text):
    """Compiles `text` into a fresh world-readable directory; returns (dir, tool path) or raises."""
    directory = tempfile.mkdtemp(prefix=f"btc-{name}-")
    os.chmod(directory, 0o755)
    with open(os.path.join(directory, name + ".bt"), "w") as f:
        f.write(text)
    ok, message = cases.compile_script(btc, name + ".bt", name, directory)
    if not ok:
        shutil.rmtree(directory, ignore_errors=True)
        raise cases.CheckFailed(message)
    return directory, os.path.join(directory, name)


def _finish(label, failures):
    for message in failures:
        print(f"FAIL {label}: {message}")
    if not failures:
        print(f"PASS {label}")
    return not failures


def run_inline(btc, workload):
    environment.require_root()
    directory = tempfile.mkdtemp(prefix="btc-inline-")
    try:
        cmd = [btc, "-e", INLINE_PROGRAM, "-o", "inline"]
        result = subprocess.run(cmd, cwd=directory, capture_output=True, text=True, timeout=cases.COMPILE_TIMEOUT)
        if result.returncode != 0:
            return _finish("inline", [f"btc -e failed (exit {result.returncode}):\n{result.stdout}{result.stderr}"])
        case = Case(name="inline", directory="", script="", end="exit", timeout=30)
        with environment.ExclusiveLock():
            run = tool_run.run_tool([os.path.join(directory, "inline")], case, workload, lambda s: s, directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    failures = list(run.problems)
    if run.status != 0:
        failures.append(f"exit status {run.status}, expected 0; stderr:\n{run.stderr}")
    if run.stdout != INLINE_EXPECTED:
        failures.append("stdout differs:\n" + compare.unified_diff(INLINE_EXPECTED, run.stdout))
    return _finish("inline", failures)


def run_unprivileged(btc):
    environment.require_root()  # root is needed to switch to nobody
    directory, tool = _compile_into_tmp(btc, "unpriv", HELLO_SCRIPT)
    try:
        cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--inh-caps=-all", tool]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    failures = []
    if result.returncode != 1:
        failures.append(f"exit status {result.returncode}, expected 1")
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    if len(lines) != 1:
        failures.append(f"expected exactly one stderr line, got {len(lines)}:\n{result.stderr}")
    elif not any(w in lines[0].lower() for w in ("permission", "privilege")):
        failures.append(f"the stderr line does not mention permission or privilege: {lines[0]!r}")
    if result.stdout:
        failures.append(f"unexpected stdout:\n{result.stdout}")
    return _finish("unprivileged", failures)


def run_chroot(btc, workload):
    """Copies the tool alone into an empty directory and runs it chrooted there.

    Only the kernel files a tracepoint tool truly needs are bind-mounted (see
    CHROOT_MOUNTS): no /proc, no rest of /sys, no libraries. The mounts live in a private mount
    namespace, so nothing outlives the test."""
    environment.require_root()
    environment.ensure_tracefs()
    directory, tool = _compile_into_tmp(btc, "chrooted", CHROOT_SCRIPT)
    root = tempfile.mkdtemp(prefix="btc-chroot-")
    try:
        shutil.copy2(tool, os.path.join(root, "chrooted"))
        mounts = []
        for path in CHROOT_MOUNTS:
            inside = root + path
            if os.path.isdir(path):
                os.makedirs(inside)
            else:
                os.makedirs(os.path.dirname(inside), exist_ok=True)
                open(inside, "w").close()
            mounts.append(f"mount --bind {path} {inside}")
        inner = " && ".join(mounts + [f"exec chroot {root} /chrooted"])
        case = Case(name="chroot", directory="", script="", runs=[["getpid", "3"]], timeout=30)
        cmd = ["unshare", "--mount", "--propagation", "private", "sh", "-c", inner]
        with environment.ExclusiveLock():
            run = tool_run.run_tool(cmd, case, workload, lambda s: s, root)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        _remove_root(root)
    failures = list(run.problems)
    if run.status != 0:
        failures.append(f"exit status {run.status}, expected 0; stderr:\n{run.stderr}")
    if run.stdout != CHROOT_EXPECTED:
        failures.append("stdout differs:\n" + compare.unified_diff(CHROOT_EXPECTED, run.stdout))
    return _finish("chroot", failures)


def _remove_root(root):
    # The mounts lived in the private namespace; never descend into a mount
    # that somehow survived.
    if any(os.path.ismount(root + path) for path in CHROOT_MOUNTS):
        raise RuntimeError(f"{root} still has kernel files mounted; not removing it")
    shutil.rmtree(root, ignore_errors=True)


SIGPIPE_SCRIPT = 'interval:ms:2 { printf("tick\\n"); }\nEND { printf("end\\n"); }\n'
SECOND_SIGINT_SCRIPT = """let @m = hash(100000);
tracepoint:syscalls:sys_enter_getpid /comm == "btc_workload"/ { @m[nsecs] = 1; }
"""
SECOND_SIGINT_EVENTS = 40000  # @m[...]: 1 lines: ~1 MB of map output, far more than a pipe holds


def _wait_for_attach(proc, seconds):
    """Reads stderr until "Attached N probes"; returns what was read, or None on timeout/exit."""
    deadline = time.monotonic() + seconds
    seen = b""
    os.set_blocking(proc.stderr.fileno(), False)
    while time.monotonic() < deadline and proc.poll() is None:
        chunk = proc.stderr.read()
        if chunk:
            seen += chunk
            if tool_run.ATTACHED_RE.search(seen.decode(errors="replace").split("\n")[0]):
                return seen.decode(errors="replace")
        time.sleep(0.01)
    return None


def run_sigpipe(btc):
    environment.require_root()
    directory, tool = _compile_into_tmp(btc, "sigpipe", SIGPIPE_SCRIPT)
    failures = []
    try:
        with environment.ExclusiveLock():
            proc = subprocess.Popen([tool], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            lines = [proc.stdout.readline() for _ in range(3)]
            proc.stdout.close()  # the reader goes away, like `head -3`
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                failures.append("the tool kept running after its reader went away")
            stderr = proc.stderr.read().decode(errors="replace")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    if lines != [b"tick\n"] * 3:
        failures.append(f"unexpected first lines: {lines!r}")
    if proc.returncode != 0:
        failures.append(f"exit status {proc.returncode}, expected 0")
    noise = [l for l in stderr.splitlines() if not tool_run.ATTACHED_RE.match(l)]
    if noise:
        failures.append("stderr should only say it attached, but has:\n" + "\n".join(noise))
    return _finish("sigpipe", failures)


def run_second_sigint(btc, workload):
    environment.require_root()
    environment.ensure_tracefs()
    directory, tool = _compile_into_tmp(btc, "second_sigint", SECOND_SIGINT_SCRIPT)
    failures = []
    try:
        with environment.ExclusiveLock():
            proc = subprocess.Popen([tool], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                if _wait_for_attach(proc, 20) is None:
                    failures.append("the tool did not attach")
                else:
                    subprocess.run([workload, "getpid", str(SECOND_SIGINT_EVENTS)], check=True, timeout=60)
                    proc.send_signal(signal.SIGINT)  # first: END, then the maps (which block in the pipe)
                    time.sleep(1.0)
                    if proc.poll() is not None:
                        failures.append(f"the tool exited ({proc.returncode}) although nobody read its maps")
                    proc.send_signal(signal.SIGINT)  # second: at once
                    try:
                        proc.wait(timeout=2)
                        if proc.returncode != -signal.SIGINT:
                            failures.append(f"exit status {proc.returncode}, expected death by SIGINT")
                    except subprocess.TimeoutExpired:
                        failures.append("the second SIGINT did not end the tool within 2 s")
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return _finish("second_sigint", failures)


LOST_SCRIPT = 'tracepoint:syscalls:sys_enter_getpid /comm == "btc_workload"/ { printf("e\\n"); }\n'
# The stalled reader holds a pipe and a stdio buffer (~130 KB of "e\n"), the ring
# buffer ~65k records: 200k events overflow both by far.
LOST_EVENTS = 200000


def run_lost_events(btc, workload, perf_buffer=False):
    environment.require_root()
    environment.ensure_tracefs()
    label = "lost_events_perf_buffer" if perf_buffer else "lost_events"
    env = {**os.environ, "BTC_FORCE_PERF_BUFFER": "1"} if perf_buffer else None
    directory, tool = _compile_into_tmp(btc, "lost_events", LOST_SCRIPT)
    failures = []
    try:
        with environment.ExclusiveLock():
            proc = subprocess.Popen([tool], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
            try:
                attached = _wait_for_attach(proc, 20)
                if attached is None:
                    return _finish(label, ["the tool did not attach"])
                subprocess.run([workload, "getpid", str(LOST_EVENTS)], check=True, timeout=60)
                reader = subprocess.Popen(["cat"], stdin=proc.stdout, stdout=subprocess.PIPE)  # the reader wakes up
                time.sleep(1.0)
                proc.send_signal(signal.SIGINT)
                stdout = reader.communicate(timeout=30)[0].decode()
                proc.wait(timeout=30)
                os.set_blocking(proc.stderr.fileno(), True)
                stderr = attached + proc.stderr.read().decode(errors="replace")
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    printed = stdout.split("\n").count("e")
    reports = [int(m.group(1)) for m in map(cases.LOST_RE.match, stderr.splitlines()) if m]
    totals = [int(m.group(1)) for m in map(cases.TOTAL_LOST_RE.match, stderr.splitlines()) if m]
    if not reports:
        failures.append("no 'Lost N events' line although the reader stalled:\n" + stderr)
    if len(totals) != 1 or totals[0] != sum(reports):
        failures.append(f"'WARNING: Total lost event count' {totals} does not add up the reports {reports}")
    elif printed + totals[0] != LOST_EVENTS:
        failures.append(f"{printed} printed + {totals[0]} lost != {LOST_EVENTS} generated")
    if proc.returncode != 0:
        failures.append(f"exit status {proc.returncode}, expected 0")
    print(f"INFO {label}: {printed} printed, {sum(reports)} lost")
    return _finish(label, failures)
