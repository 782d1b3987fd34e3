// buf, ntop, pton, macaddr, cgroup_path, join, system and cat: the checker's types and refusals,
// the host field rows, and the runtime's decoding and user-space actions.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "cgroup_path.h"
#include "check/checker.h"
#include "check_test_util.h"
#include "emit/host_emitter.h"
#include "field_decode.h"
#include "net_format.h"
#include "parse/parser.h"
#include "printf_format.h"
#include "runtime_test_util.h"
#include "user_actions.h"

namespace btc {
namespace {

using testing::check;

// check() with btc --unsafe.
std::unique_ptr<testing::Checked> check_unsafe(const std::string &text) {
  auto c = std::make_unique<testing::Checked>();
  c->file = std::make_unique<SourceFile>("t.bt", text);
  c->diags = std::make_unique<Diagnostics>(*c->file);
  if (!parse_program(*c->file, *c->diags, &c->prog)) return c;
  c->info.unsafe = true;
  c->ok = check_program(c->prog, nullptr, *c->diags, &c->info);
  return c;
}

std::string host_of(const testing::Checked &c) { return emit_host_cpp(c.info, HostInputs{}); }

TEST(UserOutputFunctions, BufIsALengthAndItsBytes) {
  auto c = check("BEGIN { printf(\"%r %rx %rh\\n\", buf(\"ab\", 2), buf(\"abc\", 3), buf(\"a\", 100)); }");
  ASSERT_TRUE(c->ok) << c->first_error();
  const auto &args = c->info.printfs[0].args;
  EXPECT_EQ(to_string(args[0]), "buffer[2]");
  EXPECT_EQ(to_string(args[2]), "buffer[2]");  // capped at the string's size ("a" and its NUL)
  EXPECT_NE(host_of(*c).find("{BTC_T_BUF, 0, 16, 0}, {BTC_T_BUF, 16, 16, 0}"), std::string::npos) << host_of(*c);
  // A run-time length: capacity max_strlen.
  auto d = check("BEGIN { $n = 3; @b = buf(\"abcdef\", $n); }");
  ASSERT_TRUE(d->ok) << d->first_error();
  EXPECT_EQ(to_string(d->info.maps[0].value), "buffer[7]");
}

TEST(UserOutputFunctions, FormatConversionsForBuffers) {
  EXPECT_TRUE(check("BEGIN { printf(\"%s\\n\", buf(\"ab\", 2)); }")->ok);
  auto c = check("BEGIN { printf(\"%r\\n\", 1); }");
  EXPECT_FALSE(c->ok);
  EXPECT_EQ(c->first_error(), "format %r does not fit argument 1 of type int64");
  EXPECT_EQ(check("BEGIN { printf(\"%rx\\n\", \"s\"); }")->first_error(),
            "format %rx does not fit argument 1 of type string[2]");
}

TEST(UserOutputFunctions, Refusals) {
  EXPECT_EQ(check("BEGIN { @ = buf(1); }")->first_error(), "buf() expects a length argument for non-array type int64");
  EXPECT_EQ(check("BEGIN { @ = buf(1, -1); }")->first_error(), "buf() cannot use a negative length");
  EXPECT_EQ(check("BEGIN { @ = ntop(\"abcdef\"); }")->first_error(), "ntop() argument must be 4 or 16 bytes in size");
  EXPECT_EQ(check("BEGIN { @ = pton(\"1.2.3\"); }")->first_error(),
            "pton() expects a valid IPv4 or IPv6 address, got \"1.2.3\"");
  EXPECT_EQ(check("BEGIN { $a = pton(\"::1\"); }")->first_error(),
            "a pton() value can only be passed to ntop() or buf(), or cast to an integer");
  EXPECT_EQ(check("BEGIN { @ = macaddr(\"abcdef\"); }")->first_error(),
            "macaddr() does not support literal string arguments");
  EXPECT_EQ(check("BEGIN { $f = \"x\"; @ = cgroup_path(1, $f); }")->first_error(),
            "cgroup_path() filter must be a string literal");
  EXPECT_EQ(check("BEGIN { $x = join(0); }")->first_error(), "join() does not return a value");
  auto s = check("BEGIN { system(\"echo hi\"); }");
  EXPECT_FALSE(s->ok);
  EXPECT_EQ(s->first_error(),
            "system() is an unsafe function being used in safe mode (compile with btc --unsafe to allow it)");
  EXPECT_EQ(s->first_error_col(), 9);
}

TEST(UserOutputFunctions, SystemCatAndJoinArePrintfEntries) {
  auto c = check_unsafe("BEGIN { system(\"echo %d\", 1); cat(\"/proc/%s\", \"x\"); join(0, \",\"); join(0); }");
  ASSERT_TRUE(c->ok) << c->first_error();
  ASSERT_EQ(c->info.printfs.size(), 4u);
  EXPECT_EQ(c->info.printfs[0].severity, BTC_SEV_SYSTEM);
  EXPECT_EQ(c->info.printfs[1].severity, BTC_SEV_CAT);
  EXPECT_EQ(c->info.printfs[2].severity, BTC_SEV_JOIN);
  EXPECT_EQ(c->info.printfs[2].fmt, ",");
  EXPECT_EQ(c->info.printfs[3].fmt, " ");
  EXPECT_EQ(c->info.printfs[3].args.size(), 16u);
}

TEST(UserOutputFunctions, AddressAndCgroupFields) {
  auto c =
      check("BEGIN { @a[ntop(1)] = macaddr(0); print(cgroup_path(1, \"uni*\")); @p = (uint32)pton(\"1.2.3.4\"); }");
  ASSERT_TRUE(c->ok) << c->first_error();
  std::string host = host_of(*c);
  EXPECT_NE(host.find("{BTC_T_INET, 0, 24, 0}"), std::string::npos) << host;
  EXPECT_NE(host.find("{BTC_T_MACADDR, 0, 8, 0}"), std::string::npos) << host;
  EXPECT_NE(host.find("{BTC_T_CGROUP_PATH, 0, 8, 0}"), std::string::npos) << host;
  EXPECT_NE(host.find("\"uni*\""), std::string::npos) << host;
  EXPECT_EQ(to_string(c->info.map("@p").value), "uint64");
  EXPECT_EQ(check("BEGIN { @b = buf(pton(\"::1\")); }")->info.maps[0].value.size, 8u + 16u);
}

// Only tools that print cgroup paths (map values, printf arguments) link the runtime's hierarchy walk.
TEST(UserOutputFunctions, CgroupPathCodeIsLinkedOnlyWhenPrinted) {
  auto in_map = check("BEGIN { @c[1] = cgroup_path(1); }");
  ASSERT_TRUE(in_map->ok) << in_map->first_error();
  EXPECT_NE(host_of(*in_map).find("&btc_cgroup_path_functions,"), std::string::npos);
  auto in_printf = check("BEGIN { printf(\"%s\\n\", cgroup_path(1)); }");
  ASSERT_TRUE(in_printf->ok) << in_printf->first_error();
  EXPECT_NE(host_of(*in_printf).find("&btc_cgroup_path_functions,"), std::string::npos);
  auto none = check("BEGIN { @a[ntop(1)] = 1; }");
  ASSERT_TRUE(none->ok) << none->first_error();
  EXPECT_EQ(host_of(*none).find("btc_cgroup_path_functions"), std::string::npos);
}

}  // namespace
}  // namespace btc

