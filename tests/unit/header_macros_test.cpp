#include "driver/header_macros.h"

#include <gtest/gtest.h>

namespace btc {
namespace {

TEST(HeaderMacros, IntegerLiteralsAndAliases) {
  auto m = parse_integer_macros(
      "#define __NR_nanosleep 35\n"
      "#define PAGE (4096UL)\n"
      "#define NEG -1\n"
      "#define HEX 0x10\n"
      "#define ALIAS __NR_nanosleep\n"
      "#define FN(x) (x)\n"
      "#define TEXT \"abc\"\n"
      "#define EXPR (1 << 3)\n");
  EXPECT_EQ(m.at("__NR_nanosleep"), 35);
  EXPECT_EQ(m.at("PAGE"), 4096);
  EXPECT_EQ(m.at("NEG"), -1);
  EXPECT_EQ(m.at("HEX"), 16);
  EXPECT_EQ(m.at("ALIAS"), 35);
  EXPECT_EQ(m.count("FN"), 0u);
  EXPECT_EQ(m.count("FN(x)"), 0u);
  EXPECT_EQ(m.count("TEXT"), 0u);
  EXPECT_EQ(m.count("EXPR"), 0u);
}

TEST(HeaderMacros, NoIncludesNoPreprocessor) {
  EXPECT_TRUE(header_integer_macros("/nonexistent/clang", {"#define X 1", "struct S { int a; };"}, {}).empty());
}

}  // namespace
}  // namespace btc
