"""Checks that a tool leaves no BPF program, map or link behind when it exits.

Ownership is taken from the tool's own file descriptors while it runs
(/proc/PID/fdinfo lists prog_id/map_id/link_id); when the tool exited too fast
to look, every object created during its run counts as its own."""

import glob
import json
import os
import subprocess
import time

KINDS = ("prog", "map", "link")
GRACE_SECONDS = 5.0  # the kernel frees programs and maps asynchronously


def snapshot():
    """Returns {kind: {id: name}} of every BPF object alive now."""
    objects = {}
    for kind in KINDS:
        out = subprocess.run(["bpftool", "-j", kind, "show"], capture_output=True, text=True, check=True).stdout
        entries = json.loads(out) if out.strip() else []
        objects[kind] = {e["id"]: _name_of(kind, e) for e in entries}
    return objects


def _name_of(kind, entry):
    if kind == "link":
        return f"{entry.get('type', '?')} link of prog {entry.get('prog_id', '?')}"
    return entry.get("name", "")


def owned_by(pid):
    """Returns {kind: set(ids)} of the BPF objects the process holds a descriptor to."""
    owned = {kind: set() for kind in KINDS}
    for path in glob.glob(f"/proc/{pid}/fdinfo/*"):
        try:
            with open(path) as f:
                text = f.read()
        except OSError:
            continue
        for line in text.splitlines():
            key, _, value = line.partition(":")
            kind = key.strip().removesuffix("_id")
            if key.strip().endswith("_id") and kind in KINDS:
                owned[kind].add(int(value))
    return owned


def _descendants(pid):
    """pid and every process below it (a tool run under `wrap:` is a child of the wrapper)."""
    pids, i = [pid], 0
    while i < len(pids):
        for path in glob.glob(f"/proc/{pids[i]}/task/*/children"):
            try:
                with open(path) as f:
                    pids += [int(p) for p in f.read().split()]
            except OSError:
                pass
        i += 1
    return pids


def owned_by_tree(pid):
    """owned_by() of pid and of every process below it."""
    owned = {kind: set() for kind in KINDS}
    for p in _descendants(pid):
        for kind, ids in owned_by(p).items():
            owned[kind] |= ids
    return owned


def _alive(objects, ids_by_kind, now):
    return [(kind, i, objects[kind].get(i, "")) for kind in KINDS for i in sorted(ids_by_kind[kind]) if i in now[kind]]


def find_leaks(before, owned):
    """Waits up to GRACE_SECONDS for the tool's objects to disappear.

    `before` is the snapshot taken before the tool started; `owned` what it held
    while running (may be empty). Returns a list of leftover (kind, id, name)."""
    have_ownership = any(owned[kind] for kind in KINDS)
    deadline = time.monotonic() + GRACE_SECONDS
    while True:
        now = snapshot()
        if have_ownership:
            suspects = owned
        else:
            suspects = {kind: set(now[kind]) - set(before[kind]) for kind in KINDS}
        leftover = _alive(now, suspects, now)
        if not leftover or time.monotonic() > deadline:
            return leftover
        time.sleep(0.1)


def describe(leftover):
    return "\n".join(f"  {kind} id {i} name {name!r}" for kind, i, name in leftover)


def pid_alive(pid):
    return os.path.exists(f"/proc/{pid}")
