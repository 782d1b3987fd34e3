// BTC_T_TUPLE fields: decoding nested tuples through btc_tool.tuples, and their text and JSON
// forms (bpftrace's "(1, (2, x))" and [1,[2,"x"]]).
#include <gtest/gtest.h>

#include "field_decode.h"
#include "map_json.h"
#include "printable.h"
#include "runtime_test_util.h"

using btc::rt::decode_field;
using btc::rt::json_value;
using btc::rt::set_field_tuples;
using btc::rt::to_text;
using rt_test::Bytes;
using rt_test::field;

namespace {

// (int8, (int16, string[3]), uint64): the inner tuple at 2 (size 6, align 2), the u64 at 8.
const btc_field kInner[] = {field(BTC_T_INT, 0, 2), field(BTC_T_STR, 2, 3)};
const btc_field kOuter[] = {field(BTC_T_INT, 0, 1), btc_field{BTC_T_TUPLE, 2, 6, 0}, field(BTC_T_UINT, 8, 8)};
const btc_field_list kLists[] = {{2, kInner}, {3, kOuter}};

class RuntimeTuple : public ::testing::Test {
 protected:
  void SetUp() override { set_field_tuples(kLists, 2); }
  void TearDown() override { set_field_tuples(nullptr, 0); }
};

Bytes outer_value() { return Bytes().i8(-5).u8(0).i16(300).str("ab", 3).u8(0).u64(7); }

TEST_F(RuntimeTuple, NestedTupleText) {
  Bytes b = Bytes().u64(0).append(outer_value());  // the tuple at offset 8 of a record
  auto p = decode_field(btc_field{BTC_T_TUPLE, 8, 16, 1}, b.data.data());
  EXPECT_EQ(to_text(p), "(-5, (300, ab), 7)");
}

TEST_F(RuntimeTuple, NestedTupleJson) {
  Bytes b = outer_value();
  auto p = decode_field(btc_field{BTC_T_TUPLE, 0, 16, 1}, b.data.data());
  EXPECT_EQ(json_value(p), "[-5,[300,\"ab\"],7]");
}

TEST_F(RuntimeTuple, AFullStringElementGetsTheTruncationTrailer) {
  Bytes b = Bytes().i16(1).str("abc", 3).u8(0);
  auto p = decode_field(btc_field{BTC_T_TUPLE, 0, 6, 0}, b.data.data());
  EXPECT_EQ(to_text(p), "(1, abc..)");
}

TEST_F(RuntimeTuple, AnUnknownListIsNull) {
  Bytes b = outer_value();
  auto p = decode_field(btc_field{BTC_T_TUPLE, 0, 16, 9}, b.data.data());
  EXPECT_EQ(to_text(p), "null");
}

}  // namespace
