"""Summaries of a compat run: console table, grouped reasons, JSON, Markdown."""

import collections
import json
import re

from .classify import FAIL, PASS, SKIP


def group_key(result):
    """The reason a failure or skip is counted under (location details dropped)."""
    category, reason = result["category"], result["reason"]
    if category == "wrong-output":
        return "wrong output"
    if category == "exit-status":
        # "exit status 1, expected 0: stdin:1:2: ERROR: x" -> "exit status 1: ERROR: x"
        head, _, error = reason.partition(": ")
        status = head.split(",")[0]
        error = re.sub(r"^.*?(ERROR|error):", r"\1:", error)
        return f"{status}: {error}" if error else status
    if category in ("btc-crash", "btc-hang"):
        return f"{category}: {reason}"
    return reason


def counts(results):
    c = collections.Counter(r["status"] for r in results)
    return c[PASS], c[FAIL], c[SKIP]


def per_suite(results):
    suites = collections.OrderedDict()
    for r in results:
        suites.setdefault(r["suite"], []).append(r)
    return [(name, *counts(rs)) for name, rs in suites.items()]


def grouped(results, status):
    c = collections.Counter(group_key(r) for r in results if r["status"] == status)
    return c.most_common()


def by_category(results, status):
    return collections.Counter(r["category"] for r in results if r["status"] == status).most_common()


def console_summary(results, top=25):
    lines = [f"{'suite':<16} {'pass':>5} {'fail':>5} {'skip':>5}"]
    for name, p, f, s in per_suite(results):
        lines.append(f"{name:<16} {p:>5} {f:>5} {s:>5}")
    p, f, s = counts(results)
    lines.append(f"{'TOTAL':<16} {p:>5} {f:>5} {s:>5}   ({len(results)} tests)")
    lines.append("")
    lines.append("failures by category: " + ", ".join(f"{k} {n}" for k, n in by_category(results, FAIL)))
    lines.append("skips by category: " + ", ".join(f"{k} {n}" for k, n in by_category(results, SKIP)))
    lines.append("")
    lines.append("top failure reasons:")
    for reason, n in grouped(results, FAIL)[:top]:
        lines.append(f"  {n:>4}  {reason}")
    return "\n".join(lines)


def write_json(path, meta, results):
    with open(path, "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)


def _md_escape(text):
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(meta, results, top=40):
    """Tables for docs/compat.md (the prose around them is written by hand)."""
    p, f, s = counts(results)
    out = ["| | tests |", "|---|---:|", f"| pass | {p} |", f"| fail | {f} |", f"| skip | {s} |",
           f"| total | {len(results)} |", ""]  # fmt: skip
    out += ["| suite | pass | fail | skip |", "|---|---:|---:|---:|"]
    for name, sp, sf, ss in per_suite(results):
        out.append(f"| {name} | {sp} | {sf} | {ss} |")
    out += ["", "Failures by category:", "", "| category | tests |", "|---|---:|"]
    out += [f"| {k} | {n} |" for k, n in by_category(results, FAIL)]
    out += ["", "Top failure reasons:", "", "| tests | reason |", "|---:|---|"]
    out += [f"| {n} | {_md_escape(reason)} |" for reason, n in grouped(results, FAIL)[:top]]
    out += ["", "Skips:", "", "| tests | reason |", "|---:|---|"]
    out += [f"| {n} | {_md_escape(reason)} |" for reason, n in grouped(results, SKIP)]
    return "\n".join(out) + "\n"
