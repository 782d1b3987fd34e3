// Big strings: the default max_strlen is bpftrace v0.26's 1024, strings too big for the BPF stack
// live in per-CPU scratch map slots (emit_scratch.cpp), small ones stay on the stack.
#include <gtest/gtest.h>

#include "check_test_util.h"
#include "emit/bpf_emitter.h"

namespace btc {
namespace {

using testing::check;

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

std::string bpf_of(const testing::Checked &c) { return emit_bpf_c(c.prog, c.info, nullptr, "t.bt", "t.bpf.c"); }

TEST(BigStrings, DefaultMaxStrlenIsBpftraceOne) {
  auto c = check("begin { exit(); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(c->info.config.max_strlen, 1024u);
}

TEST(BigStrings, MaxStrlenUpToAScratchSlot) {
  EXPECT_TRUE(check("config = { max_strlen = 32768 } begin { exit(); }")->ok);
  EXPECT_EQ(check("config = { max_strlen = 32769 } begin { exit(); }")->first_error(),
            "max_strlen must be a number in 1..32768");
  EXPECT_EQ(check("config = { max_strlen = 0 } begin { exit(); }")->first_error(),
            "max_strlen must be a number in 1..32768");
}

TEST(BigStrings, BigStringsLiveInScratchSlots) {
  auto c = check("uprobe:/bin/sh:main { @[str(arg0)] = count(); printf(\"%s\\n\", str(arg0)); }");
  ASSERT_TRUE(c->ok) << c->errors();
  std::string bpf = bpf_of(*c);
  // One slot per temporary (the read string and the key of each use), slot 0 kept zero.
  EXPECT_TRUE(has(bpf,
                  "BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 4); __type(key, __u32); "
                  "__type(value, __u8[1024]); } btc_scratch SEC(\".maps\");"))
      << bpf;
  EXPECT_TRUE(has(bpf, "char (*btc_s0)[1024] = bpf_map_lookup_elem(&btc_scratch, &(__u32){1});")) << bpf;
  EXPECT_TRUE(has(bpf, "bpf_probe_read_kernel((*btc_s0), 1024, bpf_map_lookup_elem(&btc_scratch, &(__u32){0}));"))
      << bpf;
  EXPECT_TRUE(has(bpf, "bpf_probe_read_user_str((*btc_s0), (__u32)1024, ")) << bpf;
  EXPECT_FALSE(has(bpf, "__builtin_memset((*")) << bpf;
  EXPECT_FALSE(has(bpf, "__builtin_memcpy((*")) << bpf;
}

TEST(BigStrings, SmallStringsStayOnTheStack) {
  auto c = check("config = { max_strlen = 64 } uprobe:/bin/sh:main { @[str(arg0)] = count(); }");
  ASSERT_TRUE(c->ok) << c->errors();
  std::string bpf = bpf_of(*c);
  EXPECT_FALSE(has(bpf, "btc_scratch")) << bpf;
  EXPECT_TRUE(has(bpf, "char btc_s0[72] = {};")) << bpf;
}

}  // namespace
}  // namespace btc
