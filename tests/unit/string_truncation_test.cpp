// Strings as bpftrace v0.26 has them: str() reads one byte more than max_strlen so that a cut
// string can be told from a whole one (the host tables give its type size), and $s[i].
#include <gtest/gtest.h>

#include "check_test_util.h"
#include "emit/bpf_emitter.h"
#include "emit/host_emitter.h"

namespace btc {
namespace {

using testing::check;

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

std::string bpf_of(const testing::Checked &c) { return emit_bpf_c(c.prog, c.info, nullptr, "t.bt", "t.bpf.c"); }

TEST(StringTruncation, StrReadsOneByteMoreThanMaxStrlen) {
  auto c = check("config = { max_strlen = 5 } uprobe:/bin/sh:main { printf(\"%s\\n\", str(arg0)); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(c->info.printfs[0].args[0].size, 5u);
  std::string bpf = bpf_of(*c);
  EXPECT_TRUE(has(bpf, "bpf_probe_read_user_str(btc_s")) << bpf;
  EXPECT_TRUE(has(bpf, ", (__u32)6, ")) << bpf;
}

TEST(StringTruncation, FromMaxStrlen1024OnNoExtraByteIsRead) {
  auto c = check("config = { max_strlen = 1024 } uprobe:/bin/sh:main { @ = str(arg0, 2000); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_TRUE(has(bpf_of(*c), ", (__u32)1024, ")) << bpf_of(*c);
}

TEST(StringTruncation, AnExplicitShorterLengthCountsTheNul) {
  auto c = check("config = { max_strlen = 5 } uprobe:/bin/sh:main { @ = str(arg0, 3); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(c->info.map("@").value.size, 3u);
  EXPECT_TRUE(has(bpf_of(*c), ", (__u32)3, ")) << bpf_of(*c);
}

TEST(StringTruncation, HostTablesGiveTheStringsTypeSizeNotItsSlotSize) {
  // Slots are 8-byte aligned (8 bytes for a string[5]); the runtime must know the string has 5.
  auto c = check("config = { max_strlen = 5 } uprobe:/bin/sh:main { printf(\"%s %d\\n\", str(arg0), 1); }");
  ASSERT_TRUE(c->ok) << c->errors();
  std::string host = emit_host_cpp(c->info, HostInputs{});
  EXPECT_TRUE(has(host, "{BTC_T_STR, 0, 5, 0}")) << host;
  EXPECT_TRUE(has(host, "{BTC_T_INT, 8, 8, 0}")) << host;
}

TEST(StringSubscript, IsAnInt8) {
  auto c = check("begin { $a = \"foo\"; $i = (uint64)10; printf(\"%c %c\\n\", $a[0], $a[$i]); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(to_string(c->info.printfs[0].args[0]), "int8");
  EXPECT_EQ(to_string(c->info.printfs[0].args[1]), "int8");
  EXPECT_TRUE(has(bpf_of(*c), "bpf_probe_read_kernel(&")) << "a run-time index is probe-read, unchecked";
}

TEST(StringSubscript, AConstantIndexPastTheStringIsRefused) {
  testing::expect_refusal(*check("begin { $a = \"foo\"; print($a[4]); }"),
                          {"", "the index 4 is out of bounds for array of size 4", 27});
  testing::expect_refusal(*check("begin { $a = \"foo\"; print($a[\"x\"]); }"),
                          {"", "a subscript must be an integer", 30});
}

}  // namespace
}  // namespace btc
