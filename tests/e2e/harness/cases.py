"""One end-to-end case: compile with btc (or run under bpftrace 0.17), drive the
workload, and check output, exit status, static linking and BPF leftovers."""

import os
import re
import shutil
import subprocess
import time

from . import bpf_objects, compare, environment, pcap_check, tool_run

COMPILE_TIMEOUT = 300
BPFTRACE_SENTINEL = "__btc_e2e_attached__"
BPFTRACE017_ATTACHING_RE = re.compile(r"^Attaching \d+ probes?\.\.\.$")
# 0.17 reads its perf buffers on a timer and drops what is still queued when
# SIGINT arrives; give it time to print the workload's events first. (btc, like
# 0.26, drains everything on exit, so its runs get no such delay.)
BPFTRACE017_SETTLE_SECONDS = 0.5


class CheckFailed(Exception):
    """A check could not even get to its comparison (e.g. btc refused the script)."""


WORKLOAD_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "workload", "btc_workload.c")
WORKLOAD_LINE_RE = re.compile(r"@WORKLOAD_LINE:([^@\n]+)@")
WORKLOAD_ADDR_RE = re.compile(r"@WORKLOAD_ADDR(_DEC)?:([^@\n]+)@")


def workload_line(text):
    """The number of the first line of btc_workload.c that contains `text`."""
    with open(WORKLOAD_SOURCE) as f:
        for number, line in enumerate(f, 1):
            if text in line:
                return str(number)
    raise CheckFailed(f"no line of {WORKLOAD_SOURCE} contains {text!r}")


def symbol_address(binary, symbol):
    """The st_value of `symbol` in `binary` (nm's view of its symbol table)."""
    out = subprocess.run(["nm", binary], capture_output=True, text=True).stdout
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[2] == symbol:
            return int(fields[0], 16)
    raise CheckFailed(f"no symbol {symbol!r} in {binary}")


class Substitutions:
    def __init__(self, workload, scratch):
        self.workload = os.path.abspath(workload)
        pie = os.path.join(os.path.dirname(self.workload), "btc_pie_workload")
        nofp = os.path.join(os.path.dirname(self.workload), "btc_nofp_workload")
        self.values = {"@PIE_WORKLOAD@": pie, "@NOFP_WORKLOAD@": nofp, "@WORKLOAD@": self.workload, "@TMP@": scratch}

    def _address(self, m):
        address = symbol_address(self.workload, m.group(2))
        return str(address) if m.group(1) else hex(address)

    def __call__(self, text):
        for key, value in self.values.items():
            text = text.replace(key, value)
        text = WORKLOAD_ADDR_RE.sub(self._address, text)
        return WORKLOAD_LINE_RE.sub(lambda m: workload_line(m.group(1)), text)


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def _read(path):
    with open(path) as f:
        return f.read()


def compile_script(btc, script_name, output, cwd, extra_args=()):
    """Runs `btc [EXTRA_ARGS] SCRIPT -o OUTPUT`; returns (ok, message)."""
    cmd = [btc, *extra_args, script_name, "-o", output]
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=COMPILE_TIMEOUT)
    if result.returncode != 0:
        return False, f"btc failed (exit {result.returncode}): {' '.join(cmd)}\n{result.stdout}{result.stderr}"
    if not os.access(os.path.join(cwd, output), os.X_OK):
        return False, f"btc exited 0 but {output} is not an executable file"
    return True, ""


def check_static(path):
    """Returns a failure message unless `file` reports a statically linked executable."""
    described = subprocess.run(["file", "-b", path], capture_output=True, text=True).stdout.strip()
    if "statically linked" not in described:
        return f"{path} is not statically linked; file says: {described}"
    return None


def check_help(tool, text):
    result = subprocess.run([tool, "-h"], capture_output=True, text=True, timeout=10)
    if result.returncode != 0 or text not in result.stdout + result.stderr:
        return f"`{tool} -h` exited {result.returncode} and did not print {text!r}:\n{result.stdout}{result.stderr}"
    return None


LOST_RE = re.compile(r"^Lost (\d+) events$")
TOTAL_LOST_RE = re.compile(r"^WARNING: Total lost event count: (\d+)$")


def _account_events(case, run, failures):
    """For `events: N LINE`: checks printed + lost == N; returns stdout without the LINE lines."""
    lines = run.stdout.split("\n")
    printed = sum(1 for l in lines if l == case.events_line)
    lost_reports = [int(m.group(1)) for m in map(LOST_RE.match, run.stderr.splitlines()) if m]
    totals = [int(m.group(1)) for m in map(TOTAL_LOST_RE.match, run.stderr.splitlines()) if m]
    total = totals[-1] if totals else 0
    if sum(lost_reports) != total:
        failures.append(f"the 'Lost N events' lines add up to {sum(lost_reports)}, the total says {total}")
    if printed + total != case.events:
        failures.append(f"{printed} events printed + {total} lost != {case.events} events generated")
    print(f"INFO {case.name}: {printed} events printed, {total} lost, {case.events} generated")
    return "\n".join(l for l in lines if l != case.events_line)


