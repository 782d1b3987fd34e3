#!/usr/bin/env python3
"""Run bpftrace's own runtime tests against btc-built executables.

  sudo python3 tests/compat/run_compat.py BPFTRACE_CHECKOUT/tests/runtime --btc BUILD/btc
      [--workdir DIR] [--filter PATTERNS] [--hard-limit SECONDS] [--keep-cache] [--btc-revision REV]

Every test of every file in the runtime directory is read, skipped when this
machine cannot run it, or run with bpftrace_shim.py standing in for bpftrace
(see README.md). Results: a table on stdout, DIR/results.json (one record per
test), DIR/summary.md (tables for docs/compat.md) and DIR/failures.log (the
command and output of every failure). The work directory must lie outside
the btc repository; nothing is written into the bpftrace checkout.

--filter takes the engine's syntax: colon-separated regexes matched against
"suite.name"; a leading '-' excludes.
"""

import argparse
import datetime
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from btcompat import classify, execute, kernel, report, testfile, testprogs  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runtime_dir", help="tests/runtime directory of a bpftrace checkout")
    parser.add_argument("--btc", default=shutil.which("btc"), help="the btc compiler (default: btc on PATH)")
    parser.add_argument("--workdir", default="/tmp/btc-compat", help="scratch and results (default /tmp/btc-compat)")
    parser.add_argument("--filter", default="", help="colon-separated regexes on suite.name; '-' prefix excludes")
    parser.add_argument("--hard-limit", type=float, default=120, help="wall-clock cap per test in seconds")
    parser.add_argument("--keep-cache", action="store_true", help="reuse executables compiled by an earlier run")
    parser.add_argument("--btc-revision", help="btc revision to record (default: git HEAD of this repository)")
    return parser.parse_args()


def selected(ident, patterns):
    positive = [p for p in patterns.split(":") if p and not p.startswith("-")]
    negative = [p[1:] for p in patterns.split(":") if p.startswith("-") and len(p) > 1]
    if positive and not any(re.search(p, ident) for p in positive):
        return False
    return not any(re.search(p, ident) for p in negative)


def prepare_workdir(args):
    workdir = os.path.abspath(args.workdir)
    if os.path.commonpath([workdir, REPO]) == REPO:
        sys.exit(f"run_compat.py: the work directory {workdir} must be outside the repository {REPO}")
    cwd = os.path.join(workdir, "cwd")
    os.makedirs(cwd, exist_ok=True)
    link = os.path.join(cwd, "runtime")
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(os.path.abspath(args.runtime_dir), link)

    bindir = os.path.join(workdir, "bin")
    os.makedirs(bindir, exist_ok=True)
    for tool in ("pidof", "pkill"):
        path = os.path.join(bindir, tool)
        with open(path, "w") as f:
            f.write(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} {shlex.quote(os.path.join(HERE, 'scoped_proc.py'))}"
                    f" {tool} \"$@\"\n")
        os.chmod(path, 0o755)

    cache = os.path.join(workdir, "cache")
    if not args.keep_cache:
        shutil.rmtree(cache, ignore_errors=True)
    os.makedirs(cache, exist_ok=True)
    return workdir, cwd, bindir, cache


def mount_debugfs():
    """bpftrace's tests read /sys/kernel/debug/tracing (debugf writes to its trace file), which
    exists on their CI machines; mount debugfs when this machine has not. Returns a problem or None."""
    if os.path.isdir("/sys/kernel/debug/tracing") or os.path.ismount("/sys/kernel/debug"):
        return None
    done = subprocess.run(["mount", "-t", "debugfs", "debugfs", "/sys/kernel/debug"], capture_output=True, text=True)
    if done.returncode != 0:
        return f"cannot mount debugfs on /sys/kernel/debug: {done.stderr.strip()}"
    return None


def btc_revision():
    done = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                           text=True)  # fmt: skip
    return done.stdout.strip() + ("+local changes" if dirty.stdout.strip() else "")


