"""PASS / FAIL / SKIP for one test, with a category and a reason.

A test passes only when the engine's checks pass (EXPECT*, exit status) and
the program really went through btc. The shim's events say what happened:

  cli           the command used something of bpftrace's own CLI that the btc
                tool does not have (-l, -v, --info, BPFTRACE_* variables, ...)   -> SKIP
  btc-crash     btc died instead of accepting or refusing the program          -> FAIL
  btc-hang      btc did not finish within the shim's compile timeout           -> FAIL
  needs-kernel  the program uses a probe kind this kernel lacks (kprobe,
                fentry, iter, hardware)                                         -> SKIP
                (but a test that expects btc's refusal and gets it passes: the
                refusal does not depend on the kernel)
  btc-refused   btc refused the program; PASS only if the test expects a
                failure and a positive EXPECT matched btc's diagnostics        -> FAIL
                (category wrong-diagnostic when the test expected a failure;
                btc-internal when btc's checks passed but clang or the linker
                failed on the code btc generated)
  tool-crash    the executable died on a signal                                 -> FAIL
  diagnostic-spelling  the checks would pass if btc wrote its diagnostics as
                bpftrace does (`ERROR:`, column ranges, `~` underline)          -> FAIL
"""

import dataclasses

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"


@dataclasses.dataclass
class Verdict:
    status: str
    category: str
    reason: str
    note: str = ""  # extra detail that is not part of the grouped reason


def _first(events, kind):
    for e in events:
        if e["kind"] == kind:
            return e
    return None


def _first_error_line(output):
    for line in output.splitlines():
        if "ERROR" in line or "error:" in line:
            return line.strip()[:200]
    return ""


def _has_positive_expect(case):
    return any(e.mode in ("text", "regex", "file", "json") for e in case.expects)


def skipped(category, reason):
    return Verdict(SKIP, category, reason)


def classify(case, run):
    events = run.events
    cli = _first(events, "cli")
    if cli:
        return Verdict(SKIP, "cli", cli["detail"])
    for kind in ("btc-crash", "btc-hang"):
        crash = _first(events, kind)
        if crash:
            return Verdict(FAIL, kind, crash["detail"])
    needs = _first(events, "needs-kernel")
    refused = _first(events, "btc-refused")
    if needs and not refused:
        return Verdict(SKIP, "kernel", needs["detail"])
    expects_failure = case.will_fail or case.return_code != 0
    if run.passed and (not refused or expects_failure and _has_positive_expect(case)):
        return Verdict(PASS, "pass", "")
    if needs:
        return Verdict(SKIP, "kernel", needs["detail"], note=f"btc also refused it: {refused['detail']}")
    if refused and refused.get("stage", "check") != "check":
        return Verdict(FAIL, "btc-internal", f"{refused['stage']} failed on btc's output: {refused['detail']}")
    if run.passes_in_bpftrace_spelling and not run.timed_out:
        # Still a failure, but of the spelling alone: counted apart (diag_form.py).
        return Verdict(FAIL, "diagnostic-spelling", "passes with btc's diagnostics written as bpftrace's "
                       "(ERROR:/WARNING:, column ranges)", note=(refused or {}).get("detail", ""))
    if refused:
        # A test that expects a failure got one, but not with bpftrace's message
        # (or btc stopped at a different problem): counted apart from refusals
        # of programs that should have run.
        return Verdict(FAIL, "wrong-diagnostic" if expects_failure else "refused", refused["detail"])
    tool_crash = _first(events, "tool-crash")
    if tool_crash:
        return Verdict(FAIL, "tool-crash", tool_crash["detail"])
    if run.setup_error:
        return Verdict(FAIL, "harness", run.setup_error)
    if not _first(events, "run"):
        return Verdict(FAIL, "harness", "bpftrace_shim.py did not run the tool: " + (run.output.strip()[:200] or "?"))
    if run.timed_out:
        phase = "after attach" if run.attached else "before 'Attached N probes'"
        return Verdict(FAIL, "timeout", f"timeout {phase}")
    error = _first_error_line(run.output)
    if run.failures and run.failures[0].startswith("exit status"):
        return Verdict(FAIL, "exit-status", run.failures[0] + (f": {error}" if error else ""))
    return Verdict(FAIL, "wrong-output", "; ".join(run.failures)[:300])
