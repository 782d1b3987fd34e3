"""Golden diagnostics: `btc bad/NAME.bt` must fail with exit 1, print exactly
bad/NAME.err on stderr (file:line:col: error: msg, the source line, a caret
line), print nothing on stdout, and leave no output file behind."""

import os
import shutil
import subprocess
import tempfile

from . import compare


def run_diagnostic(btc, directory, name):
    script = name + ".bt"
    with open(os.path.join(directory, name + ".err")) as f:
        expected = f.read()
    outdir = tempfile.mkdtemp(prefix=f"btc-diag-{name}-")
    output = os.path.join(outdir, name)
    try:
        # Run from the script's directory so diagnostics name it "NAME.bt".
        result = subprocess.run([btc, script, "-o", output], cwd=directory, capture_output=True, text=True, timeout=120)
        failures = []
        if result.returncode != 1:
            failures.append(f"btc exited {result.returncode}, expected 1")
        if result.stdout:
            failures.append(f"btc printed on stdout:\n{result.stdout}")
        if not compare.exact(expected, result.stderr):
            diff = compare.unified_diff(expected, result.stderr)
            failures.append("stderr differs from the golden diagnostics:\n" + diff)
        leftovers = os.listdir(outdir)
        if leftovers:
            failures.append(f"btc left files behind in the output directory: {leftovers}")
    finally:
        shutil.rmtree(outdir, ignore_errors=True)
    for message in failures:
        print(f"FAIL diag {name}: {message}")
    if not failures:
        print(f"PASS diag {name}")
    return not failures
