// The checker's side of a few value forms (issue 3): print() of a map element, len() of a
// stack, strftime() map keys, sizeof() of an enumerator, the ctx builtin, struct values with
// bitfield members and bool arrays.
#include <gtest/gtest.h>

#include "check_test_util.h"

namespace btc {
namespace {

using testing::check;
using testing::host_btf;

TEST(ValueForms, PrintOfAMapElementIsAPrintOfItsValue) {
  auto c = check("BEGIN { @x[1] = 5; print(@x[1]); }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.printfs.size(), 1u);
  EXPECT_EQ(c->info.printfs[0].fmt, "%ld\n");
  EXPECT_EQ(check("BEGIN { @x[1] = 5; print(@x[1], 2); }")->ok, false);
}

TEST(ValueForms, LenOfAStackCountsItsFrames) {
  auto c = check("interval:s:1 { $s = ustack(3); @n = len($s); @k = len(kstack); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_TRUE(c->info.stack_len);
  const MapInfo &n = c->info.maps[c->info.map_index.at("@n")];
  EXPECT_EQ(n.value.kind, TypeKind::Int);
  EXPECT_TRUE(n.value.is_signed);
  EXPECT_FALSE(check("BEGIN { @m[1] = 1; @n = len(@m); }")->info.stack_len);  // maps keep plain stack ids
  EXPECT_EQ(check("BEGIN { $x = 1; @n = len($x); }")->first_error(), "len() expects a map with no key, e.g. len(@x)");
}

TEST(ValueForms, StrftimeIsAMapKey) {
  auto c = check("BEGIN { @[strftime(\"%m/%d/%y\", nsecs)] = 1; }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.maps[0].keys.size(), 1u);
  EXPECT_EQ(c->info.maps[0].keys[0].kind, TypeKind::Timestamp);
}

TEST(ValueForms, SizeofAnEnumeratorIsThatOfAnInt64) {
  auto c = check("#define SEVEN 7\nBEGIN { @a = sizeof(SEVEN); @b = sizeof(uint16); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(check("BEGIN { @a = sizeof(NO_SUCH_NAME); }")->first_error(), "unknown type 'NO_SUCH_NAME'");
  if (!host_btf()) GTEST_SKIP() << "no kernel BTF";
  EXPECT_TRUE(check("BEGIN { @a = sizeof(BTF_VAR_STATIC); }", host_btf())->ok);
}

TEST(ValueForms, CtxPointsAtTheProgramTypesContext) {
  if (!host_btf()) GTEST_SKIP() << "no kernel BTF";
  auto c = check("interval:s:1 { $c = ctx; } uprobe:/bin/sh:main { $r = ctx; }", host_btf());
  ASSERT_TRUE(c->ok) << c->errors();
  auto it = c->info.var_types.begin();
  const Type &perf = it->second.at("$c");
  ASSERT_EQ(perf.kind, TypeKind::Pointer);
  EXPECT_EQ(perf.inner[0].name, "struct bpf_perf_event_data");
  const Type &regs = std::next(it)->second.count("$r") ? std::next(it)->second.at("$r") : it->second.at("$r");
  EXPECT_EQ(regs.inner[0].name, "struct pt_regs");
  EXPECT_EQ(check("tracepoint:syscalls:sys_enter_getpid { $c = ctx; }", host_btf())->first_error(),
            "Use args instead of ctx in tracepoint");
  EXPECT_EQ(check("BEGIN { $c = ctx; }", host_btf())->first_error(),
            "The ctx builtin can not be used with 'begin' probes");
}

TEST(ValueForms, BitfieldMembersOfAStoredStruct) {
  auto c = check(
      "struct bar { int a; unsigned char b:3, c:5; unsigned short d:4; }\n"
      "BEGIN { $v = (uint64)1; @b = *(struct bar *)&$v; }");
  ASSERT_TRUE(c->ok) << c->errors();
  const Type &bar = c->info.maps[0].value;
  ASSERT_EQ(bar.fields, (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(bar.offsets, (std::vector<uint32_t>{0, 4, 4, 4}));
  EXPECT_EQ(bar.inner[0].bitfield, 0u);
  EXPECT_EQ(bar.inner[1].bitfield, 3u << 8 | 0);
  EXPECT_EQ(bar.inner[2].bitfield, 5u << 8 | 3);
  EXPECT_EQ(bar.inner[3].bitfield, 4u << 8 | 8);  // the short unit at offset 4, bits 8..11
}

TEST(ValueForms, BoolArrayCasts) {
  if (!host_btf()) GTEST_SKIP() << "no kernel BTF";  // array types are spelled through BTF
  auto c = check("BEGIN { @a = (bool[2])(uint16)1; }", host_btf());
  ASSERT_TRUE(c->ok) << c->errors();
  const Type &a = c->info.maps[0].value;
  ASSERT_EQ(a.kind, TypeKind::Array);
  EXPECT_EQ(a.count, 2u);
  EXPECT_EQ(a.inner[0].kind, TypeKind::Bool);
  EXPECT_EQ(check("BEGIN { @a = (bool[3])(uint16)1; }", host_btf())->first_error(),
            "cannot cast uint16 to bool[3]: the sizes differ");
}

}  // namespace
}  // namespace btc
