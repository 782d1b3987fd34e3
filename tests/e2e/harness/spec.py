"""Parsing of a case description (NAME.test).

A case is three files side by side: NAME.bt (the script), NAME.test (how to
run it, this module) and NAME.out (the exact expected stdout). NAME.test holds
`key: value` lines; blank lines and lines starting with '#' are ignored.

  script: PATH            script to compile instead of NAME.bt (relative to the case dir)
  expected: PATH          expected stdout instead of NAME.out (relative to the case dir): a case
                          that must print exactly what another one prints
  btc-args: ARGS...       extra btc arguments when compiling (e.g. --unsafe)
  files: PATH...          files or directories (relative to the case dir) copied next to the
                          script, keeping their relative paths (what the script imports); repeatable
  run: ARGS...            btc_workload arguments; repeatable, run in order after attach
  run-as: UID             run the workload as this uid (and gid) through setpriv
  params: ARGS...         positional parameters passed to the tool
  env: NAME=VALUE         an environment variable of the tool, not of bpftrace 0.17 (e.g. BTC_VERBOSE=1,
                          or BTC_FORCE_PERF_BUFFER=1, the test hook for the perf-buffer path); repeatable
  end: sigint|sigterm|sighup|exit
                          sigint (default), sigterm, sighup: the harness sends that signal
                          after the runs; exit: the tool ends by itself (exit(), -d, the -c
                          child or the -p process exiting, --check, --help, ...)
  delay: SECONDS          wait this long after the runs before sending SIGINT
  timeout: SECONDS        hard limit for the whole run (default 20); exceeding it fails
  status: N               expected exit status of the tool (default 0)
  stderr: LINE            a line that must appear on the tool's stderr; repeatable
  stderr-lacks: TEXT      no line of the tool's stderr may contain TEXT; repeatable
  signal: NAME N          after attaching (and the runs), send the tool signal NAME (e.g. SIGUSR1)
                          N times, 0.2 s apart (self:signal probes)
  background: ARGS...     btc_workload arguments of a process started before the tool (for -p):
                          it waits until the tool has attached, then runs; its pid is @BG_PID@
  background-wrap: ARGS...
                          the background command is appended to ARGS (e.g. `unshare --mount sh -c
                          SCRIPT`, the workload then is "$0"); the ARGS must end by exec'ing a
                          btc_workload binary, which the harness waits for before starting the tool
  wrap: ARGS...           the tool command is appended to ARGS (e.g. `unshare --fork --pid
                          --mount-proc`); give such cases `end: exit`, as signals reach ARGS only
  pinned: PATH            the tool pins an iterator at PATH and exits; the harness then reads
                          PATH (running the iterator), appends what it read to stdout for the
                          comparison with NAME.out, and removes PATH (also before the run)
  output-file: PATH       compare PATH (what the tool wrote with -o) with NAME.out instead of
                          stdout, which must stay empty
  pcap: PATH N            PATH (a pcap file skboutput() wrote) must have the classic pcap header of
                          link type RAW and at least N packets, each captured whole, starting with an
                          IPv4 or IPv6 header, and stamped within a minute of the check
  events: N LINE          event accounting under load: each of N events is either a stdout line
                          equal to LINE or counted as lost (the "Lost K events" lines on stderr,
                          which must add up to "WARNING: Total lost event count: T"); the LINE
                          lines are taken out of stdout before it is compared with NAME.out
  compare: exact|ordered  exact (default): stdout must equal NAME.out line for line;
                          ordered: every NAME.out line must match some stdout line, in order
  help: TEXT              `TOOL -h` must exit 0 and print TEXT
  bpftrace017: same|differs|skip REASON
                          how the case relates to Debian's bpftrace 0.17 (see README.md):
                          same = 0.17 prints NAME.out exactly; differs = it prints NAME.out017;
                          skip = 0.17 cannot run it (the reason is mandatory)
  bpftrace017-replace: OLD => NEW
                          text replacement applied to the script for 0.17 only (syntax
                          0.17 lacks, e.g. `args.x` => `args->x`); repeatable

Placeholders, replaced in the script, params, run, stderr and expected output:
  @WORKLOAD@      absolute path of btc_workload
  @TMP@           the case's private scratch directory; @TMP@/attached is created once the
                  tool has attached (a workload started by `wrap:` can --wait-file on it)
  @PIE_WORKLOAD@  absolute path of btc_pie_workload (btc_workload built as a PIE, next to it)
  @NOFP_WORKLOAD@ absolute path of btc_nofp_workload (a call chain built without frame pointers, for
                  dw_ustack; see tests/workload/btc_nofp_workload.c)
  @BG_PID@        pid of the background workload (params, expected output, stderr)
  @WORKLOAD_PID@  pid of the last workload process (expected output/stderr only)
  @WORKLOAD_LINE:TEXT@
                  number of the first line of tests/workload/btc_workload.c containing TEXT
                  (uprobe:BIN@FILE:LINE cases stay right when the workload's source changes)
  @WORKLOAD_ADDR:SYM@, @WORKLOAD_ADDR_DEC:SYM@
                  address of symbol SYM in btc_workload, in hex (0x...) or decimal

Expected-output lines of the form `{{re}} PATTERN` match one actual line by
Python regular expression (full match). Use them only where a value cannot be
made deterministic by the script itself.
"""

