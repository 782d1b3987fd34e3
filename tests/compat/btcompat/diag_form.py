"""btc's diagnostics rewritten in bpftrace's spelling, to tell apart the tests
that fail only because of how a diagnostic is written.

btc writes compiler-style diagnostics:

    stdin:1:25: error: Unreachable statement.
    begin { @a = 1; exit(); @b = 2; }
                            ^~~~~~

bpftrace writes the same facts as

    stdin:1:25-31: ERROR: Unreachable statement.
    begin { @a = 1; exit(); @b = 2; }
                            ~~~~~~

(`WARNING:` for warnings). A test whose checks pass on the rewritten output
still FAILs; the runner files it under its own category so the report can say
how many failures are the spelling alone.
"""

import re

_LOCATED = re.compile(r"^(\S*):(\d+):(\d+): (error|warning): (.*)$")
_UNDERLINE = re.compile(r"^(\s*)\^(~*)\s*$")


def bpftrace_spelling(output):
    """output with every btc diagnostic (location line + source + caret line)
    spelled as bpftrace spells it; everything else unchanged."""
    lines = output.split("\n")
    out = []
    i = 0
    while i < len(lines):
        m = _LOCATED.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        path, line, col, severity, message = m.groups()
        level = "ERROR" if severity == "error" else "WARNING"
        underline = _UNDERLINE.match(lines[i + 2]) if i + 2 < len(lines) else None
        if underline:
            width = 1 + len(underline.group(2))
            out.append(f"{path}:{line}:{col}-{int(col) + width}: {level}: {message}")
            out.append(lines[i + 1])
            out.append(underline.group(1) + "~" * width)
            i += 3
        else:
            out.append(f"{path}:{line}:{col}: {level}: {message}")
            i += 1
    return "\n".join(out)
