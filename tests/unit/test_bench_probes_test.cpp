// test: and bench: probes in the compiler (names, return values) and the runtime's reports.
#include <gtest/gtest.h>

#include "check_test_util.h"
#include "test_report.h"

namespace btc {
namespace {

using testing::check;

TEST(TestBenchProbes, AreProbesWithANameEach) {
  auto c = check("test:first { return 0; } test:second { return 1; } bench:b { @x = count(); }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.probes.size(), 3u);
  EXPECT_EQ(c->info.probes[0].kind, ProbeKind::Test);
  EXPECT_EQ(c->info.probes[0].target, "first");
  EXPECT_EQ(c->info.probes[0].spec, "test:first");
  EXPECT_EQ(c->info.probes[2].kind, ProbeKind::Bench);
  EXPECT_EQ(c->info.probes[2].target, "b");
}

TEST(TestBenchProbes, OtherProbesDropTheirReturnValue) {
  auto c = check("BEGIN { return 5; }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(c->prog.probes[0].body[0]->expr, nullptr);
}

class TestBenchRefuses : public ::testing::TestWithParam<testing::Refusal> {};

TEST_P(TestBenchRefuses, WithMessageAndColumn) { testing::expect_refusal(*check(GetParam().script), GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    Probes, TestBenchRefuses,
    ::testing::Values(
        testing::Refusal{"test:a { } test:a { }", "\"a\" was used as the name for more than one TEST probe", 12},
        testing::Refusal{"bench:b { } bench:b { }", "\"b\" was used as the name for more than one BENCH probe", 13},
        testing::Refusal{"test { }", "test probes must have a name", 1},
        testing::Refusal{"test:a { return \"x\"; }", "a probe's return value must be an integer, not string", 17},
        testing::Refusal{"test:a { for ($i : 0..2) { return 1; } }",
                         "a test or bench probe cannot return a value from inside a for loop", 28}));

const char kGreen[] = "\033[32m";
const char kRed[] = "\033[31m";
const char kReset[] = "\033[0m";

TEST(TestReport, PassingTestsHideTheirOutputAndFailingOnesShowIt) {
  std::vector<std::string> names = {"okay", "failure"};
  std::vector<bool> passed = {true};
  EXPECT_EQ(rt::test_result_text(names, 0, 500, passed, "hidden\n"),
            std::string(kGreen) + "[==========]" + kReset + " Running 2 tests.\n" + kGreen + "[ RUN      ]" + kReset +
                " okay\n" + kGreen + "[       OK ]" + kReset + " okay (1 ns)\n");
  passed.push_back(false);
  EXPECT_EQ(rt::test_result_text(names, 1, 2500, passed, "shown\n\nline\n"),
            std::string(kGreen) + "[ RUN      ]" + kReset + " failure\nshown\nline\n" + kRed + "[  FAILED  ]" + kReset +
                " failure (1000 \u03bcs)\n" + kGreen + "[==========]" + kReset + " 2 tests ran.\n" + kGreen +
                "[  PASSED  ]" + kReset + " 1 test.\n" + kRed + "[  FAILED  ]" + kReset + " 1 test, listed below:\n" +
                kRed + "[  FAILED  ]" + kReset + " failure\n");
}

TEST(TestReport, BenchTableHasAHeadAndOneRowPerBench) {
  std::vector<std::string> names = {"count", "my_loop"};
  std::string head =
      std::string("Benchmark") + std::string(32, ' ') + "Time(ns)       Iterations\n" + std::string(66, '-') + "\n";
  EXPECT_EQ(rt::bench_result_text(names, 0, 40, 20000),
            head + "count" + std::string(36, ' ') + "40             20000\n");
  EXPECT_EQ(rt::bench_result_text(names, 1, 124, 2000), "my_loop" + std::string(34, ' ') + "124            2000\n");
  std::vector<std::string> long_names = {std::string(50, 'x')};
  std::string row = rt::bench_result_text(long_names, 0, 1, 1);
  EXPECT_EQ(row.substr(0, row.find('\n')).size(), 51u + 15 + 10);  // the name column grows
}

}  // namespace
}  // namespace btc
