// Map merging, ordering and text rendering (non-histogram maps), checked
// against bpftrace 0.26's text output rules.
#include <gtest/gtest.h>

#include "map_data.h"
#include "map_text.h"
#include "map_view.h"
#include "runtime_test_util.h"

using namespace btc::rt;
using rt_test::Bytes;
using rt_test::field;

namespace {

using Map = rt_test::TestMap;

struct Element {
  Bytes key;
  Bytes values;
};

std::string render(const Map &m, const std::vector<Element> &elements, unsigned ncpus = 1, size_t stride = 8,
                   ViewOptions options = {}) {
  std::vector<RawElement> raw;
  for (const Element &e : elements) raw.push_back({e.key.data, e.values.data});
  return render_map_text(build_map_view(merge_elements(m.desc, raw, ncpus, stride), options));
}

const btc_field kInt64Key = field(BTC_T_INT, 0, 8);
const btc_field kU64Value = field(BTC_T_UINT, 0, 8);
const btc_field kS64Value = field(BTC_T_INT, 0, 8);

Bytes key0() { return Bytes().u64(0); }
Bytes k(int64_t v) { return Bytes().i64(v); }
Bytes u(uint64_t v) { return Bytes().u64(v); }

TEST(RuntimeMaps, ScalarCount) {
  Map m("@x", BTC_MAP_COUNT, {}, kU64Value);
  EXPECT_EQ(render(m, {{key0(), u(5)}}), "@x: 5\n");
}

TEST(RuntimeMaps, EmptyMapPrintsNothingAtExit) {
  Map scalar("@x", BTC_MAP_COUNT, {}, kU64Value);
  Map keyed("@y", BTC_MAP_COUNT, {kInt64Key}, kU64Value);
  EXPECT_EQ(render(scalar, {}), "");
  EXPECT_EQ(render(keyed, {}), "");
}

TEST(RuntimeMaps, PrintOfEmptyScalarShowsZero) {
  ViewOptions print;
  print.zero_if_empty = true;
  Map count("@", BTC_MAP_COUNT, {}, kU64Value);
  Map plain("@", BTC_MAP_PLAIN, {}, kS64Value);
  Map stats("@", BTC_MAP_STATS, {}, field(BTC_T_INT, 0, 16));
  Map str("@s", BTC_MAP_PLAIN, {}, field(BTC_T_STR, 0, 16));
  Map keyed("@k", BTC_MAP_COUNT, {kInt64Key}, kU64Value);
  EXPECT_EQ(render(count, {}, 1, 8, print), "@: 0\n");
  EXPECT_EQ(render(plain, {}, 1, 8, print), "@: 0\n");
  EXPECT_EQ(render(stats, {}, 1, 16, print), "@: { .count = 0, .average = 0, .total = 0 }\n");
  EXPECT_EQ(render(str, {}, 1, 16, print), "@s: \n");
  EXPECT_EQ(render(keyed, {}, 1, 8, print), "");
}

TEST(RuntimeMaps, KeyedCountSortedByValueThenKey) {
  Map m("@c", BTC_MAP_COUNT, {kInt64Key}, kU64Value);
  EXPECT_EQ(render(m, {{k(1), u(5)}, {k(2), u(3)}, {k(3), u(9)}}), "@c[2]: 3\n@c[1]: 5\n@c[3]: 9\n");
  EXPECT_EQ(render(m, {{k(3), u(1)}, {k(-1), u(1)}, {k(2), u(1)}}), "@c[-1]: 1\n@c[2]: 1\n@c[3]: 1\n");
}

TEST(RuntimeMaps, PerCpuCountsAreSummed) {
  Map m("@c", BTC_MAP_COUNT, {kInt64Key}, kU64Value);
  EXPECT_EQ(render(m, {{k(7), Bytes().u64(1).u64(2).u64(3)}}, 3, 8), "@c[7]: 6\n");
}

TEST(RuntimeMaps, StringKeys) {
  Map m("@", BTC_MAP_COUNT, {field(BTC_T_STR, 0, 16)}, kU64Value);
  EXPECT_EQ(render(m, {{Bytes().str("bash", 16), u(2)}, {Bytes().str("sshd", 16), u(1)}}), "@[sshd]: 1\n@[bash]: 2\n");
}

TEST(RuntimeMaps, TupleKeysLoseTheirParentheses) {
  Map m("@t", BTC_MAP_COUNT, {field(BTC_T_INT, 0, 8), field(BTC_T_STR, 8, 8)}, kU64Value);
  EXPECT_EQ(render(m, {{Bytes().i64(1).str("a", 8), u(2)}}), "@t[1, a]: 2\n");
  EXPECT_EQ(render(m, {{Bytes().i64(0).str("", 8), u(2)}}), "@t[0, ]: 2\n");
}

TEST(RuntimeMaps, TupleKeysOrderedFieldByField) {
  Map m("@t", BTC_MAP_PLAIN, {field(BTC_T_UINT, 0, 8), field(BTC_T_STR, 8, 8)}, field(BTC_T_STR, 0, 8));
  std::vector<Element> elements = {{Bytes().u64(2).str("b", 8), Bytes().str("v1", 8)},
                                   {Bytes().u64(1).str("b", 8), Bytes().str("v2", 8)},
                                   {Bytes().u64(2).str("a", 8), Bytes().str("v3", 8)},
                                   {Bytes().u64(1).str("a", 8), Bytes().str("v4", 8)}};
  EXPECT_EQ(render(m, elements), "@t[1, a]: v4\n@t[1, b]: v2\n@t[2, a]: v3\n@t[2, b]: v1\n");
}

TEST(RuntimeMaps, IntegerKeysCompareAsSigned) {
  Map m("@", BTC_MAP_PLAIN, {field(BTC_T_UINT, 0, 4)}, field(BTC_T_STR, 0, 4));
  std::vector<Element> elements = {{Bytes().u32(1), Bytes().str("one", 4)},
                                   {Bytes().u32(0xffffffff), Bytes().str("max", 4)}};
  EXPECT_EQ(render(m, elements), "@[4294967295]: max\n@[1]: one\n");
}

TEST(RuntimeMaps, PlainIntegerValuesSortedByValue) {
  Map m("@v", BTC_MAP_PLAIN, {kInt64Key}, kS64Value);
  EXPECT_EQ(render(m, {{k(1), Bytes().i64(5)}, {k(2), Bytes().i64(-11)}, {k(3), Bytes().i64(0)}}),
            "@v[2]: -11\n@v[3]: 0\n@v[1]: 5\n");
}

TEST(RuntimeMaps, PlainStringValuesSortedByKey) {
  Map m("@s", BTC_MAP_PLAIN, {kInt64Key}, field(BTC_T_STR, 0, 16));
  std::vector<Element> elements = {
      {k(3), Bytes().str("hello", 16)}, {k(1), Bytes().str("world", 16)}, {k(2), Bytes().str("bpf", 16)}};
  EXPECT_EQ(render(m, elements), "@s[1]: world\n@s[2]: bpf\n@s[3]: hello\n");
}

TEST(RuntimeMaps, TruncatedStringsGetTrailer) {
  Map m("@s", BTC_MAP_PLAIN, {}, field(BTC_T_STR, 0, 4));
  EXPECT_EQ(render(m, {{key0(), Bytes().str("abcd", 4)}}), "@s: abcd..\n");
}

TEST(RuntimeMaps, BoolAndNegativeValues) {
  Map b("@b", BTC_MAP_PLAIN, {}, field(BTC_T_BOOL, 0, 1));
  EXPECT_EQ(render(b, {{key0(), Bytes().u8(1)}}), "@b: true\n");
  Map s("@", BTC_MAP_PLAIN, {}, field(BTC_T_INT, 0, 4));
  EXPECT_EQ(render(s, {{key0(), Bytes().i32(-11)}}), "@: -11\n");
}

TEST(RuntimeMaps, SumIsSignedUnlessDeclaredUnsigned) {
  Map sum("@", BTC_MAP_SUM, {}, field(BTC_T_INT, 0, 8));
  EXPECT_EQ(render(sum, {{key0(), Bytes().i64(10).i64(-20)}}, 2), "@: -10\n");
  Map usum("@", BTC_MAP_SUM, {}, field(BTC_T_UINT, 0, 8));
  EXPECT_EQ(render(usum, {{key0(), Bytes().i64(10).i64(-20)}}, 2), "@: 18446744073709551606\n");
}

TEST(RuntimeMaps, SignedValuesSortBelowZeroUnsignedOnesAbove) {
  Map sum("@", BTC_MAP_SUM, {kInt64Key}, field(BTC_T_INT, 0, 8));
  std::vector<Element> elements = {{k(1), Bytes().i64(7)}, {k(2), Bytes().i64(-3)}, {k(3), Bytes().i64(0)}};
  EXPECT_EQ(render(sum, elements), "@[2]: -3\n@[3]: 0\n@[1]: 7\n");
  Map usum("@", BTC_MAP_SUM, {kInt64Key}, field(BTC_T_UINT, 0, 8));
  EXPECT_EQ(render(usum, elements), "@[3]: 0\n@[1]: 7\n@[2]: 18446744073709551613\n");
  Map avg("@", BTC_MAP_AVG, {kInt64Key}, field(BTC_T_INT, 0, 16));
  EXPECT_EQ(render(avg, {{k(1), Bytes().i64(4).u64(2)}, {k(2), Bytes().i64(-9).u64(3)}}, 1, 16), "@[2]: -3\n@[1]: 2\n");
}

Bytes minmax(int64_t value, bool set) { return Bytes().i64(value).u64(set ? 1 : 0); }

TEST(RuntimeMaps, MinMaxOverCpusWithAValue) {
  Map max("@max", BTC_MAP_MAX, {kInt64Key}, field(BTC_T_INT, 0, 16));
  Bytes v1 = minmax(5, true).append(minmax(8, true));
  Bytes v2 = minmax(15, false).append(minmax(12, true));
  EXPECT_EQ(render(max, {{k(2), v2}, {k(1), v1}}, 2, 16), "@max[1]: 8\n@max[2]: 12\n");

  Map min("@min", BTC_MAP_MIN, {}, field(BTC_T_INT, 0, 16));
  Bytes v3 = minmax(-3, true).append(minmax(-9, false));
  EXPECT_EQ(render(min, {{key0(), v3}}, 2, 16), "@min: -3\n");

  Bytes unset = minmax(4, false);
  EXPECT_EQ(render(min, {{key0(), unset}}, 1, 16), "@min: 0\n");
}

TEST(RuntimeMaps, MinMaxSortAsUnsignedLikeBpftrace) {
  Map min("@", BTC_MAP_MIN, {kInt64Key}, field(BTC_T_INT, 0, 16));
  EXPECT_EQ(render(min, {{k(1), minmax(-5, true)}, {k(2), minmax(3, true)}}, 1, 16), "@[2]: 3\n@[1]: -5\n");
}

Bytes avg(int64_t total, uint64_t count) { return Bytes().i64(total).u64(count); }

TEST(RuntimeMaps, AvgIsIntegerAverageOverCpus) {
  Map m("@", BTC_MAP_AVG, {}, field(BTC_T_INT, 0, 16));
  Bytes v = avg(-30, 1).append(avg(-10, 1));
  EXPECT_EQ(render(m, {{key0(), v}}, 2, 16), "@: -20\n");
  EXPECT_EQ(render(m, {{key0(), avg(10, 3)}}, 1, 16), "@: 3\n");
}

TEST(RuntimeMaps, AvgKeyedSortedByAverage) {
  Map m("@a", BTC_MAP_AVG, {field(BTC_T_STR, 0, 8)}, field(BTC_T_INT, 0, 16));
  std::vector<Element> elements = {
      {Bytes().str("a", 8), avg(40, 1)}, {Bytes().str("b", 8), avg(30, 3)}, {Bytes().str("c", 8), avg(20, 1)}};
  EXPECT_EQ(render(m, elements, 1, 16), "@a[b]: 10\n@a[c]: 20\n@a[a]: 40\n");
}

TEST(RuntimeMaps, StatsPrintCountAverageTotal) {
  Map m("@stats", BTC_MAP_STATS, {}, field(BTC_T_INT, 0, 16));
  EXPECT_EQ(render(m, {{key0(), avg(6, 3)}}, 1, 16), "@stats: { .count = 3, .average = 2, .total = 6 }\n");
  EXPECT_EQ(render(m, {{key0(), avg(-10, 3)}}, 1, 16), "@stats: { .count = 3, .average = -3, .total = -10 }\n");

  Map keyed("@s", BTC_MAP_STATS, {kInt64Key}, field(BTC_T_INT, 0, 16));
  EXPECT_EQ(render(keyed, {{k(1), avg(100, 2)}, {k(2), avg(9, 3)}}, 1, 16),
            "@s[2]: { .count = 3, .average = 3, .total = 9 }\n"
            "@s[1]: { .count = 2, .average = 50, .total = 100 }\n");
}

TEST(RuntimeMaps, TopKeepsTheLargestAndDivDivides) {
  Map m("@c", BTC_MAP_COUNT, {kInt64Key}, kU64Value);
  std::vector<Element> elements = {{k(1), u(5)}, {k(3), u(10)}, {k(5), u(4)}, {k(7), u(11)}, {k(9), u(7)}};
  ViewOptions top;
  top.top = 2;
  EXPECT_EQ(render(m, elements, 1, 8, top), "@c[3]: 10\n@c[7]: 11\n");
  ViewOptions div;
  div.div = 3;
  EXPECT_EQ(render(m, elements, 1, 8, div), "@c[5]: 1\n@c[1]: 1\n@c[9]: 2\n@c[3]: 3\n@c[7]: 3\n");
  ViewOptions both;
  both.top = 10;
  both.div = 0;
  EXPECT_EQ(render(m, elements, 1, 8, both), "@c[5]: 4\n@c[1]: 5\n@c[9]: 7\n@c[3]: 10\n@c[7]: 11\n");
}

TEST(RuntimeMaps, DivDividesAverageButNotStatsTotals) {
  Map m("@s", BTC_MAP_STATS, {}, field(BTC_T_INT, 0, 16));
  ViewOptions div;
  div.div = 2;
  EXPECT_EQ(render(m, {{key0(), avg(60, 3)}}, 1, 16, div), "@s: { .count = 3, .average = 10, .total = 60 }\n");
}

TEST(RuntimeMaps, KeyTextWithParenthesesIsStrippedToo) {
  Map m("@", BTC_MAP_COUNT, {field(BTC_T_STR, 0, 8)}, kU64Value);
  EXPECT_EQ(render(m, {{Bytes().str("(x)", 8), u(1)}}), "@[x]: 1\n");
}

TEST(RuntimeMaps, MergeGroupsHistogramBuckets) {
  Map m("@h", BTC_MAP_HIST, {kInt64Key});
  m.desc.key_size = 16;
  std::vector<RawElement> raw = {{Bytes().i64(1).u64(3).data, Bytes().u64(2).u64(1).data},
                                 {Bytes().i64(1).u64(1).data, Bytes().u64(4).u64(0).data},
                                 {Bytes().i64(2).u64(0).data, Bytes().u64(0).u64(7).data}};
  MapData data = merge_elements(m.desc, raw, 2, 8);
  ASSERT_EQ(data.entries.size(), 2u);
  EXPECT_EQ(data.entries[0].key, Bytes().i64(1).data);
  EXPECT_EQ(data.entries[0].buckets, (std::vector<uint64_t>{0, 4, 0, 3}));
  EXPECT_EQ(data.entries[1].buckets, (std::vector<uint64_t>{7}));
}

// Key-less hist in one per-CPU array element: {touched, counts[3]} per CPU, 32 bytes apart.
TEST(RuntimeMaps, HistSlotsBecomeOneElementPerNonZeroBucket) {
  Bytes values = Bytes().u64(1).u64(0).u64(2).u64(0).u64(1).u64(0).u64(3).u64(5);
  std::vector<RawElement> raw = hist_slot_elements(values.data.data(), 2, 32, 3);
  ASSERT_EQ(raw.size(), 2u);
  EXPECT_EQ(raw[0].key, Bytes().u64(1).data);
  EXPECT_EQ(raw[0].values, Bytes().u64(2).u64(3).data);
  EXPECT_EQ(raw[1].key, Bytes().u64(2).data);
  EXPECT_EQ(raw[1].values, Bytes().u64(0).u64(5).data);
  Map m("@h", BTC_MAP_HIST, {});
  MapData data = merge_elements(m.desc, raw, 2, 8);
  ASSERT_EQ(data.entries.size(), 1u);
  EXPECT_EQ(data.entries[0].buckets, (std::vector<uint64_t>{0, 5, 5}));
}

TEST(RuntimeMaps, HistSlotsUntouchedAreEmptyAndZeroedKeepTheEntry) {
  Bytes untouched = Bytes().u64(0).u64(0).u64(0);
  EXPECT_TRUE(hist_slot_elements(untouched.data.data(), 1, 24, 2).empty());
  Bytes zeroed = Bytes().u64(1).u64(0).u64(0);  // after zero(): touched, all counts 0
  std::vector<RawElement> raw = hist_slot_elements(zeroed.data.data(), 1, 24, 2);
  ASSERT_EQ(raw.size(), 1u);
  Map m("@h", BTC_MAP_HIST, {});
  EXPECT_EQ(render_map_text(build_map_view(merge_elements(m.desc, raw, 1, 8), {})), "@h:\n\n");
}

TEST(RuntimeMaps, ShortPerCpuValuesAreSkipped) {
  Map m("@c", BTC_MAP_COUNT, {kInt64Key}, kU64Value);
  std::vector<RawElement> raw = {{k(1).data, Bytes().u64(1).data}};
  EXPECT_TRUE(merge_elements(m.desc, raw, 2, 8).entries.empty());
}

}  // namespace
