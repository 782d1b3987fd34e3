#!/usr/bin/env python3
"""A/B comparison of a few tool variants, for trying an optimisation by hand.

  bench/tools/ab.py [--rounds N] [--kernel] 'CMD A' 'CMD B' ...

Runs every command N times (default 5), interleaved, under $BENCH_WORK/launch
(build it first with bench/run or `make -C bench`). Default: start to exit,
exec to last attach, peak RSS (the commands must exit by themselves).
--kernel: in-kernel ns per getpid call over 2M calls (tool on CPU 0, workload
on CPU 1; needs kernel.bpf_stats_enabled=1). Prints medians and all samples.
"""
import json
import os
import statistics
import subprocess
import sys

WORK = os.environ.get("BENCH_WORK", "/tmp/bench-work")
CALLS = 2_000_000


def main():
    args = sys.argv[1:]
    rounds, kernel = 5, False
    while args and args[0].startswith("--"):
        flag = args.pop(0)
        if flag == "--rounds":
            rounds = int(args.pop(0))
        elif flag == "--kernel":
            kernel = True
        else:
            sys.exit(__doc__)
    if not args:
        sys.exit(__doc__)
    launch = subprocess.Popen([os.path.join(WORK, "launch"), "--batch"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    samples = {cmd: [] for cmd in args}
    for _ in range(rounds):
        for cmd in args:
            argv = cmd.split()
            opts = ["--quiet-ms", "150"] if "bpftrace" in argv[0] else ["--marker", "Attached"]
            if kernel:
                opts += ["--cpu", "0", "--settle-ms", "100", "--stop", "--workload",
                         "taskset -c 1 %s/load getpid %d 0 6" % (WORK, CALLS)]
            launch.stdin.write("\t".join(opts + ["--"] + argv) + "\n")
            launch.stdin.flush()
            samples[cmd].append(json.loads(launch.stdout.readline()))
    launch.stdin.close()
    launch.wait()

    def show(cmd, label, values, digits=1):
        values = [v for v in values if v is not None]
        med = statistics.median(values) if values else float("nan")
        print("%-50s %-14s %10.*f   [%s]" % (cmd[-50:], label, digits, med,
                                            " ".join("%.*f" % (digits, v) for v in values)))

    for cmd, runs in samples.items():
        if kernel:
            per_run = []
            for r in runs:
                calls = int(r["workload"].split("calls=")[1].split()[0])
                progs = [p for p in r["progs"] if p["run_cnt"] >= calls // 2]
                per_run.append(sum(p["run_ns"] for p in progs) / max(p["run_cnt"] for p in progs) if progs else None)
            show(cmd, "ns/event", per_run)
        else:
            show(cmd, "exit ms", [r["exit_ms"] for r in runs])
            show(cmd, "attach ms", [r["last_attach_ms"] for r in runs], 2)
            show(cmd, "peak RSS kB", [r["maxrss_kb"] for r in runs], 0)


if __name__ == "__main__":
    main()
