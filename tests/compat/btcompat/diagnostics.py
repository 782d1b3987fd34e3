"""Reading btc's stderr: the first error of a refusal, and signs of a crash.

btc reports `FILE:LINE:COL: error: MESSAGE` (then the source line and a caret)
or `btc: error: MESSAGE` for driver-level problems. A crash is anything else
that ends btc: a signal, a sanitizer report, an uncaught exception, or an
exit status other than 0 and 1. (A btc that does not finish is reported by
the shim as a hang.)
"""

import re

_LOCATED = re.compile(r"^\S*:\d+:\d+: error: (.*)$")
_DRIVER = re.compile(r"^btc: error: (.*)$")
_CRASH_MARKS = ("AddressSanitizer", "UndefinedBehaviorSanitizer", "runtime error:", "terminate called",
                "Assertion `", "Segmentation fault", "stack smashing")  # fmt: skip


def first_error(stderr):
    """The first error message without its location, or the first line."""
    lines = stderr.splitlines()
    for line in lines:
        m = _LOCATED.match(line) or _DRIVER.match(line)
        if m:
            return "error: " + m.group(1).strip()
    for line in lines:
        if "error" in line.lower():
            return line.strip()
    return lines[0].strip() if lines else "(no diagnostic)"


def refusal_stage(stderr):
    """"check" when btc's own checks refused the program; "clang" or "link" when
    btc accepted it but the BPF C it generated, or the link, failed."""
    if "btc: error: BPF compilation failed" in stderr:
        return "clang"
    if "btc: error: linking" in stderr:
        return "link"
    return "check"


def btc_crash(returncode, stderr):
    """A description of how btc crashed, or None if it ended normally."""
    if returncode < 0:
        return f"btc killed by signal {-returncode}"
    for mark in _CRASH_MARKS:
        for line in stderr.splitlines():
            if mark in line:
                return f"btc crashed: {line.strip()[:200]}"
    if returncode not in (0, 1):
        return f"btc exited with status {returncode}: {first_error(stderr)}"
    return None
