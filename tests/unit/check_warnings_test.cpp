// Compile-time warnings in bpftrace's words: the program still compiles.
#include <gtest/gtest.h>

#include "check_test_util.h"

namespace btc {
namespace {

// The warnings of a script the checker accepts, as "LINE:COL message".
std::vector<std::string> warnings(const std::string &text) {
  auto c = testing::check(text);
  EXPECT_TRUE(c->ok) << c->errors();
  std::vector<std::string> out;
  for (const Diagnostic &d : c->diags->all())
    if (d.severity == Severity::Warning)
      out.push_back(std::to_string(d.range.begin.line) + ":" + std::to_string(d.range.begin.col) + " " + d.message);
  return out;
}

using Lines = std::vector<std::string>;

TEST(CheckWarnings, UnusedMap) {
  EXPECT_EQ(warnings("let @a = hash(2);\nBEGIN { }"), (Lines{"1:1 Unused map: @a"}));
  EXPECT_EQ(warnings("let @a = hash(2);\nBEGIN { @a[1] = 1; }"), Lines{});  // written is used
}

TEST(CheckWarnings, UnreachableAfterExitReturnAndJumps) {
  EXPECT_EQ(warnings("BEGIN { @x = 1; exit(); @x = 2; @x = 3; }"), (Lines{"1:25 Unreachable statement."}));
  EXPECT_EQ(warnings("BEGIN { return; print(1); }"), (Lines{"1:17 Unreachable statement."}));
  EXPECT_EQ(warnings("BEGIN { for ($i : 0..3) { break; print($i); } print(2); }"),
            (Lines{"1:34 Unreachable statement."}));
  EXPECT_EQ(warnings("BEGIN { if (pid) { exit(); } else { return; } print(1); }"),
            (Lines{"1:47 Unreachable statement."}));
  EXPECT_EQ(warnings("BEGIN { { exit(); } print(1); }"), (Lines{"1:21 Unreachable statement."}));
}

TEST(CheckWarnings, FlowThatMayContinueIsNotWarned) {
  EXPECT_EQ(warnings("BEGIN { if (pid) { exit(); } print(1); }"), Lines{});
  EXPECT_EQ(warnings("BEGIN { for ($i : 0..3) { break; } print(1); }"), Lines{});
  EXPECT_EQ(warnings("BEGIN { while (pid) { return; } print(1); }"), Lines{});
  EXPECT_EQ(warnings("BEGIN { print(1); exit(); }"), Lines{});
}

}  // namespace
}  // namespace btc
