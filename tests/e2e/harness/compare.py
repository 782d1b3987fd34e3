"""Comparison of actual output with the expected text, and the failure diff."""

import difflib
import re

from .spec import REGEX_PREFIX


def _line_matches(expected, actual):
    if expected.startswith(REGEX_PREFIX):
        return re.fullmatch(expected[len(REGEX_PREFIX):], actual) is not None
    return expected == actual


def _split(text):
    # Keep a trailing empty line visible: "a\n" -> ["a", ""], "a" -> ["a"].
    return text.split("\n")


def exact(expected_text, actual_text):
    """True when every line matches (regex lines match one line each)."""
    expected, actual = _split(expected_text), _split(actual_text)
    return len(expected) == len(actual) and all(_line_matches(e, a) for e, a in zip(expected, actual))


def ordered(expected_text, actual_text):
    """True when each expected line matches some actual line, in order.

    Returns (ok, first expected line that was not found)."""
    actual = _split(actual_text)
    position = 0
    for line in _split(expected_text.rstrip("\n")):
        while position < len(actual) and not _line_matches(line, actual[position]):
            position += 1
        if position == len(actual):
            return False, line
        position += 1
    return True, None


def unified_diff(expected_text, actual_text, expected_name="expected", actual_name="actual"):
    diff = difflib.unified_diff(
        expected_text.splitlines(keepends=True),
        actual_text.splitlines(keepends=True),
        fromfile=expected_name,
        tofile=actual_name,
    )
    text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff)
    return text or "(texts differ only in line endings)\n"


def stderr_lines_present(required, stderr_text):
    """Returns the required lines that do not appear as a line of stderr."""
    lines = stderr_text.splitlines()
    return [r for r in required if not any(_line_matches(r, line) for line in lines)]
