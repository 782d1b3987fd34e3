// Copies out of map values (emit_scratch.cpp, inline_copy): clang knows such memory only as
// aligned as its C type, so a long copy from a char array there would unroll into byte loads
// that spill past the BPF stack; it goes through bpf_probe_read_kernel instead. Short copies,
// and copies from stack locals (which clang aligns itself), stay inline.
#include <gtest/gtest.h>

#include "check_test_util.h"

namespace btc {
namespace {

using testing::check;

using testing::has;

std::string bpf_of(const std::string &script) { return testing::emitted_bpf(script); }

// The 256-byte key lives in a scratch slot (more than kStackTempMax bytes).
TEST(MapValueCopies, RunTimeMatchedProbeNameGoesThroughAHelper) {
  std::string bpf = bpf_of("usdt:*:prov*:name { @[probe] = count(); }");
  EXPECT_TRUE(has(bpf, "bpf_probe_read_kernel((*btc_key2).k0, 256, btc_name1->probe);")) << bpf;
  EXPECT_FALSE(has(bpf, "__builtin_memcpy((*btc_key2).k0")) << bpf;
}

TEST(MapValueCopies, LongStringReadFromAMapGoesThroughAHelperThenCopiesInline) {
  std::string bpf = bpf_of("uprobe:/bin/sh:main { @s = str(arg0, 100); @c[@s] = count(); }");
  EXPECT_TRUE(has(bpf, "if (btc_p4) bpf_probe_read_kernel(btc_s3, 104, btc_p4->s);")) << bpf;
  EXPECT_TRUE(has(bpf, "__builtin_memcpy(btc_key5.k0, btc_s3, 104);")) << bpf;  // a stack local
}

TEST(MapValueCopies, ShortStringReadFromAMapStaysInline) {
  std::string bpf = bpf_of("uprobe:/bin/sh:main { @s = comm; @c[@s] = count(); }");
  EXPECT_TRUE(has(bpf, "if (btc_p4) __builtin_memcpy(btc_s3, btc_p4->s, 16);")) << bpf;
}

TEST(MapValueCopies, TupleReadFromAMapByItsAlignment) {
  // Eight-byte integers: six aligned loads, inline.
  std::string ints = bpf_of("uprobe:/bin/sh:main { @t = (1, 2, 3, 4, 5, 6); $x = @t; @u = $x; }");
  EXPECT_TRUE(has(ints, "if (btc_p3) __builtin_memcpy(&btc_tup2, &(*btc_p3), sizeof((*btc_p3)));")) << ints;
  // Strings only: byte-aligned, 120 bytes, through the helper.
  std::string strs =
      bpf_of("uprobe:/bin/sh:main { @t = (str(arg0, 60), str(arg1, 60)); } uprobe:/bin/sh:main { $x = @t; @u = $x; }");
  EXPECT_TRUE(has(strs, "if (btc_p2) bpf_probe_read_kernel(&btc_tup1, sizeof((*btc_p2)), &(*btc_p2));")) << strs;
}

}  // namespace
}  // namespace btc
