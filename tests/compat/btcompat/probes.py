"""Which probe kinds a bpftrace program uses, found by scanning its text.

This is a scan, not a parse: comments and string literals are blanked out,
then every `provider:` that starts an attach point (at the beginning of the
program or after whitespace, '}', ',' or ';') is looked up in bpftrace's
provider table. It only decides whether a test can run on this kernel, so a
rare false hit costs one skipped test, never a wrong pass.
"""

import re

# bpftrace's providers and their aliases (src/probe_types.h); matching is
# case-insensitive, as in bpftrace.
PROVIDERS = {
    "kprobe": "kprobe",
    "k": "kprobe",
    "kretprobe": "kretprobe",
    "kr": "kretprobe",
    "uprobe": "uprobe",
    "u": "uprobe",
    "uretprobe": "uretprobe",
    "ur": "uretprobe",
    "usdt": "usdt",
    "tracepoint": "tracepoint",
    "t": "tracepoint",
    "profile": "profile",
    "p": "profile",
    "interval": "interval",
    "i": "interval",
    "software": "software",
    "s": "software",
    "hardware": "hardware",
    "h": "hardware",
    "watchpoint": "watchpoint",
    "w": "watchpoint",
    "asyncwatchpoint": "asyncwatchpoint",
    "aw": "asyncwatchpoint",
    "fentry": "fentry",
    "f": "fentry",
    "kfunc": "fentry",
    "fexit": "fexit",
    "fr": "fexit",
    "kretfunc": "fexit",
    "iter": "iter",
    "it": "iter",
    "rawtracepoint": "rawtracepoint",
    "rt": "rawtracepoint",
}

_ATTACH_START = re.compile(r"(?:^|(?<=[\s},;]))([A-Za-z]+):(?!:)")


def _blank_comments_and_strings(text):
    """Replace comments and string literals with spaces (keeps offsets)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(" " * (end - i))
            i = end
        elif c == '"':
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def probe_kinds(program):
    """Set of canonical provider names used by the program text."""
    # "usdt" has the alias "U" which must stay case-sensitive to not clash with "u".
    text = _blank_comments_and_strings(program)
    kinds = set()
    for match in _ATTACH_START.finditer(text):
        word = match.group(1)
        if word == "U":
            kinds.add("usdt")
            continue
        kind = PROVIDERS.get(word.lower())
        if kind:
            kinds.add(kind)
    return kinds
