// Layout of whole struct and array values inside tuples (natural alignment, as bpftrace lays
// them out) and the signatures that keep differently described values apart in the host tables.
#include <gtest/gtest.h>

#include "emit/tuple_structs.h"
#include "types/tuple_layout.h"

using namespace btc;

namespace {

// struct Foo { int32 m; int16 n; } as a stored value: members listed with their offsets.
Type foo() {
  Type t;
  t.kind = TypeKind::Record;
  t.name = "struct Foo";
  t.size = 8;
  t.inner = {Type::integer(4, true), Type::integer(2, true)};
  t.fields = {"m", "n"};
  t.offsets = {0, 4};
  return t;
}

Type int32_array(uint32_t count) {
  Type t;
  t.kind = TypeKind::Array;
  t.inner = {Type::integer(4, true)};
  t.count = count;
  t.size = 4 * count;
  return t;
}

TEST(CompositeLayout, AStructIsAlignedLikeItsWidestMember) {
  Type t = make_tuple({Type::integer(4, true), foo()});
  EXPECT_EQ(tuple_offsets(t, &t.size), (std::vector<uint32_t>{0, 4}));
  EXPECT_EQ(t.size, 12u);  // bpftrace: sizeof(((int32)1, *foo)) == 12
}

TEST(CompositeLayout, AnArrayIsAlignedLikeItsElement) {
  Type t = make_tuple({Type::integer(1, true), int32_array(4)});
  EXPECT_EQ(tuple_offsets(t, &t.size), (std::vector<uint32_t>{0, 4}));
  EXPECT_EQ(t.size, 20u);
}

TEST(CompositeLayout, TheBpfMemberKeepsTheAlignment) {
  TupleStructs structs;
  EXPECT_EQ(structs.member_decl(foo(), "e1"), "char e1[8] __attribute__((aligned(4)))");
  EXPECT_EQ(structs.member_decl(int32_array(3), "e0"), "char e0[12] __attribute__((aligned(4)))");
}

TEST(CompositeLayout, SignaturesTellValuesApart) {
  Type named = make_tuple({Type::integer(8, true), Type::integer(8, true)});
  Type plain = named;
  named.fields = {"a", "b"};
  EXPECT_NE(type_signature(named), type_signature(plain));
  EXPECT_NE(type_signature(int32_array(2)), type_signature(int32_array(4)));
  Type other = foo();
  other.fields = {"x", "y"};
  EXPECT_NE(type_signature(foo()), type_signature(other));
}

}  // namespace
