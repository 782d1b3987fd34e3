// Which key-less hist()/lhist() maps become one per-CPU array slot (find_hist_slot_maps in
// compiler/emit/emit_declarations.cpp): only those that BPF code does nothing but add to.
#include <gtest/gtest.h>

#include "check_test_util.h"

namespace btc {
namespace {

using testing::emitted_bpf;
using testing::has;

// Whether the script's @h became an array slot rather than a hash of buckets.
bool slot(const std::string &script) {
  std::string bpf = emitted_bpf(script);
  EXPECT_TRUE(has(bpf, "} m_h SEC(\".maps\");")) << bpf;
  return has(bpf, "BTC_HIST_SLOT_ADD(&m_h,");
}

TEST(HistSlotMaps, OnlyAddedToAndPrinted) {
  EXPECT_TRUE(slot("BEGIN { @h = hist(5); } END { print(@h); clear(@h); zero(@h); }"));
  EXPECT_TRUE(slot("BEGIN { @h = lhist(5, 0, 100, 10); $x = { @h = lhist(6, 0, 100, 10); 1 }; }"));
}

TEST(HistSlotMaps, OtherUsesKeepAHash) {
  EXPECT_FALSE(slot("BEGIN { @h = hist(5); delete(@h); }"));
  EXPECT_FALSE(slot("BEGIN { @h = hist(5); if (1) { } else { delete(@h); } }"));
  EXPECT_FALSE(slot("BEGIN /{ delete(@h); 1 }/ { @h = hist(5); }"));
  // Inside a block expression: the walk once stopped at the block's statements.
  EXPECT_FALSE(slot("BEGIN { @h = hist(5); $x = { delete(@h); 1 }; }"));
  EXPECT_FALSE(slot("BEGIN { @h = hist(5); print({ delete(@h); 1 }); }"));
  EXPECT_FALSE(slot("let @h = hash(8); BEGIN { @h = hist(5); }"));  // declared with a type
}

}  // namespace
}  // namespace btc
