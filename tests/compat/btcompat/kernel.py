"""What this machine's kernel can run, in the vocabulary of bpftrace's tests.

Two kinds of facts:
  * REQUIRES_FEATURE names (bpftrace --info's feature list). Kernel features
    are probed here; features of bpftrace's own build (DWARF, blazesym, ...)
    are not facts about the machine, so they never cause a skip: the test runs
    and btc either handles it or the test fails.
  * probe kinds a program may use (kprobe, fentry, iter, hardware), so that
    programs needing a missing one are skipped instead of counted as failures.

Kernel helpers and program types come from `bpftool feature probe kernel -j`;
probe kinds from /sys/bus/event_source/devices. Without bpftool every helper
and program type is assumed present (the test then runs and shows the truth).
"""

import json
import os
import platform
import re
import subprocess

# bpftrace build features: not a property of the kernel; tests needing them run.
TOOL_FEATURES = ("dwarf", "dwunwind", "blazesym", "libpath_resolv", "aot")

_PMU_DIR = "/sys/bus/event_source/devices"


def version_tuple(text):
    numbers = [int(n) for n in re.findall(r"\d+", text.split("-")[0])[:3]]
    return tuple(numbers + [0] * (3 - len(numbers)))


def _bpftool_probe():
    try:
        command = ["bpftool", "feature", "probe", "kernel", "-j"]
        out = subprocess.run(command, capture_output=True, text=True, timeout=120)
        return json.loads(out.stdout) if out.returncode == 0 else None
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


class KernelFacts:
    """Probed once per run; saved to JSON so the bpftrace shim can read it."""

    def __init__(self, data):
        self.data = data

    @staticmethod
    def probe():
        bpftool = _bpftool_probe()
        helpers = set()
        prog_types = None
        if bpftool:
            prog_types = {k[len("have_") : -len("_prog_type")] for k, v in bpftool["program_types"].items() if v}
            for name, available in bpftool["helpers"].items():
                if name.startswith("kprobe_") or name.startswith("tracing_"):
                    helpers.update(f"{name.split('_available')[0]}:{h}" for h in available)
        pmus = set(os.listdir(_PMU_DIR)) if os.path.isdir(_PMU_DIR) else set()
        data = {
            "kernel": os.uname().release,
            "arch": platform.machine(),
            "bpftool": bpftool is not None,
            "prog_types": sorted(prog_types) if prog_types is not None else None,
            "helpers": sorted(helpers),
            "pmus": sorted(pmus),
            "btf": os.path.exists("/sys/kernel/btf/vmlinux"),
        }
        return KernelFacts(data)

    @staticmethod
    def load(path):
        with open(path) as f:
            return KernelFacts(json.load(f))

    def save(self, path):
        with open(path, "w") as f:
            json.dump(self.data, f, indent=1)

    # ---- primitive facts ------------------------------------------------------

    def has_prog_type(self, name):
        types = self.data["prog_types"]
        return True if types is None else name in types

    def has_helper(self, name, prog_type="kprobe"):
        if not self.data["bpftool"]:
            return True
        return f"{prog_type}:bpf_{name}" in self.data["helpers"]

    def has_pmu(self, name):
        return name in self.data["pmus"]

    def version_at_least(self, text):
        return version_tuple(self.data["kernel"]) >= version_tuple(text)

    # ---- probe kinds ----------------------------------------------------------

    def probe_kind_missing(self, kind):
        """Why a program with this probe kind cannot run here, or None."""
        if kind in ("kprobe", "kretprobe") and not self.has_pmu("kprobe"):
            return "kprobes (no kprobe PMU: CONFIG_KPROBES off)"
        if kind in ("fentry", "fexit") and not self.has_prog_type("tracing") and not self.has_pmu("kprobe"):
            return "fentry/fexit (no tracing programs, no kprobe fallback)"
        if kind == "iter" and not self.has_prog_type("tracing"):
            return "iter (no tracing programs)"
        if kind == "hardware" and not (self.has_pmu("cpu") or self.has_pmu("cpu_core")):
            return "hardware events (no CPU PMU)"
        if kind in ("uprobe", "uretprobe", "usdt") and not self.has_pmu("uprobe"):
            return "uprobes (no uprobe PMU)"
        if kind in ("watchpoint", "asyncwatchpoint") and not self.has_pmu("breakpoint"):
            return "watchpoints (no breakpoint PMU)"
        return None

    # ---- REQUIRES_FEATURE -----------------------------------------------------

    def feature(self, name):
        """True/False for a REQUIRES_FEATURE name; None if unknown."""
        tracing = self.has_prog_type("tracing")
        kprobes = self.has_pmu("kprobe")
        checks = {
            "loop": lambda: self.has_helper("loop"),
            "probe_read_kernel": lambda: self.has_helper("probe_read_kernel"),
            "btf": lambda: self.data["btf"],
            "fentry": lambda: tracing,
            "dpath": lambda: tracing and self.has_helper("d_path", "tracing"),
            "signal": lambda: self.has_helper("send_signal"),
            "iter": lambda: tracing,
            "kprobe_multi": lambda: kprobes and self.version_at_least("5.18"),
            "kprobe_session": lambda: kprobes and self.version_at_least("6.10"),
            "uprobe_multi": lambda: self.has_pmu("uprobe") and self.version_at_least("6.6"),
            "skboutput": lambda: tracing and self.has_helper("skb_output", "tracing"),
            "get_tai_ns": lambda: self.has_helper("ktime_get_tai_ns"),
            "get_func_ip": lambda: self.has_helper("get_func_ip"),
            "jiffies64": lambda: self.has_helper("jiffies64"),
            "lookup_percpu_elem": lambda: self.has_helper("map_lookup_percpu_elem"),
        }
        if name in TOOL_FEATURES:
            return True
        check = checks.get(name)
        return None if check is None else bool(check())

    def summary(self):
        """One line per fact that decides skips, for the report."""
        lines = [f"kernel {self.data['kernel']} ({self.data['arch']})"]
        for kind in ("kprobe", "fentry", "iter", "hardware", "uprobe", "watchpoint"):
            missing = self.probe_kind_missing(kind)
            lines.append(f"{kind}: {'no - ' + missing if missing else 'yes'}")
        if not self.data["bpftool"]:
            lines.append("bpftool not found: helpers and program types assumed present")
        return lines