def _actual_output(case, run, substitute, failures):
    """What is compared with NAME.out: stdout, or the -o file (stdout must then be empty)."""
    if not case.output_file:
        actual = run.stdout
    else:
        path = substitute(case.output_file)
        if run.stdout:
            failures.append(f"stdout should be empty with the output in {path}, but was:\n{run.stdout}")
        try:
            actual = _read(path)
        except OSError as e:
            failures.append(f"the output file {path} cannot be read: {e}")
            actual = ""
    if case.events is not None:
        actual = _account_events(case, run, failures)
    return actual


def _read_pinned(case, failures):
    """For `pinned: PATH`: what reading the pinned iterator gives ("" and a failure if nothing is there)."""
    if not case.pinned:
        return ""
    try:
        return _read(case.pinned)
    except OSError as e:
        failures.append(f"the pinned iterator {case.pinned} cannot be read: {e}")
        return ""


def _unpin(case):
    if case.pinned and os.path.exists(case.pinned):
        os.unlink(case.pinned)


def _check_output(case, run, expected_text, substitute=lambda s: s):
    """Returns failure messages comparing a finished run with the case's expectations."""
    failures = list(run.problems)
    actual = _actual_output(case, run, substitute, failures)
    if run.workload_pid is not None:
        expected_text = expected_text.replace("@WORKLOAD_PID@", str(run.workload_pid))
    if case.compare == "exact":
        if not compare.exact(expected_text, actual):
            diff = compare.unified_diff(expected_text, actual)
            failures.append("stdout differs from the expected output:\n" + diff)
    else:
        ok, missing = compare.ordered(expected_text, actual)
        if not ok:
            failures.append(f"stdout lacks the expected line {missing!r} (in order); stdout was:\n{actual}")
    if case.pcap:
        failures += pcap_check.check_pcap(substitute(case.pcap[0]), case.pcap[1])
    if run.status != case.status:
        failures.append(f"exit status {run.status}, expected {case.status}")
    return failures


def _report(case, failures, run):
    if not failures:
        print(f"PASS {case.name}")
        return True
    for message in failures:
        print(f"FAIL {case.name}: {message}")
    if run is not None:
        print(f"---- stderr of the tool ----\n{run.stderr}---- end of stderr ----")
    return False


