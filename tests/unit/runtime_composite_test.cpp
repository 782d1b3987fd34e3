// BTC_T_RECORD and BTC_T_ARRAY fields: whole structs and arrays decoded through btc_tool.tuples,
// in bpftrace's text form ("{ .a = 1, .in = { .b = 2 } }", "[1,2]") and as JSON objects/arrays.
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

// struct Foo { int32 id; char name[4]; struct { int16 b; } in; int32 arr[2]; int32 m[2][2]; }
const btc_field kInt32[] = {field(BTC_T_INT, 0, 4)};        // list 0: an int32 element
const btc_field kInnerFields[] = {field(BTC_T_INT, 0, 2)};  // list 1: struct { int16 b; }
const char *const kInnerNames[] = {"b"};
const btc_field kRow[] = {btc_field{BTC_T_ARRAY, 0, 8, 0}};  // list 2: an int32[2] element
const btc_field kFooFields[] = {field(BTC_T_INT, 0, 4), field(BTC_T_STR, 4, 4), btc_field{BTC_T_RECORD, 8, 2, 1},
                                btc_field{BTC_T_ARRAY, 12, 8, 0}, btc_field{BTC_T_ARRAY, 20, 16, 2}};
const char *const kFooNames[] = {"id", "name", "in", "arr", "m"};
const btc_field_list kLists[] = {
    {1, kInt32, nullptr}, {1, kInnerFields, kInnerNames}, {1, kRow, nullptr}, {5, kFooFields, kFooNames}};

class RuntimeComposite : public ::testing::Test {
 protected:
  void SetUp() override { set_field_tuples(kLists, 4); }
  void TearDown() override { set_field_tuples(nullptr, 0); }
};

Bytes foo_value() { return Bytes().i32(7).str("ab", 4).i16(-2).i16(0).i32(10).i32(20).i32(5).i32(6).i32(7).i32(8); }

TEST_F(RuntimeComposite, ArrayText) {
  Bytes b = Bytes().i32(1).i32(-2).i32(3);
  EXPECT_EQ(to_text(decode_field(btc_field{BTC_T_ARRAY, 0, 12, 0}, b.data.data())), "[1,-2,3]");
}

TEST_F(RuntimeComposite, TheSizeGivesTheElementCount) {
  Bytes b = Bytes().i32(1).i32(2).i32(3);
  EXPECT_EQ(to_text(decode_field(btc_field{BTC_T_ARRAY, 4, 8, 0}, b.data.data())), "[2,3]");
}

TEST_F(RuntimeComposite, NestedStructText) {
  Bytes b = Bytes().u64(0).append(foo_value());  // the struct at offset 8
  auto p = decode_field(btc_field{BTC_T_RECORD, 8, 36, 3}, b.data.data());
  EXPECT_EQ(to_text(p), "{ .id = 7, .name = ab, .in = { .b = -2 }, .arr = [10,20], .m = [[5,6],[7,8]] }");
}

TEST_F(RuntimeComposite, NestedStructJson) {
  Bytes b = foo_value();
  auto p = decode_field(btc_field{BTC_T_RECORD, 0, 36, 3}, b.data.data());
  EXPECT_EQ(json_value(p),
            "{\"id\": 7, \"name\": \"ab\", \"in\": {\"b\": -2}, \"arr\": [10,20], \"m\": [[5,6],[7,8]]}");
}

TEST_F(RuntimeComposite, AStructInsideATuple) {
  const btc_field elems[] = {field(BTC_T_INT, 0, 4), btc_field{BTC_T_RECORD, 4, 2, 1}};
  const btc_field_list lists[] = {kLists[0], kLists[1], {2, elems, nullptr}};
  set_field_tuples(lists, 3);
  Bytes b = Bytes().i32(1).i16(3);
  auto p = decode_field(btc_field{BTC_T_TUPLE, 0, 8, 2}, b.data.data());
  EXPECT_EQ(to_text(p), "(1, { .b = 3 })");
  EXPECT_EQ(json_value(p), "[1,{\"b\": 3}]");
}

TEST_F(RuntimeComposite, BitfieldMembers) {
  // struct { u64 x_0:1, x_1:1, x_2:2; } holding 0x1e, and a signed member's 4 bits 8..11.
  Bytes b = Bytes().u64(0x1e);
  EXPECT_EQ(to_text(decode_field(btc_field{BTC_T_UINT, 0, 8, 1 << 8 | 0}, b.data.data())), "0");
  EXPECT_EQ(to_text(decode_field(btc_field{BTC_T_UINT, 0, 8, 1 << 8 | 1}, b.data.data())), "1");
  EXPECT_EQ(to_text(decode_field(btc_field{BTC_T_UINT, 0, 8, 2 << 8 | 2}, b.data.data())), "3");
  Bytes s = Bytes().i16(static_cast<int16_t>(0xba00));
  EXPECT_EQ(to_text(decode_field(btc_field{BTC_T_INT, 0, 2, 4 << 8 | 8}, s.data.data())), "10");
  EXPECT_EQ(to_text(decode_field(btc_field{BTC_T_UINT, 0, 8, 64 << 8 | 0}, Bytes().u64(~0ULL).data.data())),
            "18446744073709551615");
}

TEST_F(RuntimeComposite, AnUnknownListIsNull) {
  Bytes b = foo_value();
  EXPECT_EQ(to_text(decode_field(btc_field{BTC_T_RECORD, 0, 36, 9}, b.data.data())), "null");
  EXPECT_EQ(to_text(decode_field(btc_field{BTC_T_ARRAY, 0, 8, 9}, b.data.data())), "null");
}

}  // namespace
