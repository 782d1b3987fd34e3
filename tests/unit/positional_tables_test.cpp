// Table entries that name a positional parameter ($N): interval rates, lhist() bounds and stack
// limits get the values of the tool's command line, or an error, before the tool loads.
#include "positional_tables.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace btc::rt;

namespace {

btc_params params_with(std::initializer_list<int64_t> values) {
  btc_params p;
  memset(&p, 0, sizeof p);
  size_t i = 0;
  for (int64_t v : values) p.param_int[i++] = v;
  p.nparams = values.size();
  return p;
}

btc_probe_desc interval_probe(uint64_t unit_ns, uint32_t param) {
  btc_probe_desc p{};
  p.prog_name = "p0";
  p.kind = BTC_PROBE_INTERVAL;
  p.spec = "interval:ms:$1";
  p.period = unit_ns;
  p.period_param = param;
  return p;
}

btc_map_desc lhist_map(int64_t min, int64_t max, int64_t step, uint32_t min_p, uint32_t max_p, uint32_t step_p) {
  btc_map_desc m{};
  m.name = "@h";
  m.bpf_name = "m_h";
  m.kind = BTC_MAP_LHIST;
  m.lhist_min = min;
  m.lhist_max = max;
  m.lhist_step = step;
  m.lhist_params[0] = min_p;
  m.lhist_params[1] = max_p;
  m.lhist_params[2] = step_p;
  return m;
}

TEST(PositionalTables, IntervalRateFromParameter) {
  btc_probe_desc probes[] = {interval_probe(1000000, 1), interval_probe(0, 2)};
  btc_tool tool{};
  tool.probes = probes;
  tool.nprobes = 2;
  ResolvedTool out;
  std::string error;
  ASSERT_TRUE(resolve_positional_tables(tool, params_with({50, 4}), out, error)) << error;
  EXPECT_EQ(out.tool.probes[0].period, 50000000u);   // 50 ms
  EXPECT_EQ(out.tool.probes[1].period, 250000000u);  // 4 hz
  EXPECT_EQ(out.tool.probes[0].period_param, 0u);
  EXPECT_EQ(probes[0].period, 1000000u);  // the tool's own tables are left alone

  EXPECT_FALSE(resolve_positional_tables(tool, params_with({0, 4}), out, error));
  EXPECT_EQ(error, "Invalid rate of interval:ms:$1: $1 is 0, it must be a positive integer");
}

TEST(PositionalTables, LhistBoundsFromParameters) {
  btc_map_desc maps[] = {lhist_map(0, 0, 0, 0, 1, 2)};
  btc_tool tool{};
  tool.maps = maps;
  tool.nmaps = 1;
  ResolvedTool out;
  std::string error;
  ASSERT_TRUE(resolve_positional_tables(tool, params_with({100, 10}), out, error)) << error;
  EXPECT_EQ(out.tool.maps[0].lhist_min, 0);
  EXPECT_EQ(out.tool.maps[0].lhist_max, 100);
  EXPECT_EQ(out.tool.maps[0].lhist_step, 10);

  EXPECT_FALSE(resolve_positional_tables(tool, params_with({100, 0}), out, error));
  EXPECT_EQ(error, "@h: lhist() step must be >= 1 (0 provided)");
  EXPECT_FALSE(resolve_positional_tables(tool, params_with({0, 1}), out, error));
  EXPECT_EQ(error, "@h: lhist() min must be less than max (provided min 0 and max 0)");
  EXPECT_FALSE(resolve_positional_tables(tool, params_with({5000, 1}), out, error));
  EXPECT_EQ(error, "@h: lhist() too many buckets, must be <= 1000 (would need 5000)");
}

TEST(PositionalTables, StackLimitMustBeInRange) {
  btc_field args[] = {{BTC_T_USTACK, 0, 16, BTC_STACK_LIMIT_PARAM | 1}};
  btc_printf_desc printfs[] = {{"%s", 1, args, BTC_SEV_PRINTF, nullptr, nullptr}};
  btc_tool tool{};
  tool.printfs = printfs;
  tool.nprintfs = 1;
  ResolvedTool out;
  std::string error;
  EXPECT_TRUE(resolve_positional_tables(tool, params_with({3}), out, error)) << error;
  EXPECT_FALSE(resolve_positional_tables(tool, params_with({0}), out, error));
  EXPECT_EQ(error, "ustack($1): the stack limit must be in 1..127, not 0");
  EXPECT_FALSE(resolve_positional_tables(tool, params_with({128}), out, error));
}

}  // namespace
