#!/usr/bin/env python3
"""bench/tools/report.py RAW.json -- writes bench/RESULTS.md from what bench/run measured.

bench/run calls it at the end; run it by hand to re-render RESULTS.md (e.g. after editing
bench/analysis.md) without measuring again. The hand-written analysis is appended verbatim.
"""
import json
import os
import statistics
import sys

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = ("btc", "bpftrace", "libbpf")


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, unit="", digits=1):
    if x is None:
        return "n/a"
    return ("%." + str(digits) + "f%s") % (x, unit)


def verdict(ok):
    return "**met**" if ok else "**missed**"


def med_of(samples, key):
    return {t: median([r[key] if r[key] >= 0 else None for r in samples[t]]) for t in TOOLS}


def max_clean_rate(points):
    """Highest offered rate (median of the rounds) up to which every paced step lost nothing (median)."""
    best = 0.0
    for p in points:
        if p["lost"] > 0:
            break
        best = max(best, p["offered"])
    return best


def report(raw):
    m, sizes, compile_ms, cfg = raw["measurements"], raw["sizes"], raw["compile_ms"], raw["config"]
    opensnoop = cfg["opensnoop"]
    se, st, kern, thr = m["start_exit"], m["settled"], m["kernel"], m["throughput"]
    exit_ms, attach_line = med_of(se, "exit_ms"), med_of(se, "marker_ms")
    attach_sys, peak = med_of(se, "last_attach_ms"), med_of(se, "maxrss_kb")
    settled, peak_running = med_of(st, "settled_rss_kb"), med_of(st, "maxrss_kb")
    rows = []

    def row(figure, target, b, bt, lb, ratio, ok):
        rows.append("| %s | %s | %s | %s | %s | %s | %s |" % (figure, target, b, bt, lb, ratio, verdict(ok)))

    r = exit_ms["btc"] / exit_ms["bpftrace"]
    row("start to exit (ms)", "<= 1/10 of bpftrace", fmt(exit_ms["btc"]), fmt(exit_ms["bpftrace"]),
        fmt(exit_ms["libbpf"]), "btc/bpftrace = %.3f" % r, r <= 0.1)
    row("time to attach (ms, exec to \"Attached\" line)", "<= 10 ms", fmt(attach_line["btc"], "", 2),
        "n/a (prints before attaching)", fmt(attach_line["libbpf"], "", 2), "", attach_line["btc"] <= 10)
    row("time to attach (ms, exec to last attach syscall)", "<= 10 ms", fmt(attach_sys["btc"], "", 2),
        fmt(attach_sys["bpftrace"], "", 2), fmt(attach_sys["libbpf"], "", 2),
        "btc/bpftrace = %.3f" % (attach_sys["btc"] / attach_sys["bpftrace"]), attach_sys["btc"] <= 10)
    r = peak["btc"] / peak["bpftrace"]
    row("peak RSS (kB, start-to-exit script)", "<= 1/20 of bpftrace", fmt(peak["btc"], "", 0),
        fmt(peak["bpftrace"], "", 0), fmt(peak["libbpf"], "", 0), "btc/bpftrace = %.3f" % r, r <= 0.05)
    rows.append("| settled RSS (kB, running, 500 ms after attach) | (none) | %s | %s | %s | btc/bpftrace = %.3f | |" % (
        fmt(settled["btc"], "", 0), fmt(settled["bpftrace"], "", 0), fmt(settled["libbpf"], "", 0),
        settled["btc"] / settled["bpftrace"]))
    labels = {"a_count": "(a) `@[comm] = count()`", "b_hist": "(b) `@h = hist(pid)`",
              "c_printf": "(c) `printf(\"%d %s\\n\", pid, comm)`", "d_latency": "(d) `@start[tid]` + delta hist"}
    kmed = {}
    for name, label in labels.items():
        k = {t: median([r["ns_per_event"] for r in kern[name][t]]) for t in TOOLS}
        kmed[name] = k
        r1, r2 = k["btc"] / k["bpftrace"], k["btc"] / k["libbpf"]
        row("in-kernel ns/event %s" % label, "<= 0.7x bpftrace, <= 1.1x libbpf", fmt(k["btc"]), fmt(k["bpftrace"]),
            fmt(k["libbpf"]), "%.2fx bpftrace, %.2fx libbpf" % (r1, r2), r1 <= 0.7 and r2 <= 1.1)
    clean = {t: max_clean_rate(thr[t]) for t in TOOLS}
    row("event throughput (printf events/s sustained with 0 lost)", ">= bpftrace", fmt(clean["btc"], "", 0),
        fmt(clean["bpftrace"], "", 0), fmt(clean["libbpf"], "", 0),
        "btc/bpftrace = %.2f" % (clean["btc"] / clean["bpftrace"] if clean["bpftrace"] else float("inf")),
        clean["btc"] >= clean["bpftrace"])
    limit = 1_500_000
    for name, label in (("begin_exit", "`BEGIN { exit(); }`"), ("opensnoop", "opensnoop")):
        row("executable size, stripped (bytes) %s" % label, "<= 1.5 MB (1,500,000 bytes)", "{:,}".format(sizes[name]),
            "n/a (dynamic: {:,} + {:,} of libraries)".format(sizes["bpftrace"],
                                                            sizes["bpftrace_with_libs"] - sizes["bpftrace"]),
            "{:,} (ref_count)".format(sizes["libbpf_ref_count"]), "", sizes[name] <= limit)
    c = median(compile_ms)
    row("compile time (ms, `btc opensnoop.bt`)", "<= 500 ms", fmt(c), "n/a", "n/a", "", c <= 500)

    mach = m["machine"]
    out = []
    out.append("# btc benchmark results\n")
    out.append("Written by `bench/run` on %s (%.0f s). Do not edit by hand: the analysis at the end comes from "
               "`bench/analysis.md`.\n" % (cfg["written"], m["elapsed"]))
    out.append("## Machine\n")
    out.append("| | |\n| --- | --- |")
    for key in ("kernel", "cpu", "cores", "memory", "virtualisation", "clocksource", "load average at start",
                "load average at end", "btc", "bpftrace", "clang", "libbpf", "bpftool", "gcc"):
        out.append("| %s | %s |" % (key, mach[key]))
    out.append("")
    out.append("## Summary\n")
    out.append("Medians of interleaved runs (btc, bpftrace and libbpf take turns, the order rotating each round).\n")
    out.append("| figure | target | btc | bpftrace 0.17 | libbpf (hand-written) | ratio | verdict |")
    out.append("| --- | --- | --- | --- | --- | --- | --- |")
    out += rows
    out.append("")
    out.append(details(m, cfg, kmed, clean, compile_ms, opensnoop))
    analysis = os.path.join(BENCH, "analysis.md")
    if os.path.exists(analysis):
        out.append(open(analysis).read())
    return "\n".join(out) + "\n"


