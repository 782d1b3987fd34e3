// BTC_T_ENUM fields: an enum value prints as its enumerator's name ("VALUE NAME" lines in
// btc_tool.strings), %d still gives the number, JSON keeps the number (as bpftrace).
#include <gtest/gtest.h>

#include "field_decode.h"
#include "map_json.h"
#include "printable.h"
#include "printf_format.h"
#include "runtime_test_util.h"

using btc::rt::decode_field;
using btc::rt::json_value;
using btc::rt::set_field_strings;
using btc::rt::to_text;
using rt_test::Bytes;

namespace {

const char *const kStrings[] = {"%H", "1 ONE\n2 TWO\n99999 OTHER\n-1 MINUS\n"};

class RuntimeEnum : public ::testing::Test {
 protected:
  void SetUp() override { set_field_strings(kStrings, 2); }
  void TearDown() override { set_field_strings(nullptr, 0); }
};

TEST_F(RuntimeEnum, KnownValuesPrintTheirNames) {
  Bytes b = Bytes().u64(99999);
  EXPECT_EQ(to_text(decode_field(btc_field{BTC_T_ENUM, 0, 8, 1}, b.data.data())), "OTHER");
  Bytes one = Bytes().u64(1);
  EXPECT_EQ(to_text(decode_field(btc_field{BTC_T_ENUM, 0, 8, 1}, one.data.data())), "ONE");
}

TEST_F(RuntimeEnum, NegativeValuesMatchToo) {
  Bytes b = Bytes().u64(static_cast<uint64_t>(-1));
  EXPECT_EQ(to_text(decode_field(btc_field{BTC_T_ENUM, 0, 8, 1}, b.data.data())), "MINUS");
}

TEST_F(RuntimeEnum, AnUnknownValuePrintsItsNumber) {
  Bytes b = Bytes().u64(7);
  EXPECT_EQ(to_text(decode_field(btc_field{BTC_T_ENUM, 0, 8, 1}, b.data.data())), "7");
}

TEST_F(RuntimeEnum, JsonKeepsTheNumber) {
  Bytes b = Bytes().u64(2);
  EXPECT_EQ(json_value(decode_field(btc_field{BTC_T_ENUM, 0, 8, 1}, b.data.data())), "2");
}

TEST_F(RuntimeEnum, PrintfPercentDIsTheNumberPercentSTheName) {
  Bytes b = Bytes().u64(2).u64(2);
  std::vector<btc::rt::Printable> args = {decode_field(btc_field{BTC_T_ENUM, 0, 8, 1}, b.data.data()),
                                          decode_field(btc_field{BTC_T_ENUM, 8, 8, 1}, b.data.data())};
  EXPECT_EQ(btc::rt::format_printf(btc::rt::parse_format("%d %-5s|"), args), "2 TWO  |");
}

}  // namespace
