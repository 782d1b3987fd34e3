"""Checking a test's output against its EXPECT* directives, with the same
rules as bpftrace's runtime engine:

  EXPECT / EXPECT_NONE       a whole line equal to the text (surrounding blanks ignored)
  EXPECT_REGEX / _NONE       re.search with re.M anywhere in the output
  EXPECT_FILE                output == file contents, both stripped of outer blank lines
  EXPECT_JSON                one JSON document (or .ndjson: one per line) equal as data

File paths are relative to the directory the tests run in (base_dir).
"""

import json
import os
import re
import time


def _line_pattern(text):
    return re.compile(r"^\s*" + re.escape(text) + r"\s*$", re.M)


def _localized(expected, localize_ts):
    return expected if localize_ts < 0 else time.strftime(expected, time.localtime(localize_ts))


def _json_matches(path, output):
    with open(path) as f:
        expected_text = f.read().strip()
    lines = output.strip().splitlines()
    if os.path.splitext(path)[1] == ".ndjson":
        expected_lines = expected_text.splitlines()
        if len(lines) != len(expected_lines):
            return False, f"{len(lines)} JSON lines, expected {len(expected_lines)}"
        for got, want in zip(lines, expected_lines):
            if json.loads(got) != json.loads(want):
                return False, f"JSON line differs: {got[:200]}"
        return True, ""
    if len(lines) != 1:
        return False, f"expected one line of JSON, got {len(lines)}"
    return json.loads(lines[0]) == json.loads(expected_text), "JSON differs"


def check_one(expect, output, base_dir, localize_ts=-1):
    """(passed, why-not) for one EXPECT* directive."""
    try:
        if expect.mode == "text":
            return bool(_line_pattern(expect.value).search(output)), f"no line '{expect.value}'"
        if expect.mode == "text_none":
            return not _line_pattern(expect.value).search(output), f"unwanted line '{expect.value}'"
        if expect.mode == "regex":
            return bool(re.search(expect.value, output, re.M)), f"no match for /{expect.value}/"
        if expect.mode == "regex_none":
            return not re.search(expect.value, output, re.M), f"unwanted match for /{expect.value}/"
        if expect.mode == "file":
            with open(os.path.join(base_dir, expect.value)) as f:
                wanted = _localized(f.read().strip(), localize_ts)
            return output.strip() == wanted, f"output differs from {expect.value}"
        if expect.mode == "json":
            return _json_matches(os.path.join(base_dir, expect.value), output)
    except (OSError, ValueError, re.error) as e:
        return False, f"cannot check {expect.mode} '{expect.value}': {e}"
    return False, f"unknown expect mode {expect.mode}"


def check_all(case, output, base_dir):
    """(all passed, list of why-nots) for every EXPECT* of the case."""
    failures = []
    for expect in case.expects:
        passed, why = check_one(expect, output, base_dir, case.localize_ts)
        if not passed:
            failures.append(why)
    return not failures, failures
