// Map contents after per-CPU merging: what map_reader produces from a BPF map
// and what map_view turns into printable rows. No BPF access here.
#ifndef BTC_RT_MAP_DATA_H
#define BTC_RT_MAP_DATA_H

#include <cstdint>
#include <map>
#include <vector>

#include "btc/abi.h"

namespace btc::rt {

// One user key with its merged value. Which fields are used depends on the
// map kind (btc_map_kind).
struct MapEntry {
  std::vector<uint8_t> key;       // user key bytes (hist/lhist: without the bucket index)
  std::vector<uint8_t> value;     // PLAIN: the value bytes
  uint64_t number = 0;            // COUNT, SUM, MIN, MAX: merged value (two's complement bits)
  uint64_t minmax_order = 0;      // MIN, MAX: the value bpftrace sorts by (merged as unsigned)
  uint64_t total = 0;             // AVG, STATS: sum over CPUs (two's complement bits)
  uint64_t count = 0;             // AVG, STATS: number of samples over CPUs
  std::vector<uint64_t> buckets;  // HIST, LHIST: count per bucket index, summed over CPUs
  std::map<uint64_t, uint64_t> series;  // TSERIES: epoch -> value (two's complement bits), one per bucket
};

struct MapData {
  const btc_map_desc *desc = nullptr;
  std::vector<MapEntry> entries;  // in no particular order
};

// One element as read from the kernel: the full BPF key and the value of
// every CPU (percpu maps: `ncpus` copies, each `stride` bytes apart).
struct RawElement {
  std::vector<uint8_t> key;
  std::vector<uint8_t> values;
};

// Aggregates whose values are signed: SUM/MIN/MAX/AVG/STATS are signed unless
// desc.value.type is BTC_T_UINT; COUNT, HIST and LHIST are always unsigned.
bool map_value_is_signed(const btc_map_desc &desc);

// Merges raw elements of one map: sums, min/max over the CPUs that have a
// value, avg/stats totals and counts, and for hist/lhist groups the buckets of
// each user key (the key minus its trailing 8-byte bucket index).
// One tseries() bucket reduced over the CPUs as bpftrace does: only the newest epoch counts; its
// copies combine by the map's aggregation function (none: the value written last wins; avg is
// the sum over the count). Returns {epoch, value}; {0, 0} when no CPU wrote the bucket.
std::pair<uint64_t, uint64_t> reduce_tseries_bucket(const btc_map_desc &desc, const uint8_t *values, unsigned ncpus,
                                                    size_t stride);

MapData merge_elements(const btc_map_desc &desc, const std::vector<RawElement> &raw, unsigned ncpus, size_t stride);

// A key-less hist()/lhist() held in one per-CPU array element (abi.h: word 0 "touched", then one
// u64 count per bucket; `values` holds `ncpus` copies `stride` bytes apart), turned into the
// elements a per-CPU hash keyed by bucket would hold: one per non-zero bucket (values 8 bytes
// apart), or a single zero bucket when the histogram was touched but is all zero (after zero()).
std::vector<RawElement> hist_slot_elements(const uint8_t *values, unsigned ncpus, size_t stride, size_t nbuckets);

}  // namespace btc::rt

#endif
