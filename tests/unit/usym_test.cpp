// usym(addr) and reg(name): checker types and refusals, the 16-byte BTC_T_USYM host field
// (address, then pid) and the runtime's symbolization of it without an offset.
#include <gtest/gtest.h>
#include <unistd.h>

#include "check/checker.h"
#include "emit/host_emitter.h"
#include "field_decode.h"
#include "parse/parser.h"
#include "check_test_util.h"
#include "runtime_test_util.h"

extern "C" __attribute__((noinline, used)) int btc_usym_test_target(int x) { return x * 3 + 1; }

namespace btc {
namespace {

using testing::Checked;
using testing::check;

TEST(Usym, IsASixteenByteFieldInPrintfsAndMapKeys) {
  auto c = check("uprobe:/bin/sh:main { printf(\"%s\\n\", usym(reg(\"ip\"))); @[usym(reg(\"sp\"))] = count(); }");
  ASSERT_TRUE(c->ok) << c->first_error();
  EXPECT_EQ(c->info.printfs[0].args.at(0).kind, TypeKind::Usym);
  std::string host = emit_host_cpp(c->info, HostInputs{});
  EXPECT_NE(host.find("printf_args_0[] = {{BTC_T_USYM, 0, 16, 0}}"), std::string::npos) << host;
  EXPECT_NE(host.find("map_keys_0[] = {{BTC_T_USYM, 0, 16, 0}}"), std::string::npos) << host;
}

struct UsymRefusal {
  const char *script;
  const char *message;
  int col;
};

class UsymRefuses : public ::testing::TestWithParam<UsymRefusal> {};

TEST_P(UsymRefuses, WithMessageAndColumn) {
  const UsymRefusal &r = GetParam();
  auto c = check(r.script);
  ASSERT_FALSE(c->ok);
  EXPECT_NE(c->first_error().find(r.message), std::string::npos) << c->first_error();
  EXPECT_EQ(c->first_error_col(), r.col) << c->first_error();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UsymRefuses,
    ::testing::Values(UsymRefusal{"BEGIN { print(usym(\"x\")); }", "usym() needs an address, not string", 20},
                      UsymRefusal{"BEGIN { print(usym()); }", "usym() takes 1 argument, got 0", 15},
                      UsymRefusal{"BEGIN { print(reg(\"ip\")); }", "reg() can only be used in kprobe, uprobe", 15},
                      UsymRefusal{"uprobe:/bin/sh:main { print(reg(\"xy\")); }", "'xy' is not a register name", 33},
                      UsymRefusal{"uprobe:/bin/sh:main { print(reg(1)); }", "register name string literal", 33}));

}  // namespace
}  // namespace btc

namespace btc::rt {
namespace {

TEST(RuntimeUsym, SymbolizesTheAddressInTheProcessWithoutAnOffset) {
  uint64_t address = reinterpret_cast<uint64_t>(&btc_usym_test_target);
  rt_test::Bytes b = rt_test::Bytes().u64(address + 1).u64(static_cast<uint64_t>(getpid()));
  Printable p = decode_field(btc_field{BTC_T_USYM, 0, 16, 0}, b.data.data());
  EXPECT_EQ(p.kind, Printable::Kind::kSymbol);
  EXPECT_EQ(p.text, "btc_usym_test_target");
  EXPECT_EQ(p.uint, address + 1);
}

TEST(RuntimeUsym, UnknownAddressesAndEightByteFieldsPrintTheAddress) {
  rt_test::Bytes b = rt_test::Bytes().u64(0x10).u64(static_cast<uint64_t>(getpid()));
  EXPECT_EQ(decode_field(btc_field{BTC_T_USYM, 0, 16, 0}, b.data.data()).text, "0x10");
  EXPECT_EQ(decode_field(btc_field{BTC_T_USYM, 0, 8, 0}, b.data.data()).text, "0x10");
}

}  // namespace
}  // namespace btc::rt