import os
import shlex
from dataclasses import dataclass, field

REGEX_PREFIX = "{{re}} "


@dataclass
class Case:
    name: str
    directory: str
    script: str
    expected: str | None = None
    btc_args: list = field(default_factory=list)
    files: list = field(default_factory=list)
    runs: list = field(default_factory=list)
    run_as: int | None = None
    params: list = field(default_factory=list)
    env: dict = field(default_factory=dict)
    end: str = "sigint"
    delay: float = 0.0
    timeout: float = 20.0
    status: int = 0
    stderr_lines: list = field(default_factory=list)
    stderr_lacks: list = field(default_factory=list)
    background: list | None = None
    background_wrap: list = field(default_factory=list)
    wrap: list = field(default_factory=list)
    signals: list = field(default_factory=list)
    output_file: str | None = None
    pinned: str | None = None
    pcap: tuple[str, int] | None = None  # (path, minimum packet count)
    events: int | None = None
    events_line: str = ""
    compare: str = "exact"
    help_text: str | None = None
    bpftrace017: str = ""
    bpftrace017_reason: str = ""
    bpftrace017_replace: list = field(default_factory=list)

    def expected_path(self, for_bpftrace017=False):
        if self.expected:
            return self.expected
        suffix = ".out017" if for_bpftrace017 and self.bpftrace017 == "differs" else ".out"
        return os.path.join(self.directory, self.name + suffix)


class SpecError(Exception):
    pass


def _set_bpftrace017(case, value):
    word, _, reason = value.partition(" ")
    if word not in ("same", "differs", "skip"):
        raise SpecError(f"bpftrace017 must be same, differs or skip, not {word!r}")
    if word == "skip" and not reason.strip():
        raise SpecError("bpftrace017: skip needs a reason")
    case.bpftrace017 = word
    case.bpftrace017_reason = reason.strip()


def _add_replacement(case, value):
    old, sep, new = value.partition(" => ")
    if not sep or not old:
        raise SpecError(f"bpftrace017-replace needs 'OLD => NEW', got {value!r}")
    case.bpftrace017_replace.append((old, new))


def load_case(directory, name):
    """Reads NAME.test in `directory`; raises SpecError on anything unknown."""
    case = Case(name=name, directory=directory, script=os.path.join(directory, name + ".bt"))
    path = os.path.join(directory, name + ".test")
    with open(path) as f:
        lines = f.read().splitlines()
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise SpecError(f"{path}:{number}: expected 'key: value'")
        key, value = key.strip(), value.strip()
        try:
            _apply(case, key, value)
        except (SpecError, ValueError) as e:
            raise SpecError(f"{path}:{number}: {e}") from None
    if not case.bpftrace017:
        raise SpecError(f"{path}: every case must say bpftrace017: same|differs|skip REASON")
    return case


def _apply(case, key, value):
    if key == "script":
        case.script = os.path.normpath(os.path.join(case.directory, value))
    elif key == "expected":
        case.expected = os.path.normpath(os.path.join(case.directory, value))
    elif key == "btc-args":
        case.btc_args = shlex.split(value)
    elif key == "files":
        for path in shlex.split(value):
            if os.path.isabs(path) or ".." in path.split("/"):
                raise SpecError(f"files: {path!r} must be a path inside the case directory")
            case.files.append(path)
    elif key == "run":
        case.runs.append(shlex.split(value))
    elif key == "run-as":
        case.run_as = int(value)
    elif key == "env":
        name, sep, env_value = value.partition("=")
        if not sep or not name:
            raise SpecError(f"env needs NAME=VALUE, got {value!r}")
        case.env[name] = env_value
    elif key == "params":
        case.params = shlex.split(value)
    elif key == "end":
        if value not in ("sigint", "sigterm", "sighup", "exit"):
            raise SpecError("end must be sigint, sigterm, sighup or exit")
        case.end = value
    elif key == "delay":
        case.delay = float(value)
    elif key == "timeout":
        case.timeout = float(value)
    elif key == "status":
        case.status = int(value)
    elif key == "stderr":
        case.stderr_lines.append(value)
    elif key == "stderr-lacks":
        case.stderr_lacks.append(value)
    elif key == "signal":
        name, count = value.split()
        case.signals.extend([name] * int(count))
    elif key == "background":
        case.background = shlex.split(value)
    elif key == "background-wrap":
        case.background_wrap = shlex.split(value)
    elif key == "wrap":
        case.wrap = shlex.split(value)
    elif key == "output-file":
        case.output_file = value
    elif key == "pinned":
        case.pinned = value
    elif key == "pcap":
        path, _, count = value.rpartition(" ")
        if not path or not count.isdigit():
            raise SpecError(f"pcap needs 'PATH N', got {value!r}")
        case.pcap = (path, int(count))
    elif key == "events":
        count, _, line = value.partition(" ")
        case.events, case.events_line = int(count), line
    elif key == "compare":
        if value not in ("exact", "ordered"):
            raise SpecError("compare must be exact or ordered")
        case.compare = value
    elif key == "help":
        case.help_text = value
    elif key == "bpftrace017":
        _set_bpftrace017(case, value)
    elif key == "bpftrace017-replace":
        _add_replacement(case, value)
    else:
        raise SpecError(f"unknown key {key!r}")