def record(case, verdict, run=None):
    r = {"suite": case.suite, "name": case.name, "line": case.line, "status": verdict.status,
         "category": verdict.category, "reason": verdict.reason, "note": verdict.note}  # fmt: skip
    if run:
        keep = 800 if verdict.status == classify.PASS else 8000
        r.update(seconds=round(run.seconds, 2), command=run.command, returncode=run.returncode,
                 timed_out=run.timed_out, attached=run.attached, failures=run.failures,
                 events=[e["kind"] for e in run.events], output=run.output[-keep:])  # fmt: skip
    return r


def log_failure(log, case, verdict, run):
    log.write(f"==== {case.ident} ({case.suite}:{case.line}) {verdict.status} [{verdict.category}] {verdict.reason}\n")
    if run:
        log.write(f"command: {run.command}\nexit status: {run.returncode}  timed out: {run.timed_out}"
                  f"  attached: {run.attached}\nchecks: {run.failures}\n--- output ---\n{run.output[-4000:]}\n")
    log.flush()


def main():
    args = parse_args()
    if os.geteuid() != 0:
        sys.exit("run_compat.py: must run as root (the tests load BPF programs)")
    if not args.btc or not os.access(args.btc, os.X_OK):
        sys.exit("run_compat.py: give the btc compiler with --btc")
    runtime_dir = os.path.abspath(args.runtime_dir)
    if not os.path.isdir(os.path.join(runtime_dir, "engine")):
        sys.exit(f"run_compat.py: {runtime_dir} does not look like bpftrace's tests/runtime (no engine/)")
    workdir, cwd, bindir, cache = prepare_workdir(args)

    problem = mount_debugfs()
    if problem:
        print(f"  warning: {problem}")
    print("building the test programs ...", flush=True)
    for problem in testprogs.build(os.path.dirname(runtime_dir), cwd):
        print(f"  warning: {problem}")
    facts = kernel.KernelFacts.probe()
    facts_path = os.path.join(workdir, "kernel.json")
    facts.save(facts_path)
    for line in facts.summary():
        print(f"  {line}")

    ctx = execute.Context(
        cwd=cwd, shim=f"{shlex.quote(sys.executable)} {shlex.quote(os.path.join(HERE, 'bpftrace_shim.py'))}",
        btc=os.path.abspath(args.btc), facts=facts, facts_path=facts_path, cache_dir=cache,
        events_path=os.path.join(workdir, "events.jsonl"), path=f"{bindir}:{os.environ.get('PATH', '')}",
        hard_limit_s=args.hard_limit)  # fmt: skip
    revision = args.btc_revision or btc_revision()
    meta = {"date": datetime.date.today().isoformat(), "btc": ctx.btc, "btc_revision": revision,
            "runtime_dir": runtime_dir, "kernel": facts.data["kernel"], "facts": facts.summary(),
            "filter": args.filter}  # fmt: skip

    results = []
    results_path = os.path.join(workdir, "results.json")
    started = time.time()
    with open(os.path.join(workdir, "failures.log"), "w") as log:
        for suite_path in testfile.list_suites(runtime_dir):
            for case in testfile.read_suite(suite_path):
                if not selected(case.ident, args.filter):
                    continue
                run = None
                skip = execute.precheck(case, ctx)
                if skip:
                    verdict = classify.skipped(*skip)
                else:
                    run = execute.run_test(case, ctx)
                    verdict = classify.classify(case, run)
                results.append(record(case, verdict, run))
                took = f" ({run.seconds:.1f}s)" if run else ""
                print(f"[{verdict.status}] {case.ident}{took}" + (f": {verdict.reason}" if verdict.reason else ""),
                      flush=True)  # fmt: skip
                if verdict.status == classify.FAIL:
                    log_failure(log, case, verdict, run)
                report.write_json(results_path, meta, results)

    meta["seconds"] = round(time.time() - started)
    report.write_json(results_path, meta, results)
    with open(os.path.join(workdir, "summary.md"), "w") as f:
        f.write(report.markdown(meta, results))
    print()
    print(report.console_summary(results))
    print(f"\nresults: {results_path}\nsummary: {os.path.join(workdir, 'summary.md')}"
          f"\nfailures: {os.path.join(workdir, 'failures.log')}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
