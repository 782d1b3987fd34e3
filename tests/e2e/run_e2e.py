#!/usr/bin/env python3
"""End-to-end test driver for btc (ctest runs one invocation per test).

  run_e2e.py case --btc BTC --workload W --dir DIR --name NAME --workdir D
      compile DIR/NAME.bt with btc, run it against the workload, compare with DIR/NAME.out
  run_e2e.py diag --btc BTC --dir DIR --name NAME
      golden diagnostics: btc DIR/NAME.bt must fail exactly as DIR/NAME.err says
  run_e2e.py inline --btc BTC --workload W
  run_e2e.py unprivileged --btc BTC
  run_e2e.py chroot --btc BTC --workload W
  run_e2e.py sigpipe --btc BTC
  run_e2e.py second_sigint --btc BTC --workload W
  run_e2e.py lost_events --btc BTC --workload W [--perf-buffer]
  run_e2e.py bpftrace017 [--bpftrace /usr/bin/bpftrace] --workload W --workdir D
             [--name NAME]... [--print-output] DIR...
      validate cases (scripts and expected outputs) against Debian's bpftrace 0.17

Exit status 0 means passed, 1 failed. A test that cannot run (not root, no
tracefs) fails; it never passes silently.
"""

import argparse
import glob
import os
import sys
import traceback

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import cases, diagnostics, environment, spec, standalone  # noqa: E402


def _case(args):
    case = spec.load_case(args.dir, args.name)
    return cases.run_with_btc(case, os.path.abspath(args.btc), args.workload, args.workdir)


def _bpftrace017(args):
    ok = True
    for directory in args.dirs:
        names = args.name or sorted(os.path.basename(p)[: -len(".test")] for p in glob.glob(f"{directory}/*.test"))
        for name in names:
            if not os.path.exists(os.path.join(directory, name + ".test")):
                continue
            case = spec.load_case(directory, name)
            ok = cases.run_with_bpftrace017(case, args.bpftrace, args.workload, args.workdir, args.print_output) and ok
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("case")
    for flag in ("--btc", "--workload", "--dir", "--name", "--workdir"):
        p.add_argument(flag, required=True)
    p = sub.add_parser("diag")
    for flag in ("--btc", "--dir", "--name"):
        p.add_argument(flag, required=True)
    p = sub.add_parser("inline")
    p.add_argument("--btc", required=True)
    p.add_argument("--workload", required=True)
    p = sub.add_parser("unprivileged")
    p.add_argument("--btc", required=True)
    p = sub.add_parser("chroot")
    p.add_argument("--btc", required=True)
    p.add_argument("--workload", required=True)
    p = sub.add_parser("sigpipe")
    p.add_argument("--btc", required=True)
    p = sub.add_parser("second_sigint")
    p.add_argument("--btc", required=True)
    p.add_argument("--workload", required=True)
    p = sub.add_parser("lost_events")
    p.add_argument("--btc", required=True)
    p.add_argument("--workload", required=True)
    p.add_argument("--perf-buffer", action="store_true", help="force the perf-buffer path")
    p = sub.add_parser("bpftrace017")
    p.add_argument("--bpftrace", default="/usr/bin/bpftrace")
    p.add_argument("--workload", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--name", action="append")
    p.add_argument("--print-output", action="store_true", help="print what bpftrace 0.17 wrote")
    p.add_argument("dirs", nargs="+")
    args = parser.parse_args()

    try:
        if args.command == "case":
            ok = _case(args)
        elif args.command == "diag":
            ok = diagnostics.run_diagnostic(os.path.abspath(args.btc), args.dir, args.name)
        elif args.command == "inline":
            ok = standalone.run_inline(os.path.abspath(args.btc), args.workload)
        elif args.command == "unprivileged":
            ok = standalone.run_unprivileged(os.path.abspath(args.btc))
        elif args.command == "chroot":
            ok = standalone.run_chroot(os.path.abspath(args.btc), args.workload)
        elif args.command == "sigpipe":
            ok = standalone.run_sigpipe(os.path.abspath(args.btc))
        elif args.command == "second_sigint":
            ok = standalone.run_second_sigint(os.path.abspath(args.btc), args.workload)
        elif args.command == "lost_events":
            ok = standalone.run_lost_events(os.path.abspath(args.btc), args.workload, args.perf_buffer)
        else:
            ok = _bpftrace017(args)
    except (environment.EnvironmentError_, spec.SpecError, cases.CheckFailed) as e:
        print(f"FAIL: {e}")
        return 1
    except Exception:  # a harness bug or a crashed tool must fail loudly, with its trace
        traceback.print_exc()
        print("FAIL: the harness raised an exception")
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
