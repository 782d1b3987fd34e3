// printf's %gr: GFP allocation masks in the kernel's notation, compound names first.
#include "gfp_flags.h"

#include <gtest/gtest.h>

#include "printf_format.h"

using namespace btc::rt;

namespace {

TEST(GfpFlags, NamesCompoundMasksBeforeSingleBits) {
  EXPECT_EQ(format_gfp_flags(0), "0");
  EXPECT_EQ(format_gfp_flags(0x1), "GFP_DMA");
  EXPECT_EQ(format_gfp_flags(0xcc0), "GFP_KERNEL");  // reclaim | io | fs
  EXPECT_EQ(format_gfp_flags(0xcc0 | 0x100), "GFP_KERNEL|__GFP_ZERO");
  EXPECT_EQ(format_gfp_flags(0xcc0 | 0x400000), "GFP_KERNEL_ACCOUNT");
  EXPECT_EQ(format_gfp_flags(0x820), "GFP_ATOMIC");  // high | kswapd reclaim
}

TEST(GfpFlags, LeftoverBitsFollowInHex) {
  EXPECT_EQ(format_gfp_flags(0x200), "0x200");  // the unused bit 9
  EXPECT_EQ(format_gfp_flags(0x1 | (1ULL << 40)), "GFP_DMA|0x10000000000");
}

TEST(GfpFlags, PrintfGrFormatsAnyIntegerWithWidth) {
  ParsedFormat f = parse_format("flags: %gr|%20gr|\n");
  EXPECT_EQ(format_printf(f, {Printable::int64(1), Printable::uint64(0x100)}),
            "flags: GFP_DMA|          __GFP_ZERO|\n");
}

}  // namespace
