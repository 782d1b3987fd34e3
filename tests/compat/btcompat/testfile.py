"""Reading bpftrace's runtime test files (tests/runtime/<suite> of a checkout).

A file holds test cases separated by blank lines. Each line of a case is
`DIRECTIVE value`; lines starting with '#' are comments. PROG, EXPECT and
EXPECT_REGEX continue onto following lines indented by exactly the width of
the directive plus one space. The directives and their meaning are described
in tests/README.md of the bpftrace checkout; this module only reads them.
"""

import dataclasses
import os

DEFAULT_TIMEOUT_S = 5

# Directories under tests/runtime that hold helpers, not test files.
NOT_SUITES = ("engine", "scripts", "outputs")


@dataclasses.dataclass
class Expect:
    mode: str  # text, text_none, regex, regex_none, file, json
    value: str


@dataclasses.dataclass
class TestCase:
    suite: str
    name: str
    line: int  # where the case starts in its file
    run: str = ""
    prog: str = ""
    expects: list = dataclasses.field(default_factory=list)
    timeout_s: int = DEFAULT_TIMEOUT_S
    befores: list = dataclasses.field(default_factory=list)
    after: str = ""
    setup: str = ""
    cleanup: str = ""
    min_kernel: str = ""
    max_kernel: str = ""
    requires: list = dataclasses.field(default_factory=list)
    env: dict = dataclasses.field(default_factory=dict)
    arch: list = dataclasses.field(default_factory=list)
    features: set = dataclasses.field(default_factory=set)
    absent_features: set = dataclasses.field(default_factory=set)
    will_fail: bool = False
    new_pidns: bool = False
    skip_if_env_has: tuple = None
    return_code: int = 0
    localize_ts: int = -1
    error: str = ""  # set when the case is malformed

    @property
    def ident(self):
        return f"{self.suite}.{self.name}"

    @property
    def exact_expect(self):
        """EXPECT_FILE / EXPECT_JSON compare the whole output after attach."""
        return any(e.mode in ("file", "json") for e in self.expects)


# Directives whose value continues on indented lines.
_CONTINUED = ("PROG", "EXPECT", "EXPECT_REGEX")

_EXPECT_MODES = {
    "EXPECT": "text",
    "EXPECT_NONE": "text_none",
    "EXPECT_REGEX": "regex",
    "EXPECT_REGEX_NONE": "regex_none",
    "EXPECT_FILE": "file",
    "EXPECT_JSON": "json",
}


def list_suites(runtime_dir):
    """Test files directly under runtime_dir, sorted; helper directories excluded."""
    suites = []
    for root, dirs, files in os.walk(runtime_dir):
        dirs[:] = sorted(d for d in dirs if d not in NOT_SUITES)
        for f in files:
            if not f.startswith("."):
                suites.append(os.path.join(root, f))
    return sorted(suites)


def read_suite(path):
    """All cases of one test file, in file order."""
    suite = os.path.basename(path)
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    cases = []
    block, start = [], 0
    for number, line in enumerate(lines, 1):
        if line.startswith("#"):
            # bpftrace's engine ends the last case on the file's last line only
            # when that line is not a comment; a case followed by trailing
            # comments is never run upstream, so it is not read here either.
            if number == len(lines):
                block = []
            continue
        if line == "":
            if block:
                cases.append(_read_case(suite, start, block))
            block = []
            continue
        if not block:
            start = number
        block.append(line)
    if block:
        cases.append(_read_case(suite, start, block))
    return cases


def _read_case(suite, start, block):
    case = TestCase(suite=suite, name="", line=start)
    previous = ""
    try:
        for line in block:
            width = len(previous) + 1
            if previous in _CONTINUED and len(line) >= width and line[:width].isspace():
                _continue(case, previous, line[width:])
                continue
            parts = line.strip().split(maxsplit=1)
            directive = parts[0]
            value = parts[1] if len(parts) > 1 else ""
            _apply(case, directive, value)
            previous = directive
        _validate(case)
    except ValueError as e:
        case.error = str(e)
    if not case.name:
        case.name = f"<unnamed case at line {start}>"
    return case


def _continue(case, directive, text):
    if directive == "PROG":
        case.prog += "\n" + text
    else:
        case.expects[-1].value += "\n" + text


def _apply(case, directive, value):
    if directive == "NAME":
        case.name = value
    elif directive == "RUN":
        case.run = value
    elif directive == "PROG":
        case.prog = value
    elif directive in _EXPECT_MODES:
        case.expects.append(Expect(_EXPECT_MODES[directive], value))
    elif directive == "TIMEOUT":
        case.timeout_s = int(value.strip())
    elif directive == "BEFORE":
        case.befores.append(value)
    elif directive == "AFTER":
        case.after = value
    elif directive == "SETUP":
        case.setup = value
    elif directive == "CLEANUP":
        case.cleanup = value
    elif directive == "MIN_KERNEL":
        case.min_kernel = value
    elif directive == "MAX_KERNEL":
        case.max_kernel = value
    elif directive == "REQUIRES":
        case.requires.append(value)
    elif directive == "ENV":
        for item in value.split():
            key, _, val = item.partition("=")
            case.env[key] = val
    elif directive == "ARCH":
        case.arch = [a.strip() for a in value.split("|")]
    elif directive == "REQUIRES_FEATURE":
        for feature in value.split():
            if feature.startswith("!"):
                case.absent_features.add(feature[1:])
            else:
                case.features.add(feature)
    elif directive == "WILL_FAIL":
        case.will_fail = True
    elif directive == "NEW_PIDNS":
        case.new_pidns = True
    elif directive == "SKIP_IF_ENV_HAS":
        key, _, val = value.partition("=")
        case.skip_if_env_has = (key, val)
    elif directive == "RETURN_CODE":
        case.return_code = int(value.strip())
    elif directive == "LOCALIZE_TIMESTAMPS":
        case.localize_ts = int(value.strip())
    else:
        raise ValueError(f"unknown directive {directive}")


def _validate(case):
    if not case.name:
        raise ValueError("NAME is missing")
    if bool(case.run) == bool(case.prog):
        raise ValueError("exactly one of RUN and PROG is required")
    if not case.expects and case.return_code == 0:
        raise ValueError("no EXPECT directive")
    if case.exact_expect and len(case.expects) > 1:
        raise ValueError("EXPECT_FILE/EXPECT_JSON cannot be combined with other EXPECTs")
    if case.will_fail and case.return_code != 0:
        raise ValueError("WILL_FAIL and RETURN_CODE together")
