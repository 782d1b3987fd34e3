// Follow-ups of the bpftrace 0.26 type syntax: variables declared buffer[N] / inet[N]
// (check/check_sized_vars.cpp), memcmp() of tuples and records, and strcap() of a char pointer
// measured with kernel reads, as bpftrace's strnlen does.
#include <gtest/gtest.h>

#include "check_test_util.h"
#include "emit/bpf_emitter.h"

namespace btc {
namespace {

using testing::check;
using testing::expect_refusal;
using testing::Refusal;

const Type &var_type(const testing::Checked &c, const std::string &name) {
  return c.info.var_types.begin()->second.at(name);
}

TEST(SizedVars, DeclarationsKeepTheirSize) {
  auto c = check(
      "BEGIN { let $b: buffer[8] = buf(\"abc\", 3); $b = buf(\"hello\", 5); let $e: buffer[4]; "
      "let $i: inet[24] = ntop(pton(\"::1\")); let $j: inet[24]; $j = ntop(pton(\"1.2.3.4\")); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(to_string(var_type(*c, "$b")), "buffer[8]");
  EXPECT_EQ(to_string(var_type(*c, "$e")), "buffer[4]");
  EXPECT_EQ(var_type(*c, "$i").kind, TypeKind::Inet);
  EXPECT_EQ(var_type(*c, "$j").size, 24u);
}

TEST(SizedVars, WithoutASizeTheValueSizesThem) {
  auto c = check(
      "BEGIN { let $b: buffer = buf(\"hello\", 5); let $n: buffer; $n = buf(\"ab\", 2); "
      "let $i: inet = ntop(pton(\"::1\")); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(to_string(var_type(*c, "$b")), "buffer[5]");
  EXPECT_EQ(to_string(var_type(*c, "$n")), "buffer[2]");
  EXPECT_EQ(var_type(*c, "$i").size, 24u);
}

TEST(SizedVars, Refusals) {
  const Refusal cases[] = {
      {"BEGIN { let $b: buffer[4] = buf(\"hello\", 5); }", "cannot assign a buffer[5] to $b of type buffer[4]", 9},
      {"BEGIN { let $b: buffer[8] = 1; }", "cannot assign a int64 to $b of type buffer[8]", 9},
      {"BEGIN { let $i: inet[16] = ntop(pton(\"::1\")); }", "cannot assign a inet[24] to $i of type inet[16]", 9},
      {"BEGIN { let $i: inet[4] = pton(\"1.2.3.4\"); }", "cannot assign a uint8[4] to $i of type inet[4]", 9},
      {"BEGIN { let $b: buffer[2]; $b = buf(\"abc\", 3); }", "cannot assign a buffer[3] to $b of type buffer[2]", 28},
      {"BEGIN { let $b: buffer[2]; $b = \"s\"; }", "cannot assign a string[2] to $b of type buffer[2]", 28},
      {"BEGIN { let $i: inet[24]; $i = buf(\"a\", 1); }", "cannot assign a buffer[1] to $i of type inet[24]", 27},
  };
  for (const Refusal &r : cases) {
    SCOPED_TRACE(r.script);
    expect_refusal(*check(r.script), r);
  }
}

TEST(MemcmpTuples, TuplesAndRecordsCompareAsBytes) {
  auto c = check("BEGIN { $a = (1, \"ab\"); @x = memcmp($a, (1, \"ac\"), 16); @y = memcmp((a=1), (a=2), 8); }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_FALSE(c->info.temp_tuple_types.empty());
  std::string bpf = emit_bpf_c(c->prog, c->info, nullptr, "t.bt", "t.bpf.c");
  EXPECT_NE(bpf.find("btc_memcmp(&"), std::string::npos) << bpf;
  expect_refusal(*check("BEGIN { @x = memcmp(kstack, kstack, 8); }"), Refusal{"", "btc's memcmp() compares", 21});
}

TEST(StrcapPointer, ReadsKernelMemoryWhateverTheAddressSpace) {
  auto c = check("BEGIN { $p = (int8 *)uptr(0); @x = strcap($p); }");
  ASSERT_TRUE(c->ok) << c->errors();
  std::string bpf = emit_bpf_c(c->prog, c->info, nullptr, "t.bt", "t.bpf.c");
  EXPECT_NE(bpf.find("bpf_probe_read_kernel_str("), std::string::npos) << bpf;
  EXPECT_EQ(bpf.find("bpf_probe_read_user_str("), std::string::npos) << bpf;
}

}  // namespace
}  // namespace btc
