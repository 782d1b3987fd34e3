"""Running one bpftrace runtime test against btc the way bpftrace's engine
(tests/runtime/engine/runner.py of the checkout) runs it against bpftrace:

  1. skip on ARCH, MIN/MAX_KERNEL, SKIP_IF_ENV_HAS, REQUIRES, REQUIRES_FEATURE;
  2. SETUP; start every BEFORE and wait until its process exists;
  3. run the command (PROG becomes `{{BPFTRACE}} -e '...'`, with `-q -f json`
     for EXPECT_JSON) in a shell, stdout and stderr merged, {{BPFTRACE}}
     replaced by bpftrace_shim.py (which compiles with btc and runs the tool);
  4. wait for __BPFTRACE_NOTIFY_PROBES_ATTACHED: then start AFTER, drop the
     output so far for EXPECT_FILE/EXPECT_JSON, and give the test TIMEOUT
     seconds; until then it has ATTACH_TIMEOUT_S seconds, not counting the
     time btc spends compiling;
  5. on timeout: SIGTERM to the process group, 1 s grace, SIGKILL; the output
     is still checked (a test may rely on being stopped);
  6. end BEFORE and AFTER, run CLEANUP, check the exit status (RETURN_CODE,
     WILL_FAIL) unless timed out, and the EXPECT* directives.
"""

import dataclasses
import json
import os
import select
import signal
import subprocess
import time

from . import diag_form, expect, kernel
from .proc_table import processes

ATTACH_TIMEOUT_S = 10
GRACE_S = 1
NOTIFY_LINE = "__BPFTRACE_NOTIFY_PROBES_ATTACHED"
OUTPUT_LIMIT = 32 << 20


@dataclasses.dataclass
class Context:
    cwd: str  # directory tests run in (runtime/, testprogs/, testlibs/)
    shim: str  # shell words that run bpftrace_shim.py
    btc: str
    facts: kernel.KernelFacts
    facts_path: str
    cache_dir: str
    events_path: str  # per test, rewritten before each test
    path: str  # PATH for the tests (scoped pidof/pkill first)
    hard_limit_s: float  # wall-clock cap for one test after launch


@dataclasses.dataclass
class Run:
    """What happened when the test ran (the input to classification)."""

    command: str = ""
    output: str = ""
    returncode: int = None
    timed_out: bool = False
    attached: bool = False
    passed: bool = False
    failures: list = dataclasses.field(default_factory=list)
    passes_in_bpftrace_spelling: bool = False  # the checks pass once btc's diagnostics read as bpftrace's
    events: list = dataclasses.field(default_factory=list)
    setup_error: str = ""
    seconds: float = 0.0


# ---- skips decided before running -------------------------------------------


def _arch_allows(case, facts):
    host = {facts.data["arch"].lower(), "le"}  # x86_64/aarch64 hosts are little endian
    positive = {a for a in case.arch if not a.startswith("!")}
    negative = {a[1:] for a in case.arch if a.startswith("!")}
    if positive and not host & positive:
        return False
    return not (negative and host & negative)


def precheck(case, ctx):
    """(category, reason) when the test must be skipped, else None."""
    facts = ctx.facts
    if case.error:
        return "malformed", case.error
    if case.arch and not _arch_allows(case, facts):
        return "arch", f"ARCH {'|'.join(case.arch)}"
    if case.min_kernel and not facts.version_at_least(case.min_kernel):
        return "kernel", f"MIN_KERNEL {case.min_kernel}"
    if case.max_kernel and kernel.version_tuple(facts.data["kernel"]) > kernel.version_tuple(case.max_kernel):
        return "kernel", f"MAX_KERNEL {case.max_kernel}"
    if case.skip_if_env_has and os.environ.get(case.skip_if_env_has[0], "") == case.skip_if_env_has[1]:
        return "env", f"SKIP_IF_ENV_HAS {'='.join(case.skip_if_env_has)}"
    for requirement in case.requires:
        done = subprocess.run(requirement, shell=True, cwd=ctx.cwd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env={**os.environ, "PATH": ctx.path})
        if done.returncode != 0:
            return "requires", f"REQUIRES {requirement}"
    for feature in sorted(case.features):
        if facts.feature(feature) is False:
            return "kernel", f"kernel feature {feature}"
    for feature in sorted(case.absent_features):
        if facts.feature(feature):
            return "kernel", f"kernel feature !{feature}"
    if case.run and "{{BPFTRACE}}" not in case.run:
        return "not-bpftrace", "RUN does not invoke bpftrace"
    return None


# ---- processes ---------------------------------------------------------------


