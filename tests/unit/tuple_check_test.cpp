// Tuples and for loops in the checker: element types and bpftrace's packed layout, the type of a
// map loop's variable, and what is refused.
#include <gtest/gtest.h>

#include "check_test_util.h"
#include "types/tuple_layout.h"

namespace btc {
namespace {

using testing::check;

const Type &var(const testing::Checked &c, const std::string &name) {
  return c.info.var_types.begin()->second.at(name);
}

TEST(TupleLayout, ElementsKeepTheirSizeAndNaturalAlignment) {
  Type a = make_tuple({Type::integer(1, true), Type::integer(8, true), Type::integer(1, true), Type::integer(8, true)});
  EXPECT_EQ(a.size, 32u);
  Type b = make_tuple({Type::integer(1, true), Type::integer(2, true), Type::integer(4, true)});
  EXPECT_EQ(b.size, 8u);
  uint32_t size = 0;
  std::vector<uint32_t> offsets = tuple_offsets(make_tuple({Type::integer(1, true), Type::string(7), b}), &size);
  EXPECT_EQ(offsets, (std::vector<uint32_t>{0, 1, 8}));
  EXPECT_EQ(size, 16u);
}

TEST(TupleLayout, WideningGrowsIntegersAndStringsElementByElement) {
  Type into = make_tuple({Type::integer(1, true), Type::string(2)});
  widen_type(into, make_tuple({Type::integer(4, false), Type::string(9)}));
  EXPECT_EQ(into.inner[0].size, 4u);
  EXPECT_TRUE(into.inner[0].is_signed);
  EXPECT_EQ(into.inner[1].size, 9u);
  EXPECT_EQ(into.size, 13u + 3u);  // int32 at 0, string[9] at 4, padded to 4
}

TEST(TupleCheck, LiteralsTakeTheSmallestSignedType) {
  auto c = check("BEGIN { $t = (1, 300, -1, (int64)2, \"abcdef\", (1, \"x\")); }");
  ASSERT_TRUE(c->ok) << c->errors();
  const Type &t = var(*c, "$t");
  ASSERT_EQ(t.inner.size(), 6u);
  EXPECT_EQ(t.inner[0].size, 1u);
  EXPECT_EQ(t.inner[1].size, 2u);
  EXPECT_EQ(t.inner[2].size, 1u);
  EXPECT_EQ(t.inner[3].size, 8u);
  EXPECT_EQ(t.inner[4].size, 7u);
  EXPECT_EQ(t.inner[5].kind, TypeKind::Tuple);
  EXPECT_EQ(to_string(t.inner[5]), "(int8, string[2])");
}

TEST(TupleCheck, StacksTimestampsAndTuplesAreElements) {
  auto c = check("BEGIN { @a = (kstack, \"a\"); @b = (nsecs, strftime(\"%M\", nsecs)); @c = (1, (2, 3)); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(c->info.map("@a").value.inner[0].kind, TypeKind::Kstack);
  EXPECT_EQ(c->info.map("@b").value.inner[1].kind, TypeKind::Timestamp);
  EXPECT_EQ(c->info.map("@c").value.inner[1].kind, TypeKind::Tuple);
}

TEST(TupleCheck, AVariableGrowsToHoldEveryTupleAssigned) {
  auto c = check("BEGIN { $w = (1, \"a\"); $w = (300, \"bcd\"); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(to_string(var(*c, "$w")), "(int16, string[4])");
}

TEST(MapLoopCheck, LoopVariableIsKeyAndValue) {
  auto c = check(
      "BEGIN { @one[1] = \"s\"; @two[1, \"k\"] = count(); "
      "for ($a : @one) { print($a.1); } for ($b : @two) { print($b.0.1); } }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.loop_var_types.size(), 2u);
  std::vector<std::string> types;
  for (const auto &[stmt, t] : c->info.loop_var_types) types.push_back(to_string(t));
  std::sort(types.begin(), types.end());
  EXPECT_EQ(types[0], "((int64, string[2]), uint64)");
  EXPECT_EQ(types[1], "(int64, string[2])");
  // Loop variables live in the loop only: they are not the probe's variables.
  EXPECT_EQ(c->info.var_types.count(c->info.probes[0].probe), 0u);
}

TEST(MapLoopCheck, ALoopVariableNameCanBeUsedAgainAfterTheLoop) {
  auto c = check("BEGIN { @a[1] = 2; @b[\"x\"] = \"y\"; for ($kv : @a) { } for ($kv : @b) { } $kv = 1; }");
  EXPECT_TRUE(c->ok) << c->errors();
}

using testing::Refusal;

class LoopAndTupleRefusals : public ::testing::TestWithParam<Refusal> {};

TEST_P(LoopAndTupleRefusals, WithMessageAndColumn) { testing::expect_refusal(*check(GetParam().script), GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    Cases, LoopAndTupleRefusals,
    ::testing::Values(Refusal{"BEGIN { @m[1] = 1; $kv = 1; for ($kv : @m) { } }",
                              "loop variable $kv shadows an existing variable", 29},
                      Refusal{"BEGIN { @m[1] = 1; for ($kv : @m) { $kv = (1, 2); } }",
                              "cannot assign to the loop variable $kv", 37},
                      Refusal{"BEGIN { @m = 1; for ($kv : @m) { } }", "@m is a scalar map", 28},
                      Refusal{"BEGIN { @h[1] = hist(1); for ($kv : @h) { } }", "cannot iterate over @h", 37},
                      Refusal{"BEGIN { for ($kv : @nope) { } }", "undefined map @nope", 20},
                      Refusal{"BEGIN { $a = (1, 2) < (1, 3); }", "operator < cannot be used on (int8, int8)", 14},
                      Refusal{"BEGIN { $a = (1, 2) == (1, \"x\"); }", "operator == cannot be used", 14},
                      Refusal{"BEGIN { $t = (1, 2); $t = (1, \"x\"); }", "type mismatch for $t", 22}));

}  // namespace
}  // namespace btc
