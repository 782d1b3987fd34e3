#!/usr/bin/env python3
"""A `bpftrace` command line on top of btc, for running bpftrace's runtime tests.

run_compat.py substitutes this script for {{BPFTRACE}}. It reads bpftrace's
options the way bpftrace does (GNU getopt: options may follow the program),
compiles the program with btc into an executable named `bpftrace` (cached by
content), and runs it with the same positional parameters and the runtime
options the btc tool shares with bpftrace (-p -c -f -B -o -q). It then behaves
like bpftrace towards the test engine:

  * everything the tool writes is forwarded in order; when stdout and stderr
    are the same file (the engine merges them) the tool gets one pipe for both;
  * after the tool's "Attached N probes" it prints
    __BPFTRACE_NOTIFY_PROBES_ATTACHED when that variable is set (bpftrace's
    hook for the engine); with -q the "Attached" line itself is dropped;
  * btc's diagnostics are printed on stderr and the exit status is 1 when btc
    refuses the program, as bpftrace does when its compiler refuses it;
  * BPFTRACE_<KEY> variables naming a configuration key become settings at the
    end of the program's config block, where they win as they do in bpftrace.

What it cannot translate it does not fake: bpftrace-only options (-l, -v, -d,
--dry-run, --info, ...), BPFTRACE_* variables that are not configuration keys, usage
errors of bpftrace's own CLI, and programs whose probe kinds this kernel lacks
end the shim with status 1 and an event that makes run_compat.py count the
test as skipped. Events are JSON lines appended to $BTC_COMPAT_EVENTS.
"""

import getopt
import hashlib
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from btcompat import diagnostics, kernel, probes  # noqa: E402

SHORT_OPTIONS = "d:bB:f:e:hlp:vqc:Vo:I:k"
LONG_OPTIONS = [
    "aot=", "bench", "btf", "cmd=", "debug=", "debuginfo=", "dry-run", "emit-elf=", "emit-llvm=", "fmt", "help",
    "include=", "info", "list", "no-feature=", "no-warnings", "output=", "pid=", "probe-filter=", "quiet", "test",
    "mode=", "unsafe", "dwarf-pid=", "usdt-file-activation", "verbose", "verify-llvm-ir", "version", "warnings",
    "traceable-functions=",
]  # fmt: skip

# bpftrace options the btc tool takes with the same meaning.
TOOL_OPTIONS = {"-p": "-p", "--pid": "-p", "-c": "-c", "--cmd": "-c", "-f": "-f", "-B": "-B", "-o": "-o",
                "--output": "-o", "--dwarf-pid": "--dwarf-pid"}  # fmt: skip
# Options without an effect on what the program prints.
NO_EFFECT = {"-b", "--btf", "--verify-llvm-ir"}

CRASH_SIGNALS = {signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGILL, signal.SIGFPE}
COMPILE_TIMEOUT_S = 120


# ---- events for run_compat.py ------------------------------------------------


def event(kind, **fields):
    path = os.environ.get("BTC_COMPAT_EVENTS")
    if not path:
        return
    with open(path, "a") as f:
        f.write(json.dumps({"kind": kind, "time": time.time(), **fields}) + "\n")


def give_up(kind, detail):
    """Stop without running anything; run_compat.py counts the test as skipped."""
    event(kind, detail=detail)
    sys.stderr.write(f"bpftrace_shim: not run: {detail}\n")
    sys.exit(1)


# ---- bpftrace's command line -------------------------------------------------


class Invocation:
    def __init__(self):
        self.program = None  # text of -e
        self.script_path = None  # or a file ("-" for stdin)
        self.includes = []  # --include FILE
        self.include_dirs = []  # -I DIR
        self.tool_args = []  # runtime options for the tool
        self.quiet = False
        self.params = []  # positional and --name=value parameters
        self.rewritten = False  # the program text differs from the script file (config from the environment)
        self.unsafe = False  # --unsafe


def parse_command_line(argv):
    try:
        options, rest = getopt.gnu_getopt(argv, SHORT_OPTIONS, LONG_OPTIONS)
    except getopt.GetoptError as e:
        give_up("cli", f"bpftrace usage error ({e})")
    inv = Invocation()
    for name, value in options:
        if name == "-e":
            inv.program = value
        elif name in TOOL_OPTIONS:
            inv.tool_args += [TOOL_OPTIONS[name], value]
        elif name in ("-q", "--quiet"):
            inv.quiet = True
        elif name == "-I":
            inv.include_dirs.append(value)
        elif name == "--include":
            inv.includes.append(value)
        elif name == "--unsafe":  # btc needs it to compile system()
            inv.unsafe = True
        elif name in NO_EFFECT:
            pass
        else:
            give_up("cli", f"bpftrace-only option {name}")
    if inv.program is None:
        if not rest:
            give_up("cli", "bpftrace usage error (no program)")
        inv.script_path = rest.pop(0)
        if inv.script_path != "-" and not os.path.exists(inv.script_path):
            give_up("cli", "bpftrace error path (script file does not exist)")
    inv.params = rest
    return inv


