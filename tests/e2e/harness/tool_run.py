"""Runs a tracing tool against btc_workload: start, wait for attach, drive the
workload, end the tool, collect everything it printed."""

import os
import re
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field

from . import bpf_objects

# btc tools (like bpftrace 0.26) report readiness on stderr.
ATTACHED_RE = re.compile(r"^Attached \d+ probes?$")
KILL_GRACE_SECONDS = 3.0
RESEND_SECONDS = 2.0


@dataclass
class RunResult:
    stdout: str = ""
    stderr: str = ""
    status: int | None = None
    attached: bool = False
    timed_out: bool = False
    workload_pid: int | None = None
    problems: list = field(default_factory=list)  # harness-level failures (workload errors, ...)
    owned: dict = field(default_factory=dict)  # BPF objects the tool held while running


class _PipeReader(threading.Thread):
    """Collects one pipe line by line and flags the first line matching `marker`."""

    def __init__(self, pipe, marker):
        super().__init__(daemon=True)
        self.pipe, self.marker = pipe, marker
        self.lines = []
        self.seen = threading.Event()

    def run(self):
        for raw in iter(self.pipe.readline, b""):
            line = raw.decode("utf-8", errors="replace")
            self.lines.append(line)
            if self.marker and self.marker(line.rstrip("\n")):
                self.seen.set()
        self.pipe.close()

    def text(self):
        return "".join(self.lines)


def workload_command(workload, args, run_as):
    cmd = [workload] + list(args)
    if run_as is not None:
        cmd = ["setpriv", f"--reuid={run_as}", f"--regid={run_as}", "--clear-groups"] + cmd
    return cmd


def _run_workloads(case, workload, substitute, deadline, result):
    for args in case.runs:
        cmd = workload_command(workload, [substitute(a) for a in args], case.run_as)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        result.workload_pid = proc.pid
        try:
            out, err = proc.communicate(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            result.problems.append(f"workload {' '.join(cmd)} did not finish in time")
            return
        if proc.returncode != 0:
            result.problems.append(
                f"workload {' '.join(cmd)} exited {proc.returncode}: {err.decode(errors='replace').strip()}"
            )


def _stop(proc, deadline):
    """Waits for the tool until `deadline`; then interrupts, then kills it. Returns True if it had to."""
    try:
        proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        return False
    except subprocess.TimeoutExpired:
        pass
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=KILL_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return True


END_SIGNALS = {"sigint": signal.SIGINT, "sigterm": signal.SIGTERM, "sighup": signal.SIGHUP}


def _interrupt(proc, deadline, repeat, sig=signal.SIGINT):
    """Sends `sig`; with `repeat`, again every RESEND_SECONDS until the process exits."""
    proc.send_signal(sig)
    while repeat and time.monotonic() < deadline:
        try:
            proc.wait(timeout=RESEND_SECONDS)
            return
        except subprocess.TimeoutExpired:
            proc.send_signal(sig)


def run_tool(cmd, case, workload, substitute, cwd, attach_marker=None, stdout_marker=None, track_objects=False,
             resend_sigint=False, after_attach=None):
    """Runs `cmd` for `case`.

    Readiness is the first stderr line matching `attach_marker` (default: btc's
    "Attached N probes") or, when given, the first stdout line matching
    `stdout_marker`. `resend_sigint` repeats an unanswered SIGINT (bpftrace 0.17
    sometimes misses one early in its life; a btc tool must not). `after_attach` is
    called once the tool is ready, before the runs; the case's env adds environment variables
    of the tool. Returns a RunResult.

    A tool that ends by itself without reporting readiness (-q, --check, -h, ...)
    is fine for a case without runs."""
    result = RunResult()
    deadline = time.monotonic() + case.timeout
    stderr_marker = None if stdout_marker else (attach_marker or (lambda l: ATTACHED_RE.match(l) is not None))
    proc = subprocess.Popen(
        cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, **case.env}
    )
    out_reader, err_reader = _PipeReader(proc.stdout, stdout_marker), _PipeReader(proc.stderr, stderr_marker)
    out_reader.start()
    err_reader.start()
    ready = out_reader.seen if stdout_marker else err_reader.seen

    while not ready.is_set() and proc.poll() is None and time.monotonic() < deadline:
        ready.wait(0.01)
    if not ready.is_set() and proc.poll() is not None:
        # A tool that exits right after reporting readiness may be gone before the reader
        # thread has seen that line: let the reader drain the pipe first.
        (out_reader if stdout_marker else err_reader).join(1.0)
    result.attached = ready.is_set()
    if result.attached and track_objects and proc.poll() is None:
        result.owned = bpf_objects.owned_by_tree(proc.pid)

    if result.attached:
        if after_attach:
            after_attach()
        _run_workloads(case, workload, substitute, deadline, result)
        for name in case.signals:
            if proc.poll() is None:
                proc.send_signal(getattr(signal, name))
                time.sleep(0.2)
        if case.end in END_SIGNALS and proc.poll() is None:
            time.sleep(case.delay)
            _interrupt(proc, deadline, resend_sigint, END_SIGNALS[case.end])
    elif proc.poll() is None:
        result.problems.append(f"the tool did not report attaching within {case.timeout}s")
    elif case.runs:
        result.problems.append("the tool exited before reporting that it attached; the workload was not run")

    result.timed_out = _stop(proc, deadline)
    out_reader.join()
    err_reader.join()
    result.status = proc.returncode
    result.stdout, result.stderr = out_reader.text(), err_reader.text()
    if result.timed_out:
        result.problems.append(f"the tool was still running after {case.timeout}s and was killed")
    return result
