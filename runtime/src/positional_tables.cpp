#include "positional_tables.h"

#include "stack_format.h"

namespace btc::rt {

static int64_t param_value(const btc_params &params, uint32_t n) {
  return n >= 1 && n <= BTC_MAX_PARAMS ? params.param_int[n - 1] : 0;
}

// interval:UNIT:$N / profile:UNIT:$N: the period in ns from the rate $N.
static bool resolve_period(btc_probe_desc &p, const btc_params &params, std::string &error) {
  int64_t rate = param_value(params, p.period_param);
  const std::string where =
      std::string(p.spec) + ": $" + std::to_string(p.period_param) + " is " + std::to_string(rate);
  if (rate <= 0) {
    error = "Invalid rate of " + where + ", it must be a positive integer";
    return false;
  }
  uint64_t unit = p.period;
  p.period = unit ? static_cast<uint64_t>(rate) * unit : 1000000000ULL / static_cast<uint64_t>(rate);
  if (p.period == 0) {
    error = "Invalid rate of " + where + ", more than 1000000000 hz";
    return false;
  }
  p.period_param = 0;
  return true;
}

// lhist(n, min, max, step) with parameters: bpftrace's checks, made when the values are known.
static bool resolve_lhist(btc_map_desc &m, const btc_params &params, std::string &error) {
  btc_s64 *values[3] = {&m.lhist_min, &m.lhist_max, &m.lhist_step};
  for (int i = 0; i < 3; i++)
    if (m.lhist_params[i]) *values[i] = param_value(params, m.lhist_params[i]);
  const std::string map = std::string(m.name) + ": ";
  if (m.lhist_min < 0 || m.lhist_max < 0) {
    error = map + "lhist() min and max must be non-negative (provided min " + std::to_string(m.lhist_min) +
            " and max " + std::to_string(m.lhist_max) + ")";
    return false;
  }
  if (m.lhist_step <= 0) {
    error = map + "lhist() step must be >= 1 (" + std::to_string(m.lhist_step) + " provided)";
    return false;
  }
  if (m.lhist_min >= m.lhist_max) {
    error = map + "lhist() min must be less than max (provided min " + std::to_string(m.lhist_min) + " and max " +
            std::to_string(m.lhist_max) + ")";
    return false;
  }
  int64_t buckets = (m.lhist_max - m.lhist_min) / m.lhist_step;
  if (buckets > 1000) {
    error = map + "lhist() too many buckets, must be <= 1000 (would need " + std::to_string(buckets) + ")";
    return false;
  }
  m.lhist_params[0] = m.lhist_params[1] = m.lhist_params[2] = 0;
  return true;
}

// Every stack field whose limit is a parameter must get a limit in 1..BTC_MAX_STACK_FRAMES.
static bool check_stack_limit(const btc_field &f, const btc_params &params, std::string &error) {
  if (f.type != BTC_T_KSTACK && f.type != BTC_T_USTACK) return true;
  uint32_t limit = f.pad & 0xffff;
  if (!(limit & BTC_STACK_LIMIT_PARAM)) return true;
  uint32_t n = limit & ~BTC_STACK_LIMIT_PARAM;
  int64_t value = param_value(params, n);
  if (value >= 1 && value <= BTC_MAX_STACK_FRAMES) return true;
  error = std::string(f.type == BTC_T_KSTACK ? "kstack" : "ustack") + "($" + std::to_string(n) +
          "): the stack limit must be in 1.." + std::to_string(BTC_MAX_STACK_FRAMES) + ", not " + std::to_string(value);
  return false;
}

static bool check_stack_limits(const btc_tool &tool, const btc_params &params, std::string &error) {
  for (uint32_t i = 0; i < tool.nprintfs; i++)
    for (uint32_t j = 0; j < tool.printfs[i].nargs; j++)
      if (!check_stack_limit(tool.printfs[i].args[j], params, error)) return false;
  for (uint32_t i = 0; i < tool.nmaps; i++) {
    for (uint32_t j = 0; j < tool.maps[i].nkeys; j++)
      if (!check_stack_limit(tool.maps[i].keys[j], params, error)) return false;
    if (!check_stack_limit(tool.maps[i].value, params, error)) return false;
  }
  for (uint32_t i = 0; i < tool.ntuples; i++)
    for (uint32_t j = 0; j < tool.tuples[i].nfields; j++)
      if (!check_stack_limit(tool.tuples[i].fields[j], params, error)) return false;
  return true;
}

bool resolve_positional_tables(const btc_tool &in, const btc_params &params, ResolvedTool &out, std::string &error) {
  out.tool = in;
  out.probes.assign(in.probes, in.probes + in.nprobes);
  out.maps.assign(in.maps, in.maps + in.nmaps);
  for (auto &p : out.probes)
    if (p.period_param && !resolve_period(p, params, error)) return false;
  for (auto &m : out.maps)
    if (m.kind == BTC_MAP_LHIST && (m.lhist_params[0] || m.lhist_params[1] || m.lhist_params[2]) &&
        !resolve_lhist(m, params, error))
      return false;
  out.tool.probes = out.probes.data();
  out.tool.maps = out.maps.data();
  if (!check_stack_limits(in, params, error)) return false;
  set_stack_limit_params(params.param_int);
  return true;
}

}  // namespace btc::rt
