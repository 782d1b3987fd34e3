// Integer promotion of stored values as bpftrace 0.26 does it (compiler/check/int_promotion.h):
// the rules themselves, then the types, warnings and errors the checker derives from them.
#include "check/int_promotion.h"

#include <gtest/gtest.h>

#include "check_test_util.h"

namespace btc {
namespace {

const IntShape kInt8Lit{1, true, true}, kInt8{1, true, false}, kInt16{2, true, false}, kInt32{4, true, false},
    kInt64{8, true, false}, kUint8{1, false, false}, kUint16{2, false, false}, kUint32{4, false, false},
    kUint64{8, false, false};

// The shape of the literal printed by `print(EXPR)`.
std::optional<IntShape> literal(const std::string &expr) {
  auto c = testing::check("BEGIN { print(" + expr + "); }");
  EXPECT_TRUE(c->ok) << c->errors();
  return literal_shape(*c->prog.probes.at(0).body.at(0)->expr->args.at(0));
}

TEST(IntPromotion, LiteralsHaveTheSmallestSignedTypeAndOnlyNonNegativeOnesAreFlexible) {
  EXPECT_EQ(literal("0"), kInt8Lit);
  EXPECT_EQ(literal("1"), kInt8Lit);
  EXPECT_EQ(literal("-1"), kInt8);
  EXPECT_EQ(literal("-128"), kInt8);
  EXPECT_EQ(literal("-1000"), kInt16);
  EXPECT_EQ(literal("200"), (IntShape{2, true, true}));
  EXPECT_EQ(literal("0x80000000"), (IntShape{8, true, true}));
  EXPECT_EQ(literal("18446744073709551615"), kUint64);
  EXPECT_EQ(literal("-9223372036854775808"), kInt64);  // int64's smallest value
  EXPECT_EQ(literal("(int8)1"), std::nullopt);
  EXPECT_EQ(literal("1 + 1"), std::nullopt);
}

TEST(IntPromotion, NegativeLiteralsBelowInt64AreRefused) {
  testing::expect_refusal(*testing::check("BEGIN { print(-9223372036854775809); }"),
                          {"", "negative value will underflow", 15});
  EXPECT_TRUE(testing::check("BEGIN { print(-0x8000000000000000); }")->ok);
}

TEST(IntPromotion, JoinOfTwoShapes) {
  EXPECT_EQ(promote(kInt8Lit, kUint64), kUint64);  // a flexible literal takes the other sign
  EXPECT_EQ(promote(kUint16, kInt8Lit), kUint16);
  EXPECT_EQ(promote(kInt8Lit, kInt8Lit), kInt8Lit);
  EXPECT_EQ(promote(kInt8, kInt16), kInt16);
  EXPECT_EQ(promote(kInt32, kUint16), kInt32);  // the signed side is wider: it holds both
  EXPECT_EQ(promote(kUint8, kInt8), kInt16);    // else a signed type twice as wide
  EXPECT_EQ(promote(kUint32, kInt32), kInt64);
  EXPECT_EQ(promote(kUint64, kInt64), kInt64);  // none holds both: int64
  EXPECT_EQ(promote(kInt8, kUint64), kInt64);
}

TEST(IntPromotion, WhatFitsWithoutChange) {
  EXPECT_TRUE(fits_into(kInt8, kInt64));
  EXPECT_TRUE(fits_into(kUint32, kInt64));
  EXPECT_FALSE(fits_into(kUint32, kInt32));
  EXPECT_FALSE(fits_into(kInt8, kUint64));  // signed never fits unsigned
  EXPECT_FALSE(fits_into(kInt64, kInt32));
  EXPECT_TRUE(fits_into(kInt8Lit, kUint8));
}

// Checks `body` in a BEGIN probe; the type of $name afterwards and the rendered diagnostics.
struct Checked {
  std::unique_ptr<testing::Checked> c;
  std::string var(const std::string &name) const {
    const auto &vars = c->info.var_types.at(&c->prog.probes.at(0));
    return to_string(vars.at(name));
  }
  std::string diags() const { return c->errors(); }
};

Checked check(const std::string &body) {
  Checked r{testing::check("BEGIN { " + body + " }")};
  EXPECT_TRUE(r.c->ok) << r.c->errors();
  return r;
}

const char *const kCastWarning = "being cast to type";

TEST(IntPromotion, VariableTypesAreTheJoinOfEveryAssignment) {
  EXPECT_EQ(check("$a = 1;").var("$a"), "int8");
  EXPECT_EQ(check("$a = 1; $a = -1000;").var("$a"), "int16");
  EXPECT_EQ(check("$a = 1; $a = (uint64)-1; print($a);").var("$a"), "uint64");
  EXPECT_EQ(check("$a = 1; $b = -1000; $a = $b;").var("$a"), "int16");
  EXPECT_EQ(check("$a = (uint64)1; $a = 1;").var("$a"), "uint64");
  EXPECT_EQ(check("$a = 0; $a++;").var("$a"), "int64");
  EXPECT_EQ(check("$a = (uint8)0; $a += 1;").var("$a"), "uint64");
  // A variable read takes the variable's final type, even one assigned later.
  EXPECT_EQ(check("$a = 1; $b = $a; $a = (uint64)2;").var("$b"), "uint64");
}

TEST(IntPromotion, SignMismatchBecomesInt64WithAWarning) {
  auto r = check("$c = (uint64)1; $d = (int64)-1; $c = $d;");
  EXPECT_EQ(r.var("$c"), "int64");
  EXPECT_EQ(r.diags(),
            "t.bt:1:14: warning: Expression of type: uint64 being cast to type: int64. This may cause unexpected "
            "results. Use an explicit cast to suppress this warning.\n"
            "BEGIN { $c = (uint64)1; $d = (int64)-1; $c = $d; }\n"
            "             ^~~~~~~~~\n");
}

TEST(IntPromotion, CastWarningsAsBpftrace) {
  for (const char *body :
       {"$a = (uint64)1; $a = (int64)2;", "$a = -1; $a = (uint64)2;", "$a = 1; $a = -1; $a = (uint64)2;",
        "@a = (int64)1; @a = (uint64)2;", "@a = -1; @a = (uint64)2;", "@a[(uint64)1] = 1; @a[(int64)2] = 1;",
        "@a[-1] = 1; @a[(uint64)2] = 1;", "let $a: uint64 = (int64)1;", "let $a: int32 = (uint32)1;"})
    EXPECT_NE(check(body).diags().find(kCastWarning), std::string::npos) << body;
  for (const char *body :
       {"$a = (uint32)1; $a = (int32)2;", "$a = 1; $a = (uint64)2;", "$a = 1; $a = (int64)2;",
        "@a = (uint32)1; @a = (int32)2;", "@a = 1; @a = (uint64)2;", "@a[(uint32)1] = 1; @a[(int32)2] = 1;",
        "@a[1] = 1; @a[(uint64)2] = 1;", "let $a: uint64 = 1;", "let $a: uint16 = (uint16)-1;"})
    EXPECT_EQ(check(body).diags().find(kCastWarning), std::string::npos) << body;
}

TEST(IntPromotion, TypedDeclarationsKeepTheirType) {
  auto r = check("$b = -1; let $a: uint16 = $b;");
  EXPECT_EQ(r.var("$a"), "uint16");
  EXPECT_NE(r.diags().find("Expression of type: int8 being cast to type: uint16."), std::string::npos);
  EXPECT_EQ(check("let $a: uint8; $a = 200;").var("$a"), "uint8");
}

TEST(IntPromotion, LiteralOutsideADeclaredTypeIsRefused) {
  testing::expect_refusal(
      *testing::check("BEGIN { let $a: uint16 = -1; }"),
      {"", "Type mismatch for $a: trying to assign value of type 'int8' when variable already has a type 'uint16'", 9});
  for (const char *body : {"let $a: uint8 = 10000000;", "let $a: uint16; $a = -1;", "let $a: int8 = 1; $a = -10000;",
                           "let $a: int8; $a = 10000;"}) {
    auto c = testing::check(std::string("BEGIN { ") + body + " }");
    EXPECT_FALSE(c->ok) << body;
    EXPECT_NE(c->first_error().find("Type mismatch for $a"), std::string::npos) << c->first_error();
  }
}

TEST(IntPromotion, MapKeysAndValuesTakeTheJoinsSign) {
  auto c = testing::check("BEGIN { @a[1] = 1; @a[(uint64)-1] = (uint64)2; @v = 1; @v = -1000; }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(to_string(c->info.map("@a").keys.at(0)), "uint64");
  EXPECT_EQ(to_string(c->info.map("@a").value), "uint64");
  EXPECT_EQ(to_string(c->info.map("@v").value), "int64");
}

// bpftrace stores `@m op= e` as `@m = @m op e` and steps @m++ / @m-- in 64 bits: the result
// joins the map's values like any store.
TEST(IntPromotion, MapUpdatesJoinTheMapsValues) {
  auto value = [](const std::string &body) {
    auto c = testing::check("BEGIN { " + body + " }");
    EXPECT_TRUE(c->ok) << c->errors();
    return c->ok ? to_string(c->info.map("@m").value) : std::string();
  };
  EXPECT_EQ(value("@m = (uint64)1; @m -= 2;"), "int64");
  EXPECT_EQ(value("@m = (uint64)1; @m--;"), "int64");
  EXPECT_EQ(value("@m = (uint64)1; @m++;"), "uint64");
  EXPECT_EQ(value("@m = (uint32)1; @m += 1;"), "uint64");
  EXPECT_EQ(value("@m = (uint32)1; @m += (int8)1;"), "int64");
  EXPECT_EQ(value("@m++;"), "int64");
  EXPECT_NE(check("@m = (uint64)1; @m -= 2;").diags().find("Expression of type: uint64 being cast to type: int64."),
            std::string::npos);
  EXPECT_EQ(check("@m = 0; @m--; @m++;").diags().find(kCastWarning), std::string::npos);
}

// `$x op= e` is `$x = $x op e` in bpftrace: a 64-bit result stored into a narrower declared type
// is warned about; ++ and -- step in the variable's own type without a warning.
TEST(IntPromotion, UpdatesOfTypedVariables) {
  auto r = check("let $u: uint8 = 255; $u += 1;");
  EXPECT_EQ(r.var("$u"), "uint8");
  EXPECT_NE(r.diags().find("Expression of type: uint64 being cast to type: uint8."), std::string::npos) << r.diags();
  EXPECT_NE(check("let $s: int16 = 1; $s -= 1;").diags().find("Expression of type: int64 being cast to type: int16."),
            std::string::npos);
  EXPECT_EQ(check("let $w: uint64 = 1; $w += 1;").diags().find(kCastWarning), std::string::npos);
  auto inc = check("let $u: uint8 = 255; $u++; $u--;");
  EXPECT_EQ(inc.var("$u"), "uint8");
  EXPECT_EQ(inc.diags().find(kCastWarning), std::string::npos);
  EXPECT_EQ(check("$a = (uint8)1; $a += 1;").diags().find(kCastWarning), std::string::npos);
}

}  // namespace
}  // namespace btc
