// Integer macros of #included headers (EPERM from <errno.h>): which `#define` lines count.
#include "driver/header_macros.h"

#include <gtest/gtest.h>

namespace btc {
namespace {

TEST(HeaderMacros, KeepsIntegerLiteralsAndFollowsAliases) {
  std::string defines =
      "#define EPERM 1\n"
      "#define EAGAIN 11\n"
      "#define EWOULDBLOCK EAGAIN\n"
      "#define PAGE (4096UL)\n"
      "#define NEG -22\n"
      "#define HEX 0x1f\n";
  std::vector<std::string> want = {"#define EAGAIN 11", "#define EPERM 1", "#define EWOULDBLOCK 11",
                                   "#define HEX 0x1f",  "#define NEG -22", "#define PAGE 4096"};
  EXPECT_EQ(integer_macros(defines), want);
}

TEST(HeaderMacros, DropsFunctionLikeAndNonIntegerMacros) {
  std::string defines =
      "#define MAX(a, b) ((a) > (b) ? (a) : (b))\n"
      "#define NAME \"x\"\n"
      "#define EMPTY\n"
      "#define SUM (1 + 2)\n"
      "#define LOOP LOOP\n";
  EXPECT_TRUE(integer_macros(defines).empty());
}

}  // namespace
}  // namespace btc
