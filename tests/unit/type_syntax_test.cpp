// Postfix type syntax (int32*[4], struct foo[4]*) and the sized types string[N], buffer[N] and
// inet[N]: splitting spellings, applying suffixes, and what the checker makes of them.
#include <gtest/gtest.h>

#include "check_test_util.h"
#include "types/type_spelling.h"

namespace btc {
namespace {

using testing::check;

TEST(TypeSpelling, SplitsBaseAndSuffixesInOrder) {
  auto sp = split_type_spelling("int32 *[4] *");
  ASSERT_TRUE(sp);
  EXPECT_EQ(sp->base, "int32");
  ASSERT_EQ(sp->suffixes.size(), 3u);
  EXPECT_TRUE(sp->suffixes[0].is_pointer);
  EXPECT_FALSE(sp->suffixes[1].is_pointer);
  EXPECT_EQ(sp->suffixes[1].count, 4u);
  EXPECT_TRUE(sp->suffixes[2].is_pointer);

  sp = split_type_spelling("struct foo[4] *");
  ASSERT_TRUE(sp);
  EXPECT_EQ(sp->base, "struct foo");
  ASSERT_EQ(sp->suffixes.size(), 2u);
  EXPECT_FALSE(sp->suffixes[0].is_pointer);
  EXPECT_TRUE(sp->suffixes[1].is_pointer);

  sp = split_type_spelling("unsigned long");
  ASSERT_TRUE(sp);
  EXPECT_EQ(sp->base, "unsigned long");
  EXPECT_TRUE(sp->suffixes.empty());

  EXPECT_FALSE(split_type_spelling("int * const"));
  EXPECT_FALSE(split_type_spelling("int[x]"));
  EXPECT_FALSE(split_type_spelling("*"));
}

TEST(TypeSpelling, SuffixesApplyLeftToRight) {
  Type i32 = Type::integer(4, true);
  Type array_of_pointers = apply_type_suffixes(i32, split_type_spelling("int32 *[4]")->suffixes);
  ASSERT_EQ(array_of_pointers.kind, TypeKind::Array);
  EXPECT_EQ(array_of_pointers.count, 4u);
  EXPECT_EQ(array_of_pointers.size, 32u);
  EXPECT_EQ(array_of_pointers.inner[0].kind, TypeKind::Pointer);

  Type pointer_to_array = apply_type_suffixes(i32, split_type_spelling("int32[4] *")->suffixes);
  ASSERT_EQ(pointer_to_array.kind, TypeKind::Pointer);
  EXPECT_EQ(pointer_to_array.size, 8u);
  ASSERT_EQ(pointer_to_array.inner[0].kind, TypeKind::Array);
  EXPECT_EQ(pointer_to_array.inner[0].size, 16u);

  Type nested = apply_type_suffixes(i32, split_type_spelling("int32[4][2]")->suffixes);  // two int32[4]
  EXPECT_EQ(nested.count, 2u);
  EXPECT_EQ(nested.inner[0].count, 4u);
}

TEST(TypeSpelling, SizedTypesTakeTheirFirstSuffixAsSize) {
  auto sp = split_type_spelling("string[64]");
  Type s = sized_base_type(sp->base, &sp->suffixes);
  EXPECT_TRUE(sp->suffixes.empty());
  EXPECT_EQ(s.kind, TypeKind::String);
  EXPECT_EQ(s.size, 64u);

  sp = split_type_spelling("string[8][3]");
  Type strings = apply_type_suffixes(sized_base_type(sp->base, &sp->suffixes), sp->suffixes);
  ASSERT_EQ(strings.kind, TypeKind::Array);
  EXPECT_EQ(strings.count, 3u);
  EXPECT_EQ(strings.size, 24u);

  sp = split_type_spelling("buffer[256]");
  EXPECT_EQ(bpftrace_sizeof(sized_base_type(sp->base, &sp->suffixes)), 260u);  // bpftrace's 4-byte length
  sp = split_type_spelling("inet[16]");
  EXPECT_EQ(bpftrace_sizeof(sized_base_type(sp->base, &sp->suffixes)), 16u);
  sp = split_type_spelling("string *");
  Type pointer = apply_type_suffixes(sized_base_type(sp->base, &sp->suffixes), sp->suffixes);
  EXPECT_EQ(pointer.kind, TypeKind::Pointer);
}

// The value of `$x = sizeof(T)` in the first statement of the first probe.
uint64_t checked_sizeof(const std::string &type, const std::string &defs = "") {
  auto c = check(defs + "BEGIN { $x = sizeof(" + type + "); }");
  EXPECT_TRUE(c->ok) << c->errors();
  if (!c->ok) return 0;
  return static_cast<uint64_t>(c->prog.probes[0].body[0]->expr->ival);
}

TEST(TypeSyntax, SizeofEveryModifierCombination) {
  EXPECT_EQ(checked_sizeof("int32*"), 8u);
  EXPECT_EQ(checked_sizeof("int32[4]"), 16u);
  EXPECT_EQ(checked_sizeof("int32*[4]"), 32u);
  EXPECT_EQ(checked_sizeof("int32[4]*"), 8u);
  EXPECT_EQ(checked_sizeof("int32*[4]*"), 8u);
  EXPECT_EQ(checked_sizeof("uint16[3][2]"), 12u);
  const std::string foo = "struct foo { int a; char b[12]; } ";
  EXPECT_EQ(checked_sizeof("struct foo", foo), 16u);
  EXPECT_EQ(checked_sizeof("struct foo*[4]", foo), 32u);
  EXPECT_EQ(checked_sizeof("struct foo[4]*", foo), 8u);
  EXPECT_EQ(checked_sizeof("struct foo[4]", foo), 64u);
  EXPECT_EQ(checked_sizeof("struct foo *", foo), 8u);
  EXPECT_EQ(checked_sizeof("string[64]"), 64u);
  EXPECT_EQ(checked_sizeof("buffer[256]"), 260u);
  EXPECT_EQ(checked_sizeof("inet[16]"), 16u);
}

TEST(TypeSyntax, CastsAndDeclarationsUseThePostfixTypes) {
  auto c =
      check("BEGIN { $p = (int32[4]*)0; $q = (int8 *[2]*)0; let $s: string[16] = \"abc\"; $t = (string[32])\"hi\"; }");
  ASSERT_TRUE(c->ok) << c->errors();
  const auto &body = c->prog.probes[0].body;
  const Type &p = body[0]->expr->type;
  ASSERT_EQ(p.kind, TypeKind::Pointer);
  EXPECT_EQ(p.inner[0].kind, TypeKind::Array);
  EXPECT_EQ(body[0]->expr->cast_type, "int32[4] *");
  EXPECT_EQ(body[1]->expr->cast_type, "int8 *[2] *");
  EXPECT_EQ(body[3]->expr->type.kind, TypeKind::String);
  EXPECT_EQ(body[3]->expr->type.size, 32u);
}

class TypeSyntaxRefuses : public ::testing::TestWithParam<testing::Refusal> {};

TEST_P(TypeSyntaxRefuses, WithMessageAndColumn) { testing::expect_refusal(*check(GetParam().script), GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    Casts, TypeSyntaxRefuses,
    ::testing::Values(testing::Refusal{"BEGIN { $a = (string[2])\"hello\"; }", "cannot cast string[6] to string[2]",
                                       14},
                      testing::Refusal{"BEGIN { $a = (string[8])5; }", "cannot cast int64 to string[8]", 14},
                      testing::Refusal{"BEGIN { $a = (buffer[16])\"x\"; }", "cannot cast string[2] to buffer[16]", 14},
                      testing::Refusal{"BEGIN { $a = sizeof(nosuch[4]*); }", "unknown type 'nosuch[4] *'", 14},
                      testing::Refusal{"BEGIN { $a = sizeof(void[2]); }", "unknown type 'void[2]'", 14}));

}  // namespace
}  // namespace btc