namespace btc::rt {
namespace {

TEST(RuntimeUserOutput, BufferFieldShowsItsLength) {
  rt_test::Bytes b = rt_test::Bytes().u64(3).str("ab\ncd", 8);
  btc_field f{BTC_T_BUF, 0, 16, 0};
  Printable v = decode_field(f, b.data.data());
  EXPECT_EQ(to_text(v), "ab\\x0a");
  EXPECT_EQ(format_printf(parse_format("%rh|%rx"), {v, v}), "61 62 0a|\\x61\\x62\\x0a");
  rt_test::Bytes too_long = rt_test::Bytes().u64(100).str("abcdefgh", 8);
  EXPECT_EQ(to_text(decode_field(f, too_long.data.data())), "abcdefgh");  // never past the capacity
}

TEST(RuntimeUserOutput, InetAndMacAddresses) {
  const uint8_t v4[16] = {127, 0, 0, 1};
  const uint8_t v6[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_EQ(format_inet(2, v4), "127.0.0.1");
  EXPECT_EQ(format_inet(10, v6), "fe80::1");
  EXPECT_EQ(format_inet(7, v4), "");
  const uint8_t mac[6] = {5, 4, 3, 2, 1, 0xab};
  EXPECT_EQ(format_mac_address(mac), "05:04:03:02:01:FF");  // bpftrace's signed-char quirk, cut at 17
  rt_test::Bytes b = rt_test::Bytes().u64(2).u8(10).u8(0).u8(0).u8(1).str("", 12);
  EXPECT_EQ(to_text(decode_field(btc_field{BTC_T_INET, 0, 24, 0}, b.data.data())), "10.0.0.1");
}

TEST(RuntimeUserOutput, CgroupFilterPatterns) {
  EXPECT_TRUE(wildcard_match("*", "unified"));
  EXPECT_TRUE(wildcard_match("uni*", "unified"));
  EXPECT_TRUE(wildcard_match("*f*d", "unified"));
  EXPECT_FALSE(wildcard_match("cpu", "cpuset"));
  EXPECT_TRUE(wildcard_match("cpu*", "cpuset"));
  EXPECT_EQ(resolve_cgroup_path(1, "no-such-hierarchy"), "");
}

TEST(RuntimeUserOutput, ShellCommands) {
  std::string out, err;
  EXPECT_TRUE(run_shell_command("echo a; echo b >&2", &out, &err));
  EXPECT_EQ(out, "a\nb\n");
  out.clear();
  EXPECT_FALSE(run_shell_command("echo lost; exit 4", &out, &err));
  EXPECT_EQ(err, "command exited with code 4");
}

TEST(RuntimeUserOutput, CatReadsAtMostTheLimit) {
  std::string path = ::testing::TempDir() + "btc_cat_test";
  std::ofstream(path) << "0123456789";
  std::string text, err;
  EXPECT_TRUE(read_file_head(path, 4, &text, &err));
  EXPECT_EQ(text, "0123");
  EXPECT_FALSE(read_file_head(path + ".missing", 4, &text, &err));
  EXPECT_EQ(err, "failed to open file '" + path + ".missing' (No such file or directory)");
  std::remove(path.c_str());
}

TEST(RuntimeUserOutput, JoinStopsAtTheFirstEmptyString) {
  const btc_field args[3] = {{BTC_T_STR, 0, 8, 0}, {BTC_T_STR, 8, 8, 0}, {BTC_T_STR, 16, 8, 0}};
  btc_printf_desc desc{",", 3, args, BTC_SEV_JOIN, nullptr};
  rt_test::Bytes b = rt_test::Bytes().str("ls", 8).str("-l", 8).str("", 8);
  EXPECT_EQ(join_strings(desc, b.data.data(), b.data.size()), "ls,-l");
  rt_test::Bytes gap = rt_test::Bytes().str("a", 8).str("", 8).str("c", 8);
  EXPECT_EQ(join_strings(desc, gap.data.data(), gap.data.size()), "a");
}

}  // namespace
}  // namespace btc::rt
