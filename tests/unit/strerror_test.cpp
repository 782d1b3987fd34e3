// strerror(errno): checker type and refusals, the BTC_T_STRERROR host field and the runtime's
// errno messages.
#include <gtest/gtest.h>

#include "check/checker.h"
#include "emit/host_emitter.h"
#include "errno_text.h"
#include "field_decode.h"
#include "parse/parser.h"
#include "check_test_util.h"
#include "runtime_test_util.h"

namespace btc {
namespace {

using testing::Checked;
using testing::check;

TEST(Strerror, IsARuntimePrintedValueInPrintfsPrintAndMapValues) {
  auto c = check("BEGIN { printf(\"%s\\n\", strerror(1)); print(strerror(2)); @v = strerror(3); }");
  ASSERT_TRUE(c->ok) << c->first_error();
  EXPECT_EQ(to_string(c->info.printfs[0].args.at(0)), "strerror_t");
  EXPECT_EQ(c->info.printfs[1].fmt, "%s\n");
  std::string host = emit_host_cpp(c->info, HostInputs{});
  EXPECT_NE(host.find("printf_args_0[] = {{BTC_T_STRERROR, 0, 8, 0}}"), std::string::npos) << host;
  EXPECT_NE(host.find("nullptr, {BTC_T_STRERROR, 0, 8, 0}, "), std::string::npos) << host;
}

TEST(Strerror, Refusals) {
  auto a = check("BEGIN { print(strerror(\"x\")); }");
  EXPECT_FALSE(a->ok);
  EXPECT_NE(a->first_error().find("strerror() needs an integer errno value, not string"), std::string::npos)
      << a->first_error();
  auto b = check("BEGIN { printf(\"%d\\n\", strerror(1)); }");
  EXPECT_FALSE(b->ok);
  EXPECT_NE(b->first_error().find("does not fit argument 1 of type strerror_t"), std::string::npos) << b->first_error();
}

}  // namespace
}  // namespace btc

namespace btc::rt {
namespace {

TEST(RuntimeStrerror, KernelMessages) {
  EXPECT_STREQ(errno_text(1), "Operation not permitted");
  EXPECT_STREQ(errno_text(-2), "No such file or directory");
  EXPECT_STREQ(errno_text(11), "Try again (operation would block)");
  EXPECT_STREQ(errno_text(133), "Memory page has hardware error");
  EXPECT_STREQ(errno_text(0), "Unknown error");
  EXPECT_STREQ(errno_text(134), "Unknown error");
  EXPECT_STREQ(errno_text(INT32_MIN), "Unknown error");
  EXPECT_STREQ(errno_text(0x100000001LL), "Operation not permitted");  // taken as an int32
}

TEST(RuntimeStrerror, DecodesTheField) {
  rt_test::Bytes b = rt_test::Bytes().i64(-13);
  EXPECT_EQ(to_text(decode_field(btc_field{BTC_T_STRERROR, 0, 8, 0}, b.data.data())), "Permission denied");
}

}  // namespace
}  // namespace btc::rt