def samples_line(samples, key, digits=1):
    return "; ".join("%s %s" % (t, ", ".join(fmt(r[key], "", digits) for r in samples[t])) for t in TOOLS)


def details(m, cfg, kmed, clean, compile_ms, opensnoop):
    se, st, kern, thr = m["start_exit"], m["settled"], m["kernel"], m["throughput"]
    d = ["## How each figure is measured\n"]
    d.append("Every tool runs under `launch` (bench/tools/launch.c), which forks it, lets it exec, and watches it with "
             "BPF programs of its own (bench/tools/launch.bpf.c): `sched_process_exec` gives the exec time, and every "
             "successful `ioctl(PERF_EVENT_IOC_ENABLE)`, `bpf(BPF_LINK_CREATE)` or `bpf(BPF_RAW_TRACEPOINT_OPEN)` "
             "is an attach. All times are CLOCK_MONOTONIC relative to exec. Peak RSS is `wait4()`'s `ru_maxrss`, "
             "which is what `/usr/bin/time -f %M` prints. A tool counts as attached when its stderr shows "
             "`Attached` (btc, libbpf) or, for bpftrace 0.17 (whose `Attaching N probes...` goes to stdout *before* "
             "it attaches), when its attach calls have stopped for 150 ms. The libbpf reference tools are in "
             "bench/libbpf (CO-RE, per-CPU maps, static, `Attached N probes` on stderr after attaching).\n")
    d.append("Commands (the btc tools are `btc SCRIPT -o btc_NAME`; scripts in bench/scripts/):\n")
    d.append("```")
    d.append("sysctl -w kernel.bpf_stats_enabled=1")
    seen = set()
    for group in (se, st, *kern.values()):
        for t in TOOLS:
            cmd = group[t][0]["command"]
            if cmd not in seen:
                seen.add(cmd)
                d.append(cmd.replace(cfg["work"], "$W"))
    d.append("taskset -c %d $W/load getpid %d 0 %d   # in-kernel workload (tool pinned to CPU %d by launch)" %
             (cfg["load_cpu"], cfg["getpid_calls"], cfg["kernel_seconds"], cfg["tool_cpu"]))
    d.append("taskset -c %d $W/load getpid CALLS RATE %.1f   # throughput step, paced in 1 ms slots" %
             (cfg["load_cpu"], cfg["throughput_seconds"]))
    d.append("strip -o X.stripped X; stat -c %%s X.stripped   # executable size (opensnoop: %s)" %
             opensnoop)
    d.append("time btc %s -o opensnoop       # compile time" % opensnoop)
    d.append("```\n")
    d.append("Load average when each phase started: %s.\n" % ", ".join("%s %s" % kv for kv in m.get("load", {}).items()))
    d.append("### Start to exit, attach, RSS (all samples, ms / kB)\n")
    d.append("- start to exit: " + samples_line(se, "exit_ms"))
    d.append("- start until the tool's whole process group is gone: " + samples_line(se, "group_exit_ms"))
    d.append("- exec to \"Attached\" line: " + samples_line(se, "marker_ms", 2))
    d.append("- exec to last attach syscall: " + samples_line(se, "last_attach_ms", 2))
    d.append("- peak RSS (start-to-exit script): " + samples_line(se, "maxrss_kb", 0))
    d.append("- peak RSS (running script, stopped with SIGINT): " + samples_line(st, "maxrss_kb", 0))
    d.append("- settled RSS: " + samples_line(st, "settled_rss_kb", 0))
    d.append("")
    d.append("### In-kernel cost (ns per getpid call, `run_time_ns / run_cnt` from `/proc/PID/fdinfo`)\n")
    short = ["%s %s: {:,}".format(r["calls"]) % (name, t) for name in kern for t in TOOLS for r in kern[name][t]
             if r["calls"] < cfg["getpid_calls"]]
    d.append("For (d) the enter and exit programs are summed. Each cell: median (all samples); noise from other "
             "work on the machine only adds time, so the minimum is a useful second estimate. Each run makes "
             "{:,} getpid calls or stops after {} s{}.\n".format(
                 cfg["getpid_calls"], cfg["kernel_seconds"], "; runs cut short: " + ", ".join(short) if short else ""))
    d.append("| script | btc | bpftrace | libbpf |\n| --- | --- | --- | --- |")
    for name in kern:
        cells = []
        for t in TOOLS:
            xs = [r["ns_per_event"] for r in kern[name][t]]
            cells.append("**%s** (%s)" % (fmt(kmed[name][t]), ", ".join(fmt(x) for x in xs)))
        d.append("| %s | %s |" % (name, " | ".join(cells)))
    d.append("")
    d.append("### Throughput: printf events delivered to stdout (a file on tmpfs), per offered rate\n")
    d.append("Each step paces getpid calls at the target rate for %.1f s (flat out: as many as possible), %d rounds, "
             "interleaved. Offered = calls per second the workload achieved (a tracer that slows every call down "
             "lowers it); delivered = lines on stdout; lost = calls - delivered. Cells: medians, then the lost count "
             "of every round. A tool that holds the workload below %d%% of a target skips the higher targets "
             "(\"throttled\").\n" % (cfg["throughput_seconds"], len(thr["btc"][0]["runs"]), cfg["throttled"] * 100))
    d.append("| target rate | " + " | ".join("%s offered / delivered / lost (per round)" % t for t in TOOLS) + " |")
    d.append("| --- | --- | --- | --- |")
    for rate in cfg["throughput_rates"]:
        cells = []
        for t in TOOLS:
            p = next((p for p in thr[t] if p["rate"] == rate), None)
            if not p:
                cells.append("throttled")
                continue
            cells.append("{:,.0f} / {:,.0f} / {:,.0f} ({})".format(
                p["offered"], p["delivered"], p["lost"], ", ".join("{:,}".format(r["lost"]) for r in p["runs"])))
        d.append("| %s | %s |" % ("{:,}".format(rate) if rate else "flat out", " | ".join(cells)))
    d.append("")
    d.append("Sustained rate (highest offered rate up to which no step lost events): " +
             ", ".join("%s {:,.0f}/s".format(clean[t]) % t for t in TOOLS) + ".\n")
    d.append("### Compile time\n")
    d.append("`btc %s`: %s ms (median %s, minimum %s).\n" % (
        opensnoop, ", ".join(fmt(x) for x in compile_ms), fmt(median(compile_ms)),
        fmt(min(compile_ms))))
    return "\n".join(d)


def main():
    raw_path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench-work/raw.json"
    with open(raw_path) as f:
        raw = json.load(f)
    with open(os.path.join(BENCH, "RESULTS.md"), "w") as f:
        f.write(report(raw))


if __name__ == "__main__":
    main()