# bpftrace's configuration keys (src/config.cpp); BPFTRACE_<KEY> in the environment is the same
# setting as `config = { <key> = ... }` in the program, and wins over it.
CONFIG_KEYS = {
    "cache_user_symbols", "cpp_demangle", "lazy_symbolication", "license", "log_size", "max_bpf_progs",
    "max_cat_bytes", "max_map_keys", "max_probes", "max_strlen", "on_stack_limit", "perf_rb_pages", "stack_mode",
    "str_trunc_trailer", "missing_probes", "print_maps_on_exit", "use_blazesym", "show_debug_info",
    "unstable_import_statement", "unstable_tseries", "unstable_typeinfo", "unstable_dw_ustack",
}  # fmt: skip


def config_from_environment():
    """[(key, value)] for the BPFTRACE_* configuration variables; gives up on any other."""
    settings = []
    for name in sorted(os.environ):
        if not name.startswith("BPFTRACE_"):
            continue
        key = name[len("BPFTRACE_"):].lower()
        if key not in CONFIG_KEYS:
            give_up("cli", f"bpftrace configuration variable {name}")
        settings.append((key, os.environ[name]))
    return settings


def skip_preamble(text):
    """Offset after the C definitions, comments and blank space that may precede a config block."""
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
        elif text.startswith("//", i) or text[i] == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif any(text.startswith(w, i) and not text[i + len(w)].isalnum() for w in ("struct", "union", "enum", "typedef")
                 if i + len(w) < n):
            depth, j = 0, i
            while j < n and not (text[j] == ";" and depth == 0):
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            i = j + 1
        else:
            break
    return i


def with_config(text, settings):
    """The program with `settings` added at the end of its config block (made if there is none)."""
    if not settings:
        return text
    items = "; ".join(f'{k} = "{v.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"'
                      for k, v in settings)
    start = skip_preamble(text)
    match = re.compile(r"config\s*=\s*\{").match(text, start)
    if match:
        close = text.find("}", match.end())
        if close >= 0:
            body = text[match.end():close].rstrip()
            sep = "" if not body.strip() or body.endswith(";") else ";"
            return text[:match.end()] + body + sep + " " + items + " " + text[close:]
    return text[:start] + "config = { " + items + " }\n" + text[start:]


# ---- compiling ---------------------------------------------------------------


def program_text(inv):
    if inv.program is not None:
        return inv.program
    if inv.script_path == "-":
        return sys.stdin.read()
    with open(inv.script_path, encoding="utf-8", errors="replace") as f:
        return f.read()


def btc_command(inv, text, workdir):
    """btc's arguments; the program goes in as a file when it came as one."""
    cmd = [os.environ["BTC_COMPAT_BTC"]]
    if inv.unsafe:
        cmd.append("--unsafe")
    for d in inv.include_dirs:
        cmd += ["-I", d]
    if inv.includes:  # bpftrace's --include FILE is an #include <FILE> before the program
        text = "".join(f"#include <{f}>\n" for f in inv.includes) + text
    if inv.script_path and not inv.includes and not inv.rewritten:
        cmd.append(inv.script_path)
    elif inv.script_path:
        source = os.path.join(workdir, os.path.basename(inv.script_path))
        with open(source, "w") as f:
            f.write(text)
        cmd.append(source)
    else:
        cmd += ["-e", text]
    return cmd


def cache_key(inv, text):
    btc = os.environ["BTC_COMPAT_BTC"]
    st = os.stat(btc)
    material = [btc, st.st_mtime_ns, st.st_size, os.getcwd(), text, inv.script_path, inv.includes, inv.include_dirs,
                inv.unsafe]
    return hashlib.sha256(json.dumps(material).encode()).hexdigest()[:24]


def compile_program(inv, text, missing_kernel):
    """Path of the executable, or exits like bpftrace after a refusal."""
    cache = os.environ.get("BTC_COMPAT_CACHE") or tempfile.mkdtemp(prefix="btc-compat-")
    entry = os.path.join(cache, cache_key(inv, text))
    exe = os.path.join(entry, "bpftrace")
    result_path = os.path.join(entry, "result.json")
    if not os.path.exists(result_path):
        staging = tempfile.mkdtemp(dir=cache)
        cmd = btc_command(inv, text, staging) + ["-o", os.path.join(staging, "bpftrace")]
        event("compile-start")
        started = time.time()
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, errors="backslashreplace",
                                  timeout=COMPILE_TIMEOUT_S)
            result = {"rc": done.returncode, "stderr": done.stderr}
        except subprocess.TimeoutExpired:
            result = {"rc": None, "stderr": f"btc did not finish within {COMPILE_TIMEOUT_S} s\n"}
        result["seconds"] = round(time.time() - started, 3)
        event("compile-end", seconds=result["seconds"])
        with open(os.path.join(staging, "result.json"), "w") as f:
            json.dump(result, f)
        try:
            os.rename(staging, entry)
        except OSError:  # another shim compiled the same program meanwhile
            shutil.rmtree(staging, ignore_errors=True)
    with open(result_path) as f:
        result = json.load(f)

    sys.stderr.write(result["stderr"])
    sys.stderr.flush()
    if result["rc"] is None:
        event("btc-hang", detail=f"btc still busy after {COMPILE_TIMEOUT_S} s")
        sys.exit(1)
    crash = diagnostics.btc_crash(result["rc"], result["stderr"])
    if crash:
        event("btc-crash", detail=crash)
        sys.exit(1)
    if result["rc"] != 0 or not os.path.exists(exe):
        event("btc-refused", detail=diagnostics.first_error(result["stderr"]),
              stage=diagnostics.refusal_stage(result["stderr"]))
        if missing_kernel:
            event("needs-kernel", detail=missing_kernel)
        sys.exit(1)
    return exe


