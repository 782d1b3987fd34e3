// Integers from the tool's command line, read with bpftrace's rules and
// its words for what is wrong.
#include <gtest/gtest.h>

#include "int_text.h"

using namespace btc::rt;

namespace {

TEST(RuntimeIntText, Spellings) {
  EXPECT_EQ(read_uint("1_000").value, 1000u);
  EXPECT_EQ(read_uint("0x1f").value, 31u);
  EXPECT_EQ(read_uint("0b101").value, 5u);
  EXPECT_EQ(read_uint("017").value, 15u);
  EXPECT_EQ(read_uint("2e3").value, 2000u);
  EXPECT_EQ(read_uint("5ms").value, 5000000u);
  EXPECT_EQ(read_uint("7u").value, 7u);
  EXPECT_EQ(static_cast<int64_t>(read_int("-12").value), -12);
  EXPECT_EQ(static_cast<int64_t>(read_int("-9223372036854775808").value), INT64_MIN);
  EXPECT_TRUE(read_int("").ok);
}

TEST(RuntimeIntText, BpftracesMessages) {
  EXPECT_EQ(int_reading_message(read_uint("a1111")), "invalid integer: a1111");
  EXPECT_EQ(int_reading_message(read_uint("111a1")), "invalid trailing bytes: 111a1");
  EXPECT_EQ(int_reading_message(read_uint("0xzz")), "invalid integer: zz");  // after the prefix, as bpftrace
  EXPECT_EQ(int_reading_message(read_uint("12e3")), "coefficient part of scientific literal must be 1-9: 12e3");
  EXPECT_EQ(int_reading_message(read_uint("5000000000u")), "overflow error, maximum value is 4294967295: 5000000000u");
  EXPECT_EQ(int_reading_message(read_int("9223372036854775808")),
            "overflow error, maximum value is 9223372036854775807: 9223372036854775808");
  EXPECT_TRUE(read_uint("99999999999999999999").overflow);
  EXPECT_FALSE(read_uint("").ok);
}

}  // namespace
