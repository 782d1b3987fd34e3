#!/usr/bin/env python3
"""`pidof` and `pkill` limited to the processes of one compat run.

Some bpftrace tests signal "bpftrace" by name (`pkill -SIGINT bpftrace`,
`kill -s USR1 $(pidof bpftrace)`). run_compat.py puts wrappers named pidof
and pkill first in the tests' PATH; they run this script, which only ever
sees descendants of the run_compat.py process ($BTC_COMPAT_RUNNER_PID), so a
test can never signal anybody else's process.

  scoped_proc.py pidof NAME...
  scoped_proc.py pkill [-SIGNAL | -s SIGNAL | --signal SIGNAL] NAME
"""

import os
import signal
import sys

from btcompat.proc_table import processes


def descendants_named(names):
    root = int(os.environ.get("BTC_COMPAT_RUNNER_PID", "0"))
    table = processes()
    wanted = {n[:15] for n in names}
    found = []
    for pid, (_, comm) in sorted(table.items()):
        if comm not in wanted or pid == os.getpid():
            continue
        p = pid
        while p > 1 and p in table:
            p = table[p][0]
            if p == root:
                found.append(pid)
                break
    return found


def _signal_number(text):
    text = text.upper()
    if text.isdigit():
        return int(text)
    if not text.startswith("SIG"):
        text = "SIG" + text
    return int(getattr(signal, text))


def pidof(args):
    pids = descendants_named([os.path.basename(a) for a in args])
    if pids:
        print(" ".join(str(p) for p in reversed(pids)))
    return 0 if pids else 1


def pkill(args):
    sig = signal.SIGTERM
    names = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-s", "--signal"):
            sig = _signal_number(args[i + 1])
            i += 2
            continue
        if a.startswith("-") and len(a) > 1:
            sig = _signal_number(a[1:])
        else:
            names.append(a)
        i += 1
    pids = descendants_named(names)
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass
    return 0 if pids else 1


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("pidof", "pkill"):
        sys.stderr.write(__doc__)
        return 2
    return (pidof if sys.argv[1] == "pidof" else pkill)(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