def missing_probe_kind(text):
    """Why this kernel cannot run the program's probes, or None."""
    facts_path = os.environ.get("BTC_COMPAT_KERNEL")
    if not facts_path:
        return None
    facts = kernel.KernelFacts.load(facts_path)
    for kind in sorted(probes.probe_kinds(text)):
        missing = facts.probe_kind_missing(kind)
        if missing:
            return missing
    return None


# ---- running -----------------------------------------------------------------


def is_attach_notice(line):
    text = line.decode("utf-8", "replace").strip()
    if text.startswith("Attached ") and text.split()[-1] in ("probe", "probes") and len(text.split()) == 3:
        return True
    if text.startswith("{") and '"attached_probes"' in text:
        try:
            return json.loads(text).get("type") == "attached_probes"
        except ValueError:
            return False
    return False


class Forwarder:
    """Copies the tool's output streams to ours and spots the attach notice."""

    def __init__(self, quiet):
        self.quiet = quiet
        self.notified = False
        self.partial = {}

    def feed(self, out_fd, data):
        buffer = self.partial.get(out_fd, b"") + data
        *lines, rest = buffer.split(b"\n")
        self.partial[out_fd] = rest
        for line in lines:
            self.line(out_fd, line + b"\n")

    def line(self, out_fd, line):
        if not self.notified and is_attach_notice(line):
            self.notified = True
            if not self.quiet:
                os.write(out_fd, line)
            if os.environ.get("__BPFTRACE_NOTIFY_PROBES_ATTACHED"):
                os.write(1, b"__BPFTRACE_NOTIFY_PROBES_ATTACHED\n")
            return
        os.write(out_fd, line)

    def finish(self):
        for out_fd, rest in self.partial.items():
            if rest:
                os.write(out_fd, rest)


def same_file(fd_a, fd_b):
    try:
        a, b = os.fstat(fd_a), os.fstat(fd_b)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def exec_tool(exe, inv):
    """Becomes the tool. For a shim that is the first process of a pid namespace
    (`unshare --fork --pid {{BPFTRACE}}`): bpftrace would be pid 1 there, so the
    tool must be too. Its output then goes straight to ours; without the attach
    notice the engine falls back to its attach timeout."""
    event("run", mode="exec")
    quiet = ["-q"] if inv.quiet else []
    os.execv(exe, [exe, *quiet, *inv.tool_args, "--", *inv.params])


def run_tool(exe, inv):
    argv = [exe, *inv.tool_args, "--", *inv.params]
    merged = same_file(1, 2)
    out_r, out_w = os.pipe()
    err_r, err_w = (out_r, out_w) if merged else os.pipe()
    # The engine ends a test with SIGTERM to the whole process group: the tool
    # gets it directly; this process keeps forwarding until the tool is done.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    tool = subprocess.Popen(argv, stdout=out_w, stderr=err_w)
    os.close(out_w)
    if not merged:
        os.close(err_w)
    targets = {out_r: 1} if merged else {out_r: 1, err_r: 2}
    forwarder = Forwarder(inv.quiet)
    while targets:
        try:
            ready, _, _ = select.select(list(targets), [], [])
        except InterruptedError:
            continue
        for fd in ready:
            data = os.read(fd, 65536)
            if data:
                forwarder.feed(targets[fd], data)
            else:
                os.close(fd)
                del targets[fd]
    forwarder.finish()
    rc = tool.wait()
    if rc < 0:
        if -rc in CRASH_SIGNALS:
            event("tool-crash", detail=f"tool killed by {signal.Signals(-rc).name}")
        return 128 - rc
    return rc


def main():
    inv = parse_command_line(sys.argv[1:])
    settings = config_from_environment()
    text = program_text(inv)
    if inv.script_path == "-":
        inv.program, inv.script_path = text, None
    if settings:
        text = with_config(text, settings)
        inv.rewritten = True
        if inv.program is not None:
            inv.program = text
    missing_kernel = missing_probe_kind(text)
    exe = compile_program(inv, text, missing_kernel)
    if missing_kernel:
        give_up("needs-kernel", missing_kernel)
    if os.getpid() == 1:
        exec_tool(exe, inv)
    event("run")
    sys.exit(run_tool(exe, inv))


if __name__ == "__main__":
    main()
