#include <algorithm>
#include <cstddef>
#include <cstring>
#include <map>

#include "map_data.h"

namespace btc::rt {

// hist() uses at most 65 << 5 bucket indexes and lhist() at most ~1000; anything
// far above that is not a bucket index and is dropped rather than allocated.
static const uint64_t kMaxBucketIndex = 1 << 16;

bool map_value_is_signed(const btc_map_desc &desc) {
  switch (desc.kind) {
    case BTC_MAP_COUNT:
    case BTC_MAP_HIST:
    case BTC_MAP_LHIST:
      return false;
    case BTC_MAP_PLAIN:
    case BTC_MAP_TSERIES:
      return desc.value.type == BTC_T_INT;
    default:
      return desc.value.type != BTC_T_UINT;
  }
}

static uint64_t load_u64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}

static uint64_t sum_u64(const RawElement &e, unsigned ncpus, size_t stride) {
  uint64_t sum = 0;
  for (unsigned cpu = 0; cpu < ncpus; cpu++) sum += load_u64(e.values.data() + cpu * stride);
  return sum;
}

// min/max over the CPUs whose is_set flag is set; 0 when none is.
static uint64_t merge_minmax(const RawElement &e, unsigned ncpus, size_t stride, bool is_max, bool is_signed) {
  bool found = false;
  uint64_t best = 0;
  for (unsigned cpu = 0; cpu < ncpus; cpu++) {
    const uint8_t *p = e.values.data() + cpu * stride;
    uint64_t value = load_u64(p + offsetof(btc_minmax, value));
    if (!load_u64(p + offsetof(btc_minmax, is_set))) continue;
    bool better;
    if (is_signed)
      better = is_max ? static_cast<int64_t>(value) > static_cast<int64_t>(best)
                      : static_cast<int64_t>(value) < static_cast<int64_t>(best);
    else
      better = is_max ? value > best : value < best;
    if (!found || better) best = value;
    found = true;
  }
  return best;
}

static void merge_value(const btc_map_desc &desc, const RawElement &e, unsigned ncpus, size_t stride, MapEntry &out) {
  bool is_signed = map_value_is_signed(desc);
  switch (desc.kind) {
    case BTC_MAP_PLAIN: {
      size_t size = std::min<size_t>(desc.value.size, e.values.size());
      out.value.assign(e.values.begin(), e.values.begin() + size);
      break;
    }
    case BTC_MAP_COUNT:
    case BTC_MAP_SUM:
      out.number = sum_u64(e, ncpus, stride);
      break;
    case BTC_MAP_MIN:
    case BTC_MAP_MAX: {
      bool is_max = desc.kind == BTC_MAP_MAX;
      out.number = merge_minmax(e, ncpus, stride, is_max, is_signed);
      out.minmax_order = merge_minmax(e, ncpus, stride, is_max, false);
      break;
    }
    case BTC_MAP_AVG:
    case BTC_MAP_STATS:
      for (unsigned cpu = 0; cpu < ncpus; cpu++) {
        const uint8_t *p = e.values.data() + cpu * stride;
        out.total += load_u64(p + offsetof(btc_avg, total));
        out.count += load_u64(p + offsetof(btc_avg, count));
      }
      break;
    default:
      break;
  }
}

std::vector<RawElement> hist_slot_elements(const uint8_t *values, unsigned ncpus, size_t stride, size_t nbuckets) {
  std::vector<RawElement> raw;
  bool touched = false;
  for (unsigned cpu = 0; cpu < ncpus; cpu++) touched = touched || load_u64(values + cpu * stride) != 0;
  if (!touched) return raw;
  for (uint64_t bucket = 0; bucket < nbuckets; bucket++) {
    RawElement e;
    e.values.assign(ncpus * 8, 0);
    bool nonzero = false;
    for (unsigned cpu = 0; cpu < ncpus; cpu++) {
      uint64_t count = load_u64(values + cpu * stride + 8 * (bucket + 1));
      memcpy(e.values.data() + cpu * 8, &count, 8);
      nonzero = nonzero || count != 0;
    }
    if (!nonzero) continue;
    e.key.resize(8);
    memcpy(e.key.data(), &bucket, 8);
    raw.push_back(std::move(e));
  }
  if (raw.empty()) {  // touched, all zero: one empty bucket keeps the entry
    RawElement e;
    e.key.assign(8, 0);
    e.values.assign(ncpus * 8, 0);
    raw.push_back(std::move(e));
  }
  return raw;
}

// a < b on values of the map's signedness.
static bool value_less(bool is_signed, uint64_t a, uint64_t b) {
  return is_signed ? static_cast<int64_t>(a) < static_cast<int64_t>(b) : a < b;
}

