// hist() and lhist() buckets turned into labelled rows, following bpftrace:
//
// hist(v, k): bucket 0 holds negative values, buckets 1..2^k hold the values
// 0..2^k-1 one by one, then every power of two is split into 2^k buckets.
// Labels are the upper bound of each bucket; the ones above 2^(k+1) are
// written with K/M/G/T/P/E suffixes (powers of 1024).
//
// lhist(v, min, max, step): bucket 0 holds v < min, bucket i >= 1 holds
// [min + (i-1)*step, min + i*step), and the last bucket everything from max
// up. With a step that is a multiple of 1024 labels get K/M suffixes.
//
// Only buckets from the first to the last non-empty one are shown.
#ifndef BTC_RT_HISTOGRAM_H
#define BTC_RT_HISTOGRAM_H

#include <cstdint>
#include <optional>
#include <vector>

#include "printable.h"

namespace btc::rt {

// Row i covers [labels[i-1], labels[i]) (row 0 starts at lower_bound, or at
// minus infinity without one); a row past the last label has no upper bound.
struct HistView {
  std::optional<Printable> lower_bound;
  std::vector<Printable> labels;
  std::vector<uint64_t> counts;
};

// Bucket counts are divided by div (print(@h, top, div)); div 0 counts as 1.
HistView build_log2_hist(const std::vector<uint64_t> &buckets, uint64_t div, uint32_t bits);
HistView build_linear_hist(const std::vector<uint64_t> &buckets, int64_t min, int64_t max, int64_t step);

}  // namespace btc::rt

#endif
