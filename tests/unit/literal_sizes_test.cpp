// sizeof() sizes of integer literals and literal-only variables (compiler/check/literal_sizes.h),
// as bpftrace 0.26 types them.
#include "check/literal_sizes.h"

#include <gtest/gtest.h>

#include "parse/parser.h"
#include "parsed_program.h"

namespace btc {
namespace {

using test_support::Parsed;

// The width of $x in the only probe of `body`.
uint32_t var_width(const std::string &body) {
  Parsed p("BEGIN { " + body + " }");
  EXPECT_TRUE(p.ok) << body;
  return p.ok ? literal_var_width(p.program.probes.at(0), "$x") : 0;
}

// The width of the value printed by `print(EXPR)`.
uint32_t expr_width(const std::string &expr) {
  Parsed p("BEGIN { print(" + expr + "); }");
  EXPECT_TRUE(p.ok) << expr;
  return p.ok ? literal_width(*p.program.probes.at(0).body.at(0)->expr->args.at(0)) : 0;
}

TEST(LiteralSizes, LiteralsTakeTheSmallestSignedType) {
  EXPECT_EQ(expr_width("1"), 1u);
  EXPECT_EQ(expr_width("127"), 1u);
  EXPECT_EQ(expr_width("128"), 2u);
  EXPECT_EQ(expr_width("-128"), 1u);
  EXPECT_EQ(expr_width("-129"), 2u);
  EXPECT_EQ(expr_width("0x7fffffff"), 4u);
  EXPECT_EQ(expr_width("0x80000000"), 8u);
  EXPECT_EQ(expr_width("18446744073709551615"), 8u);
  EXPECT_EQ(expr_width("1 + 1"), 0u);
  EXPECT_EQ(expr_width("(int8)1"), 0u);
}

TEST(LiteralSizes, VariablesTakeTheWidestLiteralAssigned) {
  EXPECT_EQ(var_width("$x = 1;"), 1u);
  EXPECT_EQ(var_width("$x = 1; if (pid) { $x = 1000; }"), 2u);
  EXPECT_EQ(var_width("$x = -40000; $x = 3;"), 4u);
  EXPECT_EQ(var_width("$y = 100000; $x = 2;"), 1u);
}

TEST(LiteralSizes, AnythingButALiteralAssignmentLeavesTheCheckedType) {
  EXPECT_EQ(var_width("$x = 1; $x = $x + 1000;"), 0u);
  EXPECT_EQ(var_width("$x = 1; $x <<= 40;"), 0u);
  EXPECT_EQ(var_width("$x = 1; $x++;"), 0u);
  EXPECT_EQ(var_width("$x = 1; $y = { $x--; 2 };"), 0u);
  EXPECT_EQ(var_width("let $x = 1;"), 0u);
  EXPECT_EQ(var_width("$x = pid;"), 0u);
  EXPECT_EQ(var_width("$y = 1;"), 0u);
}

}  // namespace
}  // namespace btc