std::pair<uint64_t, uint64_t> reduce_tseries_bucket(const btc_map_desc &desc, const uint8_t *values, unsigned ncpus,
                                                    size_t stride) {
  bool is_signed = map_value_is_signed(desc);
  std::map<uint64_t, btc_tseries> by_epoch;
  uint64_t latest = 0;
  for (unsigned cpu = 0; cpu < ncpus; cpu++) {
    btc_tseries v;
    memcpy(&v, values + cpu * stride, sizeof(v));
    if (v.epoch == 0) continue;  // never written on this CPU
    latest = std::max(latest, v.epoch);
    auto [it, inserted] = by_epoch.try_emplace(v.epoch, v);
    if (inserted) continue;
    btc_tseries &cur = it->second;
    uint64_t value = static_cast<uint64_t>(v.value), current = static_cast<uint64_t>(cur.value);
    switch (desc.tseries_agg) {
      case BTC_TSERIES_AVG:
        cur.meta += v.meta;
        [[fallthrough]];
      case BTC_TSERIES_SUM:
        cur.value = static_cast<int64_t>(current + value);
        break;
      case BTC_TSERIES_MIN:
        if (value_less(is_signed, value, current)) cur.value = v.value;
        break;
      case BTC_TSERIES_MAX:
        if (value_less(is_signed, current, value)) cur.value = v.value;
        break;
      default:  // the value written last
        if (value_less(is_signed, cur.meta, v.meta)) cur = v;
        break;
    }
  }
  if (latest == 0) return {0, 0};
  btc_tseries &last = by_epoch[latest];
  uint64_t value = static_cast<uint64_t>(last.value);
  if (desc.tseries_agg == BTC_TSERIES_AVG && last.meta != 0)
    value = is_signed ? static_cast<uint64_t>(last.value / static_cast<int64_t>(last.meta)) : value / last.meta;
  return {latest, value};
}

MapData merge_elements(const btc_map_desc &desc, const std::vector<RawElement> &raw, unsigned ncpus, size_t stride) {
  MapData data;
  data.desc = &desc;
  if (ncpus == 0) ncpus = 1;
  bool pair_value =
      desc.kind == BTC_MAP_MIN || desc.kind == BTC_MAP_MAX || desc.kind == BTC_MAP_AVG || desc.kind == BTC_MAP_STATS;
  size_t needed = (ncpus - 1) * stride + (pair_value ? 16 : 8);

  if (desc.kind == BTC_MAP_TSERIES) {  // one entry per user key, a value per bucket
    std::map<std::vector<uint8_t>, size_t> index_of_key;
    for (const RawElement &e : raw) {
      if (e.key.size() < 8 || e.values.size() < (ncpus - 1) * stride + sizeof(btc_tseries)) continue;
      std::vector<uint8_t> user_key(e.key.begin(), e.key.end() - 8);
      auto [it, inserted] = index_of_key.try_emplace(user_key, data.entries.size());
      if (inserted) {
        data.entries.emplace_back();
        data.entries.back().key = std::move(user_key);
      }
      data.entries[it->second].series.emplace(reduce_tseries_bucket(desc, e.values.data(), ncpus, stride));
    }
    return data;
  }

  if (desc.kind != BTC_MAP_HIST && desc.kind != BTC_MAP_LHIST) {
    for (const RawElement &e : raw) {
      if (desc.kind != BTC_MAP_PLAIN && e.values.size() < needed) continue;
      MapEntry entry;
      entry.key = e.key;
      merge_value(desc, e, ncpus, stride, entry);
      data.entries.push_back(std::move(entry));
    }
    return data;
  }

  // hist/lhist: one entry per user key, buckets indexed by the key's tail.
  std::map<std::vector<uint8_t>, size_t> index_of_key;
  for (const RawElement &e : raw) {
    if (e.key.size() < 8 || e.values.size() < needed) continue;
    std::vector<uint8_t> user_key(e.key.begin(), e.key.end() - 8);
    uint64_t bucket = load_u64(e.key.data() + e.key.size() - 8);
    if (bucket > kMaxBucketIndex) continue;
    auto [it, inserted] = index_of_key.try_emplace(user_key, data.entries.size());
    if (inserted) {
      data.entries.emplace_back();
      data.entries.back().key = std::move(user_key);
    }
    MapEntry &entry = data.entries[it->second];
    if (entry.buckets.size() <= bucket) entry.buckets.resize(bucket + 1, 0);
    entry.buckets[bucket] += sum_u64(e, ncpus, stride);
  }
  return data;
}

}  // namespace btc::rt