class Background:
    """The `background:` workload of a case: started before the tool (so that its pid
    can be a parameter, @BG_PID@), blocked on a file until the tool has attached."""

    def __init__(self, case, workload, substitute, scratch):
        self.proc = None
        self.released = False
        if case.background is None:
            return
        self.go = os.path.join(scratch, "background.go")
        args = ["--wait-file", self.go] + [substitute(a) for a in case.background]
        wrap = [substitute(a) for a in case.background_wrap]
        self.proc = subprocess.Popen(wrap + tool_run.workload_command(workload, args, case.run_as),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        substitute.values["@BG_PID@"] = str(self.proc.pid)
        self.timeout = case.timeout
        self._wait_for_exec(os.path.basename(workload))

    def _wait_for_exec(self, name):
        """Waits until the process has become the workload: after a wrapper's exec (unshare, setpriv),
        and even without one, as Popen returns once exec has closed the close-on-exec descriptors,
        which the kernel does before it renames the task: a tool started at once could still see
        the parent's comm (ctx.task.comm, comm). So wait for the comm itself (TASK_COMM_LEN - 1)."""
        deadline = time.monotonic() + self.timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            try:
                with open(f"/proc/{self.proc.pid}/comm") as f:
                    if f.read().rstrip("\n") == name[:15]:
                        return
            except OSError:
                pass
            time.sleep(0.002)

    def release(self):
        if self.proc:
            open(self.go, "w").close()
            self.released = True

    def finish(self):
        """Waits for the workload; returns failure messages."""
        if not self.proc:
            return []
        if not self.released:
            self.kill()
            return ["the background workload was never released: the tool did not attach"]
        try:
            _, err = self.proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return ["the background workload did not finish in time"]
        if self.proc.returncode != 0:
            return [f"the background workload exited {self.proc.returncode}: {err.decode(errors='replace').strip()}"]
        return []

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def _json_ready_marker(case):
    """With -f json the tool reports attaching on stdout, as an attached_probes record."""
    params = case.params
    json = any(p in ("-fjson", "--format=json") for p in params) or any(
        a == "-f" and b == "json" for a, b in zip(params, params[1:]))
    return (lambda line: line.startswith('{"type": "attached_probes"')) if json else None


def run_with_btc(case, btc, workload, workdir):
    """Compiles and runs one case with btc. Returns True when it passed."""
    environment.require_root()
    environment.ensure_tracefs()
    scratch = fresh_dir(os.path.join(workdir, case.name))
    substitute = Substitutions(workload, scratch)
    script_name = os.path.basename(case.script)
    tool_name = script_name.removesuffix(".bt")
    with open(os.path.join(scratch, script_name), "w") as f:
        f.write(substitute(_read(case.script)))

    _copy_files(case, scratch)
    ok, message = compile_script(btc, script_name, tool_name, scratch, case.btc_args)
    if not ok:
        return _report(case, [message], None)
    tool = os.path.join(scratch, tool_name)
    failures = [m for m in (check_static(tool), case.help_text and check_help(tool, case.help_text)) if m]

    with environment.ExclusiveLock():
        before = bpf_objects.snapshot()
        background = Background(case, workload, substitute, scratch)
        _unpin(case)
        try:
            cmd = [substitute(a) for a in case.wrap] + [tool] + [substitute(p) for p in case.params]

            def after_attach():
                open(os.path.join(scratch, "attached"), "w").close()
                background.release()

            run = tool_run.run_tool(cmd, case, workload, substitute, scratch, track_objects=True,
                                    stdout_marker=_json_ready_marker(case), after_attach=after_attach)
            run.stdout += _read_pinned(case, failures)  # while the background workload still runs
            failures += background.finish()
        finally:
            background.kill()
            _unpin(case)
        leftover = bpf_objects.find_leaks(before, run.owned or {k: set() for k in bpf_objects.KINDS})

    failures += _check_output(case, run, substitute(_read(case.expected_path())), substitute)
    pid = str(run.workload_pid)
    missing = compare.stderr_lines_present([substitute(l).replace("@WORKLOAD_PID@", pid) for l in case.stderr_lines],
                                           run.stderr)
    failures += [f"stderr lacks the line {m!r}" for m in missing]
    for text in case.stderr_lacks:
        failures += [f"stderr has the line {l!r}" for l in run.stderr.splitlines() if substitute(text) in l]
    if leftover:
        failures.append("BPF objects of the tool remain after it exited:\n" + bpf_objects.describe(leftover))
    return _report(case, failures, run)


def _copy_files(case, scratch):
    """The case's `files:` beside its script, at the same relative paths."""
    for path in case.files:
        source, target = os.path.join(case.directory, path), os.path.join(scratch, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.isdir(source):
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)


def _bpftrace_script(case, substitute):
    text = _read(case.script)
    for old, new in case.bpftrace017_replace:
        if old not in text:
            raise ValueError(f"bpftrace017-replace: {old!r} does not occur in {case.script}")
        text = text.replace(old, new)
    # 0.17 announces "Attaching N probes..." before attaching; its BEGIN probe
    # runs after every probe is attached, so a printf in BEGIN marks readiness.
    # 0.17 allows one BEGIN block only: extend the script's own if it has one.
    sentinel = f'printf("{BPFTRACE_SENTINEL}\\n");'
    text, found = re.subn(r"\bBEGIN\s*\{", lambda m: m.group(0) + " " + sentinel, text, count=1)
    if not found:
        text += f"\nBEGIN {{ {sentinel} }}\n"
    return substitute(text)


def _strip_bpftrace017_noise(stdout):
    lines = stdout.split("\n")
    kept = [l for l in lines if l != BPFTRACE_SENTINEL]
    if kept and BPFTRACE017_ATTACHING_RE.match(kept[0]):
        kept = kept[1:]
    return "\n".join(kept)


def run_with_bpftrace017(case, bpftrace, workload, workdir, print_output=False):
    """Runs one case under Debian's bpftrace 0.17 to validate script and expectation.

    With print_output, also prints what 0.17 wrote (minus its "Attaching N
    probes..." line): the way a NAME.out017 or a first NAME.out is obtained."""
    if case.bpftrace017 == "skip":
        print(f"SKIP {case.name}: {case.bpftrace017_reason}")
        return True
    environment.require_root()
    environment.ensure_tracefs()
    scratch = fresh_dir(os.path.join(workdir, case.name + ".bpftrace017"))
    substitute = Substitutions(workload, scratch)
    script = os.path.join(scratch, os.path.basename(case.script))
    _copy_files(case, scratch)
    with open(script, "w") as f:
        f.write(_bpftrace_script(case, substitute))
    unsafe = ["--unsafe"] if "--unsafe" in case.btc_args else []  # the one btc argument bpftrace shares
    cmd = [substitute(a) for a in case.wrap] + [bpftrace, *unsafe, script] + [substitute(p) for p in case.params]
    case.delay = max(case.delay, BPFTRACE017_SETTLE_SECONDS)
    with environment.ExclusiveLock():
        run = tool_run.run_tool(cmd, case, workload, substitute, scratch,
                                stdout_marker=lambda line: line == BPFTRACE_SENTINEL, resend_sigint=True)
    run.stdout = _strip_bpftrace017_noise(run.stdout)
    if print_output:
        print(f"---- bpftrace 0.17 stdout of {case.name} ----\n{run.stdout}---- end of stdout ----")
    expected = substitute(_read(case.expected_path(for_bpftrace017=True)))
    return _report(case, _check_output(case, run, expected), run)
