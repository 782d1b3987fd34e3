// ScriptTypes: reading the C definitions written in a script and laying them out like the
// x86-64 System V ABI (the values below are what gcc gives for the same definitions).
#include "types/script_types.h"

#include <gtest/gtest.h>

namespace btc {
namespace {

ScriptTypes read(const std::vector<std::string> &defs, ScriptTypes::Resolver resolve = nullptr) {
  ScriptTypes types;
  for (const auto &d : defs) {
    std::string err;
    EXPECT_TRUE(types.add_definition(d, resolve, &err)) << d << ": " << err;
  }
  return types;
}

TEST(ScriptTypes, LaysOutMembersAtTheirAlignment) {
  auto t = read({"struct Bar { int x; short y; };", "struct Foo { char c; struct Bar bar; long l; };"});
  ASSERT_NE(t.record("struct Foo"), nullptr);
  EXPECT_EQ(t.record("struct Bar")->size, 8u);
  EXPECT_EQ(t.record("struct Foo")->size, 24u);
  EXPECT_EQ(t.find_field("struct Foo", "bar")->offset, 4u);
  EXPECT_EQ(t.find_field("struct Foo", "l")->offset, 16u);
  EXPECT_EQ(t.find_field("struct Foo", "bar")->type.kind, TypeKind::Record);
}

TEST(ScriptTypes, AcceptsMissingSemicolonsAndNestedAnonymousRecords) {
  auto t = read({"struct Foo { struct { int m[1] } y; struct { int n } a; };"});
  auto y = t.find_field("struct Foo", "y");
  ASSERT_TRUE(y);
  EXPECT_EQ(t.find_field(y->type.name, "m")->type.kind, TypeKind::Array);
  EXPECT_EQ(t.find_field("struct Foo", "a")->offset, 4u);
}

TEST(ScriptTypes, AnonymousMembersAreReachedDirectly) {
  auto t = read({"struct S { int a; union { int b; char c[8]; }; };"});
  auto c = t.find_field("struct S", "c");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->offset, 4u);
  EXPECT_EQ(c->type.kind, TypeKind::String);
  EXPECT_EQ(t.record("struct S")->size, 12u);
}

TEST(ScriptTypes, PackedAndAlignedAttributes) {
  auto t = read({"struct P { int x; char y; int z; } __attribute__((packed)) __attribute__((aligned(1)));",
                 "struct A { char c; } __attribute__((aligned(8)));"});
  EXPECT_EQ(t.record("struct P")->size, 9u);
  EXPECT_EQ(t.find_field("struct P", "z")->offset, 5u);
  EXPECT_EQ(t.record("struct A")->size, 8u);
}

TEST(ScriptTypes, BitfieldsShareTheirUnit) {
  auto t = read({"struct B { unsigned long long x0:1, x1:1, x2:2; int y; unsigned int z:3; };"});
  auto x2 = t.find_field("struct B", "x2");
  ASSERT_TRUE(x2);
  EXPECT_EQ(x2->offset, 0u);
  EXPECT_EQ(x2->bit_offset, 2u);
  EXPECT_EQ(x2->bit_size, 2u);
  EXPECT_EQ(t.find_field("struct B", "y")->offset, 4u);  // ints fill the rest of the first unit
  EXPECT_EQ(t.find_field("struct B", "z")->offset, 8u);
  EXPECT_EQ(t.record("struct B")->size, 16u);
}

TEST(ScriptTypes, ArraysPointersAndFunctionPointers) {
  auto t = read({"struct N { struct N *next; int y[2][3]; void (*fn)(int, char *); char *s; };"});
  auto y = t.find_field("struct N", "y");
  ASSERT_TRUE(y);
  EXPECT_EQ(y->type.count, 2u);
  EXPECT_EQ(y->type.inner[0].count, 3u);
  EXPECT_EQ(y->type.size, 24u);
  EXPECT_EQ(t.find_field("struct N", "next")->type.kind, TypeKind::Pointer);
  EXPECT_EQ(t.find_field("struct N", "fn")->offset, 32u);
  EXPECT_EQ(t.record("struct N")->size, 48u);
}

TEST(ScriptTypes, EnumeratorsAndTheirNames) {
  auto t = read({"enum E { A, B = 5, C, D = B << 2 };", "enum { X = -1 };"});
  EXPECT_EQ(t.enumerator("C")->value, 6);
  EXPECT_EQ(t.enumerator("D")->value, 20);
  EXPECT_EQ(t.enumerator("C")->enum_name, "enum E");
  EXPECT_EQ(t.enumerator("X")->value, -1);
  EXPECT_EQ(t.enumerator_name("enum E", 5), "B");
  EXPECT_FALSE(t.enumerator("Z"));
}

TEST(ScriptTypes, ParsesTypeSpellings) {
  auto t = read({"struct Foo { int x; };", "enum E { A };"});
  auto p = t.parse_type("struct Foo *");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, TypeKind::Pointer);
  EXPECT_EQ(p->inner[0].name, "struct Foo");
  auto a = t.parse_type("struct Foo[3]");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->size, 12u);
  EXPECT_EQ(t.parse_type("enum E")->name, "enum E");
  EXPECT_FALSE(t.parse_type("struct Bar *"));
}

TEST(ScriptTypes, NamedTypesComeFromTheResolver) {
  ScriptTypes::Resolver resolve = [](const std::string &name) -> std::optional<Type> {
    if (name == "u32") return Type::integer(4, false);
    if (name == "struct kern") {
      Type r;
      r.kind = TypeKind::Record;
      r.name = name;
      r.size = 24;
      r.btf_id = 7;
      return r;
    }
    return std::nullopt;
  };
  auto t = read({"struct S { u32 a; struct kern k; struct other *o; };"}, resolve);
  EXPECT_EQ(t.find_field("struct S", "k")->offset, 8u);
  EXPECT_EQ(t.find_field("struct S", "k")->type.btf_id, 7);
  EXPECT_EQ(t.find_field("struct S", "o")->offset, 32u);
}

TEST(ScriptTypes, RefusesWhatItCannotLayOut) {
  ScriptTypes t;
  std::string err;
  EXPECT_FALSE(t.add_definition("struct S { struct missing m; };", nullptr, &err));
  EXPECT_NE(err.find("incomplete"), std::string::npos) << err;
  EXPECT_FALSE(t.add_definition("struct T { mystery_t x; };", nullptr, &err));
  EXPECT_EQ(err, "unknown type 'mystery_t'");
  EXPECT_FALSE(t.add_definition("struct L { long double d; };", nullptr, &err));
  EXPECT_EQ(err, "long double members are not supported");
}

TEST(ScriptTypes, FloatingPointMembersTakeTheirPlaceWithoutAType) {
  ScriptTypes t;
  std::string err;
  ASSERT_TRUE(t.add_definition("union N { int i; float f; };", nullptr, &err)) << err;
  ASSERT_TRUE(t.add_definition("struct F { char c; const double d; float g[3]; union N n; };", nullptr, &err)) << err;
  const ScriptRecord *n = t.record("union N");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->size, 4u);
  const ScriptRecord *f = t.record("struct F");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->size, 32u);
  EXPECT_EQ(f->align, 8u);
  auto d = t.find_field("struct F", "d");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->offset, 8u);
  EXPECT_EQ(d->type.kind, TypeKind::None);
  EXPECT_EQ(d->type.size, 8u);
  EXPECT_EQ(d->type.name, "double");
  EXPECT_EQ(t.find_field("struct F", "g")->offset, 16u);
  EXPECT_EQ(t.find_field("struct F", "n")->offset, 28u);
}

}  // namespace
}  // namespace btc