def _children():
    """[(pid, comm)] of this process's direct children."""
    me = os.getpid()
    return [(pid, comm) for pid, (ppid, comm) in processes().items() if ppid == me]


def _descendant_named(root_pid, name):
    """Lowest pid named `name` in root_pid's process tree (root included), or None."""
    tree = processes()
    matches = []
    for pid, (_, comm) in tree.items():
        p = pid
        while p in tree:
            if p == root_pid:
                if comm == name[:15]:
                    matches.append(pid)
                break
            p = tree[p][0]
    return min(matches) if matches else None


def _wait_for(predicate, limit_s):
    deadline = time.time() + limit_s
    while time.time() <= deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _stop(process, grace_s=GRACE_S):
    """Give a finished test's helper process grace_s, then kill its group."""
    if process is None:
        return
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def _start_befores(case, ctx, env):
    """Popen objects of the BEFOREs and the nsenter prefix (NEW_PIDNS), or raises TimeoutError."""
    befores, nsenter = [], []
    if case.new_pidns:
        first = subprocess.Popen(["unshare", "--fork", "--pid", "--mount-proc", "-r", "--kill-child", "--"]
                                 + case.befores[0].split(), cwd=ctx.cwd, env=env, start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        befores.append(first)
        if not _wait_for(lambda: _descendant_named(first.pid, os.path.basename(case.befores[0].split()[-1])),
                         case.timeout_s):
            raise TimeoutError("the NEW_PIDNS BEFORE did not start")
        inner = _descendant_named(first.pid, os.path.basename(case.befores[0].split()[-1]))
        nsenter = ["nsenter", "-p", "-m", "-t", str(inner)]
        rest = case.befores[1:]
    else:
        rest = case.befores
    for command in rest:
        words = nsenter + [os.path.abspath(os.path.join(ctx.cwd, w)) if nsenter else w for w in command.split()]
        befores.append(subprocess.Popen(words, cwd=ctx.cwd, env=env, start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    names = [os.path.basename(c.split()[-1])[:15] for c in rest]

    def all_started():
        running = [comm for _, comm in _children()]
        return all(running.count(n) >= names.count(n) for n in names)

    if names and not _wait_for(all_started, case.timeout_s):
        raise TimeoutError(f"BEFORE did not start: {rest}")
    return befores, nsenter


def _shell_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def test_command(case, ctx, nsenter, befores):
    """The shell command line, as the engine builds it, with the shim as bpftrace."""
    bpftrace = ctx.shim + " --verify-llvm-ir"
    if case.run:
        command = case.run.replace("{{BPFTRACE}}", bpftrace)
    else:
        json_flags = "-q -f json " if case.expects and case.expects[0].mode == "json" else ""
        command = f"{bpftrace} {json_flags}-e {_shell_quote(case.prog)}"
    if nsenter:
        command = " ".join(nsenter) + " " + command
    if "{{BEFORE_PID}}" in command and befores:
        name = os.path.basename(case.befores[0].split()[-1])
        pid = _descendant_named(befores[0].pid, name)
        command = command.replace("{{BEFORE_PID}}", str(pid))
    return command


# ---- the run -----------------------------------------------------------------


def _read_events(path):
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except (OSError, ValueError):
        return []


def _compile_seconds(events, now):
    """Time spent inside btc so far (finished compiles plus one in progress)."""
    total, started = 0.0, None
    for e in events:
        if e["kind"] == "compile-start":
            started = e["time"]
        elif e["kind"] == "compile-end" and started is not None:
            total += e["time"] - started
            started = None
    if started is not None:
        total += now - started
    return total


class _OutputReader:
    """Collects the merged output line by line, as the engine's readline loop does."""

    def __init__(self, exact):
        self.exact = exact
        self.text = []
        self.size = 0
        self.partial = b""
        self.attached_at = None

    def feed(self, data):
        data = self.partial + data
        *lines, self.partial = data.split(b"\n")
        for raw in lines:
            self._line(raw + b"\n")

    def _line(self, raw):
        line = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").decode("utf-8", "backslashreplace")
        if self.size < OUTPUT_LIMIT:
            self.text.append(line)
            self.size += len(line)
        if self.attached_at is None and line == NOTIFY_LINE + "\n":
            self.attached_at = time.time()
            if self.exact:
                self.text, self.size = [], 0

    def finish(self):
        if self.partial:
            self._line(self.partial)
            self.partial = b""
        return "".join(self.text)


def _pump(process, reader, case, ctx, after_cmd, env, launched):
    """Read until EOF and exit; returns (timed_out, after_process)."""
    fd = process.stdout.fileno()
    after = None
    while True:
        now = time.time()
        running_s = now - launched - _compile_seconds(_read_events(ctx.events_path), now)
        if reader.attached_at is not None:
            if after_cmd and after is None:
                after = subprocess.Popen(after_cmd, shell=True, cwd=ctx.cwd, env=env, start_new_session=True,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if now - reader.attached_at > case.timeout_s:
                return True, after
        elif running_s > ATTACH_TIMEOUT_S:
            return True, after
        if running_s > ctx.hard_limit_s:
            return True, after
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            data = os.read(fd, 65536)
            if not data:
                try:
                    process.wait(timeout=max(0.1, ctx.hard_limit_s))
                except subprocess.TimeoutExpired:
                    return True, after
                return False, after
            reader.feed(data)


def _terminate(process, reader):
    """SIGTERM the group, collect output for GRACE_S, then SIGKILL."""
    fd = process.stdout.fileno()
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.time() + GRACE_S
    killed = False
    while True:
        remaining = deadline - time.time()
        if remaining <= 0 and not killed:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            killed = True
            deadline = time.time() + 5  # a last read of what is left in the pipe
            continue
        if remaining <= 0:
            break
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        data = os.read(fd, 65536)
        if not data:
            break
        reader.feed(data)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def _run_shell(command, ctx, env):
    done = subprocess.run(command, shell=True, cwd=ctx.cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, errors="backslashreplace")
    return done.returncode == 0, done.stdout.strip()


def _check_exit(case, run):
    """The engine's exit-status rules (not applied after a timeout)."""
    if run.timed_out or run.returncode is None:
        return ""
    if run.returncode != case.return_code and not case.will_fail:
        return f"exit status {run.returncode}, expected {case.return_code}"
    if run.returncode == 0 and case.will_fail:
        return "exit status 0, expected a failure (WILL_FAIL)"
    return ""


def run_test(case, ctx):
    """Run a test that passed precheck(); returns a Run."""
    run = Run()
    started = time.time()
    if os.path.exists(ctx.events_path):
        os.unlink(ctx.events_path)
    env = {
        "test": case.name,
        "__BPFTRACE_NOTIFY_PROBES_ATTACHED": "1",
        "PATH": ctx.path,
        "BTC_COMPAT_BTC": ctx.btc,
        "BTC_COMPAT_CACHE": ctx.cache_dir,
        "BTC_COMPAT_EVENTS": ctx.events_path,
        "BTC_COMPAT_KERNEL": ctx.facts_path,
        "BTC_COMPAT_RUNNER_PID": str(os.getpid()),
    }
    env.update(case.env)
    helper_env = {**os.environ, "PATH": ctx.path, "BTC_COMPAT_RUNNER_PID": str(os.getpid())}

    if case.setup:
        ok, out = _run_shell(case.setup, ctx, helper_env)
        if not ok:
            run.setup_error = f"SETUP failed: {out[:200]}"
            run.seconds = time.time() - started
            return run

    befores, process, after = [], None, None
    reader = _OutputReader(case.exact_expect)
    try:
        befores, nsenter = _start_befores(case, ctx, helper_env)
        run.command = test_command(case, ctx, nsenter, befores)
        after_cmd = case.after
        if case.after and nsenter:
            after_cmd = " ".join(nsenter) + " " + case.after
        launched = time.time()
        # bash, not /bin/sh: bpftrace's test VMs (nix) have bash as /bin/sh, and some RUN lines
        # rely on it (dash's echo would turn a "\n" in a script into a real newline).
        process = subprocess.Popen(run.command, shell=True, executable="/bin/bash", cwd=ctx.cwd, env=env,
                                   start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
        run.timed_out, after = _pump(process, reader, case, ctx, after_cmd, helper_env, launched)
        if run.timed_out:
            _terminate(process, reader)
        run.returncode = process.returncode
    except TimeoutError as e:
        run.timed_out = True
        run.setup_error = str(e)
    finally:
        for before in befores:
            _stop(before)
        if process and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()
        _stop(after)
        if process:
            process.stdout.close()

    run.output = reader.finish()
    run.attached = reader.attached_at is not None
    if case.cleanup:
        ok, out = _run_shell(case.cleanup, ctx, helper_env)
        if not ok:
            run.setup_error = run.setup_error or f"CLEANUP failed: {out[:200]}"
    run.events = _read_events(ctx.events_path)
    exit_problem = _check_exit(case, run)
    run.passed, run.failures = expect.check_all(case, run.output, ctx.cwd)
    if not run.passed and not exit_problem:
        run.passes_in_bpftrace_spelling = expect.check_all(case, diag_form.bpftrace_spelling(run.output), ctx.cwd)[0]
    if exit_problem:
        run.passed = False
        run.failures.insert(0, exit_problem)
    run.seconds = time.time() - started
    return run
