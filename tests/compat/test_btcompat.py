#!/usr/bin/env python3
"""Unit tests of the compat runner's pieces (no root, no bpftrace checkout needed).

  python3 tests/compat/test_btcompat.py
"""

import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from btcompat import classify, diag_form, diagnostics, expect, kernel, probes, report, testfile  # noqa: E402
from btcompat.execute import Run  # noqa: E402


def write_suite(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(textwrap.dedent(text).lstrip("\n"))
    return path


class TestFileFormat(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def test_cases_directives_and_continuations(self):
        path = write_suite(self.dir, "demo", """
            # a comment
            NAME first
            PROG begin { printf("a\\n");
                 exit(); }
            EXPECT a
                   b
            TIMEOUT 2
            ENV A=1 B=2
            REQUIRES_FEATURE btf !fentry

            NAME second
            RUN {{BPFTRACE}} -e 'begin { exit() }' 7
            EXPECT_REGEX ^x$
            WILL_FAIL
            """)
        first, second = testfile.read_suite(path)
        self.assertEqual(first.ident, "demo.first")
        self.assertEqual(first.prog, 'begin { printf("a\\n");\nexit(); }')
        self.assertEqual([(e.mode, e.value) for e in first.expects], [("text", "a\nb")])
        self.assertEqual(first.timeout_s, 2)
        self.assertEqual(first.env, {"A": "1", "B": "2"})
        self.assertEqual((first.features, first.absent_features), ({"btf"}, {"fentry"}))
        self.assertEqual(second.run, "{{BPFTRACE}} -e 'begin { exit() }' 7")
        self.assertEqual(second.timeout_s, testfile.DEFAULT_TIMEOUT_S)
        self.assertTrue(second.will_fail)
        self.assertEqual(second.line, 11)

    def test_case_followed_by_trailing_comment_is_dropped_like_upstream(self):
        path = write_suite(self.dir, "t", "NAME a\nPROG begin {}\nEXPECT x\n\nNAME b\nPROG begin {}\nEXPECT y\n# end\n")
        self.assertEqual([c.name for c in testfile.read_suite(path)], ["a"])

    def test_malformed_cases_are_reported(self):
        path = write_suite(self.dir, "bad", "NAME a\nPROG x\nRUN y\nEXPECT z\n\nNAME b\nPROG x\nBOGUS 1\nEXPECT z\n")
        a, b = testfile.read_suite(path)
        self.assertIn("RUN and PROG", a.error)
        self.assertIn("BOGUS", b.error)

    def test_helper_directories_are_not_suites(self):
        for d in ("engine", "scripts", "outputs"):
            os.makedirs(os.path.join(self.dir, d))
            write_suite(os.path.join(self.dir, d), "x", "NAME a\nPROG p\nEXPECT e\n")
        write_suite(self.dir, "real", "NAME a\nPROG p\nEXPECT e\n")
        self.assertEqual([os.path.basename(p) for p in testfile.list_suites(self.dir)], ["real"])


class TestExpect(unittest.TestCase):
    def check(self, mode, value, output, base_dir="."):
        return expect.check_one(testfile.Expect(mode, value), output, base_dir)[0]

    def test_text_matches_whole_lines_only(self):
        self.assertTrue(self.check("text", "@: 1", "x\n  @: 1  \ny\n"))
        self.assertFalse(self.check("text", "@: 1", "@: 10\n"))
        self.assertFalse(self.check("text", "a.b", "axb\n"))
        self.assertTrue(self.check("text_none", "@: 1", "@: 10\n"))

    def test_regex_searches_multiline(self):
        self.assertTrue(self.check("regex", r"^@\[\d+\]: 2$", "junk\n@[12]: 2\n"))
        self.assertFalse(self.check("regex_none", "ERROR", "stdin: ERROR: x\n"))

    def test_file_and_json_are_relative_to_the_test_directory(self):
        d = tempfile.mkdtemp()
        with open(os.path.join(d, "out.txt"), "w") as f:
            f.write("\n@x: 1\n\n")
        with open(os.path.join(d, "out.json"), "w") as f:
            f.write('{"type": "map", "data": {"@x": 1}}')
        self.assertTrue(self.check("file", "out.txt", "@x: 1\n\n", d))
        self.assertFalse(self.check("file", "out.txt", "@x: 2\n", d))
        self.assertTrue(self.check("json", "out.json", '{"data": {"@x": 1}, "type": "map"}\n', d))
        self.assertFalse(self.check("json", "out.json", '{"type": "map", "data": {"@x": 1}}\nmore\n', d))
        self.assertFalse(self.check("file", "missing.txt", "", d))


class TestProbeScan(unittest.TestCase):
    def test_providers_and_aliases(self):
        program = 'struct S { int a; } k:vfs_read, uprobe:/bin/sh:main /pid/ { printf("t:x h:y"); } i:s:1 {}'
        self.assertEqual(probes.probe_kinds(program), {"kprobe", "uprobe", "interval"})
        self.assertEqual(probes.probe_kinds("kfunc:vfs_read {} it:task {}"), {"fentry", "iter"})
        self.assertEqual(probes.probe_kinds("U:./a:p:n {} u:./a:f {}"), {"usdt", "uprobe"})

    def test_comments_strings_and_expressions_are_not_probes(self):
        program = '// k:vfs_read\n/* h:cycles */ begin { $x = 1 ? pid:tid; printf("f:x"); }'
        self.assertEqual(probes.probe_kinds(program), set())


class TestKernelFacts(unittest.TestCase):
    def facts(self, **overrides):
        data = {"kernel": "6.1.0-9-amd64", "arch": "x86_64", "bpftool": True, "prog_types": ["kprobe"],
                "helpers": ["kprobe:bpf_loop"], "pmus": ["uprobe", "software"], "btf": True}  # fmt: skip
        data.update(overrides)
        return kernel.KernelFacts(data)

    def test_probe_kinds(self):
        facts = self.facts()
        self.assertIsNotNone(facts.probe_kind_missing("kprobe"))
        self.assertIsNotNone(facts.probe_kind_missing("fentry"))
        self.assertIsNone(facts.probe_kind_missing("uprobe"))
        self.assertIsNone(self.facts(pmus=["kprobe"]).probe_kind_missing("fentry"))  # kprobe fallback

    def test_features(self):
        facts = self.facts()
        self.assertTrue(facts.feature("loop"))
        self.assertFalse(facts.feature("jiffies64"))
        self.assertTrue(facts.feature("dwarf"))  # a bpftrace build feature never skips
        self.assertFalse(facts.feature("uprobe_multi"))  # 6.1 < 6.6
        self.assertIsNone(facts.feature("no_such_feature"))
        self.assertTrue(self.facts(bpftool=False, helpers=[]).feature("jiffies64"))


class TestDiagnostics(unittest.TestCase):
    def test_first_error_drops_location(self):
        stderr = "x.bt:1:5: warning: w\nstdin:3:9: error: unknown function 'kstack'\n  kstack\n"
        self.assertEqual(diagnostics.first_error(stderr), "error: unknown function 'kstack'")
        self.assertEqual(diagnostics.first_error("btc: error: linking failed\n"), "error: linking failed")

    def test_refusal_stage(self):
        self.assertEqual(diagnostics.refusal_stage("stdin:1:1: error: x\n"), "check")
        clang = "x.bpf.c:3:5: error: bad\nbtc: error: BPF compilation failed (clang); use --emit-dir\n"
        self.assertEqual(diagnostics.refusal_stage(clang), "clang")

    def test_crashes(self):
        self.assertIsNone(diagnostics.btc_crash(1, "stdin:1:1: error: x\n"))
        self.assertIn("signal 11", diagnostics.btc_crash(-11, ""))
        self.assertIn("AddressSanitizer", diagnostics.btc_crash(1, "==1==ERROR: AddressSanitizer: heap\n"))
        self.assertIn("status 134", diagnostics.btc_crash(134, ""))


class TestClassify(unittest.TestCase):
    def case(self, **fields):
        c = testfile.TestCase(suite="s", name="n", line=1, prog="begin {}")
        c.expects = fields.pop("expects", [testfile.Expect("text", "ok")])
        for k, v in fields.items():
            setattr(c, k, v)
        return c

    def run_with(self, passed, *events, **fields):
        return Run(passed=passed, events=[{"kind": k, "detail": f"{k} detail"} for k in events], **fields)

    def test_pass_needs_checks_and_a_real_run(self):
        self.assertEqual(classify.classify(self.case(), self.run_with(True, "run")).status, "PASS")
        self.assertEqual(classify.classify(self.case(), self.run_with(False, "run")).category, "wrong-output")

    def test_cli_and_kernel_skips_win_over_a_lucky_pass(self):
        negative = self.case(expects=[testfile.Expect("text_none", "x")], will_fail=True)
        self.assertEqual(classify.classify(negative, self.run_with(True, "cli")).status, "SKIP")
        self.assertEqual(classify.classify(negative, self.run_with(True, "needs-kernel")).status, "SKIP")

    def test_refusal_passes_only_when_expected_and_matched(self):
        expected = self.case(will_fail=True)
        self.assertEqual(classify.classify(expected, self.run_with(True, "btc-refused")).status, "PASS")
        negative_only = self.case(expects=[testfile.Expect("text_none", "x")], will_fail=True)
        self.assertEqual(classify.classify(negative_only, self.run_with(True, "btc-refused")).status, "FAIL")
        other_message = classify.classify(expected, self.run_with(False, "btc-refused"))
        self.assertEqual((other_message.status, other_message.category), ("FAIL", "wrong-diagnostic"))
        verdict = classify.classify(self.case(), self.run_with(False, "btc-refused"))
        self.assertEqual((verdict.status, verdict.reason), ("FAIL", "btc-refused detail"))
        kernel_too = classify.classify(self.case(), self.run_with(False, "btc-refused", "needs-kernel"))
        self.assertEqual((kernel_too.status, kernel_too.category), ("SKIP", "kernel"))

    def test_internal_failures_are_not_refusals(self):
        run = Run(passed=False, events=[{"kind": "btc-refused", "detail": "error: bad", "stage": "clang"}])
        verdict = classify.classify(self.case(), run)
        self.assertEqual((verdict.category, verdict.reason), ("btc-internal", "clang failed on btc's output: error: bad"))

    def test_crash_hang_timeout(self):
        self.assertEqual(classify.classify(self.case(), self.run_with(False, "btc-crash")).category, "btc-crash")
        self.assertEqual(classify.classify(self.case(), self.run_with(False, "btc-hang")).category, "btc-hang")
        timed_out = self.run_with(False, "run", timed_out=True)
        self.assertEqual(classify.classify(self.case(), timed_out).reason, "timeout before 'Attached N probes'")


    def test_diagnostic_spelling_is_its_own_failure(self):
        run = self.run_with(False, "btc-refused", passes_in_bpftrace_spelling=True)
        verdict = classify.classify(self.case(will_fail=True), run)
        self.assertEqual((verdict.status, verdict.category), ("FAIL", "diagnostic-spelling"))


class TestDiagForm(unittest.TestCase):
    def test_located_diagnostic_with_underline(self):
        btc = "stdin:1:25: warning: Unreachable statement.\nbegin { exit(); @b = 2; }\n                ^~~~~~\nrest"
        self.assertEqual(diag_form.bpftrace_spelling(btc),
                         "stdin:1:25-31: WARNING: Unreachable statement.\nbegin { exit(); @b = 2; }\n"
                         "                ~~~~~~\nrest")

    def test_error_without_source_line_and_other_text(self):
        self.assertEqual(diag_form.bpftrace_spelling("a.bt:3:1: error: boom\nplain"), "a.bt:3:1: ERROR: boom\nplain")
        self.assertEqual(diag_form.bpftrace_spelling("error: not located"), "error: not located")


class TestReport(unittest.TestCase):
    def test_grouping(self):
        results = [
            {"suite": "a", "status": "FAIL", "category": "refused", "reason": "error: unknown function 'f'"},
            {"suite": "a", "status": "FAIL", "category": "refused", "reason": "error: unknown function 'f'"},
            {"suite": "b", "status": "FAIL", "category": "exit-status",
             "reason": "exit status 1, expected 0: bpftrace: error: stdin:1:2: ERROR: boom"},
            {"suite": "b", "status": "PASS", "category": "pass", "reason": ""},
        ]  # fmt: skip
        self.assertEqual(report.grouped(results, "FAIL"),
                         [("error: unknown function 'f'", 2), ("exit status 1: error: stdin:1:2: ERROR: boom", 1)])
        self.assertEqual(report.per_suite(results), [("a", 0, 2, 0), ("b", 1, 1, 0)])


class TestShimCommandLine(unittest.TestCase):
    """The shim reports what it cannot translate instead of running anything."""

    def shim(self, *args, env=None):
        events = tempfile.mktemp()
        full_env = {"PATH": os.environ["PATH"], "BTC_COMPAT_EVENTS": events, "BTC_COMPAT_BTC": "/bin/false"}
        full_env.update(env or {})
        done = subprocess.run([sys.executable, os.path.join(HERE, "bpftrace_shim.py"), *args], env=full_env,
                              capture_output=True, text=True)  # fmt: skip
        with open(events) as f:
            return done.returncode, f.read()

    def test_bpftrace_only_options(self):
        for args in (["-l", "kprobe:*"], ["-e", "begin {}", "--dry-run"], ["--info"], ["-v", "-e", "x"]):
            rc, events = self.shim(*args)
            self.assertEqual(rc, 1)
            self.assertIn('"kind": "cli"', events)

    def test_configuration_variables_and_missing_scripts(self):
        self.assertIn('"cli"', self.shim("-e", "begin {}", env={"BPFTRACE_DUMMY_TS_MAP": "@ts"})[1])
        self.assertNotIn('"cli"', self.shim("-e", "begin {}", env={"BPFTRACE_MAX_STRLEN": "5"})[1])
        self.assertIn("does not exist", self.shim("/no/such/script.bt")[1])

    def test_refusal_is_reported(self):
        cache = tempfile.mkdtemp()
        rc, events = self.shim("-e", "begin { exit() }", "-p", "1", env={"BTC_COMPAT_CACHE": cache})
        self.assertEqual(rc, 1)
        self.assertIn('"btc-refused"', events)


class TestShimConfigFromEnvironment(unittest.TestCase):
    """BPFTRACE_<KEY> variables become settings in the program's config block."""

    def setUp(self):
        import bpftrace_shim

        self.with_config = bpftrace_shim.with_config

    def test_added_before_the_first_probe(self):
        self.assertEqual(self.with_config("begin {}", [("max_strlen", "5")]), 'config = { max_strlen = "5" }\nbegin {}')
        self.assertEqual(self.with_config('#include <x.h>\nstruct s { int a; };\n// c\nbegin {}', [("k", "v")]),
                         '#include <x.h>\nstruct s { int a; };\n// c\nconfig = { k = "v" }\nbegin {}')

    def test_appended_to_an_existing_block_so_it_wins(self):
        self.assertEqual(self.with_config("config = { stack_mode=perf } begin {}", [("stack_mode", "raw")]),
                         'config = { stack_mode=perf; stack_mode = "raw" } begin {}')
        self.assertEqual(self.with_config("config = { a=1; } begin {}", [("b", "x\"y")]),
                         'config = { a=1; b = "x\\"y" } begin {}')

    def test_nothing_to_add(self):
        self.assertEqual(self.with_config("begin {}", []), "begin {}")


if __name__ == "__main__":
    unittest.main()
